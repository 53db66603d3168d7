"""限期整改通知书: the problems a member must put right, and by when."""
from django.utils.translation import gettext_lazy as _

from .. import layout as L
from ..gbt9704 import Builder
from .base import SAMPLE_BRANCH, DocumentKind

SPEC = DocumentKind(
    key="rectification_notice",
    description=_("限期整改通知书"),
    template="rectification_notice.docx",
    required=("member_name", "problems", "deadline", "requirements"),
    rows={"problems": ("text",)},
    dates=("deadline",),
    numbered=True, banner=True,
    sample={
        "org_name": SAMPLE_BRANCH, "issue_date": "2026-01-22", "doc_number": "东街党支〔2026〕5号",
        "member_name": "孙建华", "deadline": "2026-07-22",
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
    b.body("经支部委员会研究，你存在以下问题：")
    b.jinja_para("{%p for p in problems %}")
    b.heading(3, "（{{ loop.index }}）{{ p.text }}")
    b.jinja_para("{%p endfor %}")
    b.body("现责令你限期整改，整改期限至{{ deadline|cn_date }}。")
    b.body("{{ requirements }}")
    b.signature()
    b.imprint()
    return b


def build_context(disposition, *, problems=None):
    """The notice of ``disposition`` (an ``appraisals.Disposition`` in rectification, its end date set).

    ``problems`` (a list of texts) as the branch listed them; by default the disposition's
    facts. The deadline is ``rectification_end``; the requirements are the disposition's.
    """
    return {
        "member_name": disposition.member.name,
        "problems": [{"text": p} for p in (problems or [disposition.facts])],
        "deadline": disposition.rectification_end.isoformat(),
        "requirements": disposition.requirements,
    }
