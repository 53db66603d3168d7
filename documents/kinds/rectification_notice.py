"""限期整改通知书: the problems a member must put right, and by when."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workdays.clock import local_day

from .. import layout as L
from ..gbt9704 import Builder
from .base import (
    SAMPLE_BRANCH,
    SAMPLE_HIGHER,
    DocumentKind,
    cn_day,
    decision_body,
    in_chinese,
    reviewing_organisation,
)

SPEC = DocumentKind(
    key="rectification_notice",
    description=gettext_lazy("限期整改通知书"),
    template="rectification_notice.docx",
    required=("member_name", "decided_by", "problems", "deadline", "requirements"),
    rows={"problems": ("text",)},
    dates=("deadline",),
    numbered=True, banner=True, signed=True,
    sample={
        "org_name": SAMPLE_BRANCH, "issue_date": "2026-01-22", "doc_number": "东街党支〔2026〕5号",
        "member_name": "孙建华", "deadline": "2026-07-22",
        "decided_by": f"2026年1月18日支部党员大会讨论决定，并报{SAMPLE_HIGHER}批准",
        "problems": [
            {"text": "连续4个月无正当理由不参加组织生活"},
            {"text": "2025年度积分55分，低于60分"},
        ],
        "requirements": "请你在整改期限内按时参加组织生活，每月向支部书面报告思想和工作情况。整改期满，支部将根据整改情况作出相应处理。",
    },
)


def build_template():
    b = Builder()
    b.banner()
    b.title("限期整改通知书")
    b.para(L.STYLE_ADDRESSEE, "{{ member_name }}同志：")
    b.body("经{{ decided_by }}，你存在以下问题：")
    b.jinja_para("{%p for p in problems %}")
    # the problems are items of the list the line above introduces, not headings: a heading keeps
    # with the next paragraph, so a run of them would carry the whole notice to the next page
    b.body("（{{ loop.index }}）{{ p.text }}")
    b.jinja_para("{%p endfor %}")
    b.body("现责令你限期整改，整改期限至{{ deadline|cn_date }}。")
    b.body("{{ requirements }}")
    b.signature()
    b.imprint()
    return b


def stated_to_member(disposition):
    """The disposition's facts as told to the member the notice addresses (``你存在以下问题``):
    without the leading ``<name>同志`` the facts are written with."""
    facts, prefix = disposition.facts, f"{disposition.member.name}同志"
    return facts[len(prefix):] if facts.startswith(prefix) else facts


def decided_by(disposition):
    """Who decided, from the record: ``2026年1月18日支部党员大会讨论决定，并报…批准`` after a vote
    and the higher committee's approval, else ``支部委员会研究``."""
    body = decision_body(disposition)
    if disposition.votes_for is None:
        return _("%(body)s研究") % {"body": body}
    text = _("%(day)s%(body)s讨论决定") % {"day": cn_day(local_day(disposition.decided_at)) if disposition.decided_at else "",
                                        "body": body}
    if disposition.approved_by_id:
        higher = reviewing_organisation(disposition.approved_by, disposition.evaluation.organisation)
        text += _("，并报%(org)s批准") % {"org": higher.name}
    return text


@in_chinese
def build_context(disposition, *, problems=None):
    """The notice of ``disposition`` (an ``appraisals.Disposition`` in rectification, its end date set).

    ``problems`` (a list of texts) as the branch listed them; by default the disposition's
    facts, addressed to the member (:func:`stated_to_member`). Who decided is read from the record (:func:`decided_by`). The deadline is
    ``rectification_end``; the requirements are the disposition's.
    """
    return {
        "member_name": disposition.member.name,
        "decided_by": decided_by(disposition),
        "problems": [{"text": p} for p in (problems or [stated_to_member(disposition)])],
        "deadline": disposition.rectification_end.isoformat(),
        "requirements": disposition.requirements,
    }
