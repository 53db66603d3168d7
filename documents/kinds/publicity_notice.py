"""公示通知: a review round's results put up for at least 7 days (corrections: ``correction_notice``)."""
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workdays.clock import local_today

from .. import layout as L
from ..gbt9704 import Builder
from ..links import board_url
from .base import (
    SAMPLE_BRANCH,
    SAMPLE_HIGHER,
    DocumentKind,
    by_member,
    contact,
    contact_text,
    decided_declarations,
    filing_organisation,
    in_chinese,
    item_label,
    signed_text,
)
from .terms import round_terms

#: ``Declaration.status`` of a refused item (``reviews.models.DeclarationStatus.REJECTED``).
REJECTED = "rejected"
#: ``Publicity.kind`` of a corrections publicity (``reviews.models.PublicityKind.CORRECTIONS``).
CORRECTIONS = "corrections"

SPEC = DocumentKind(
    key="publicity_notice",
    description=gettext_lazy("公示通知（含公示起止日期和核验二维码）"),
    name=gettext_lazy("公示通知"),
    template="publicity_notice.docx",
    required=("period", "higher_org_name", "window_start", "window_end", "board_url", "rows", "contact"),
    rows={"rows": ("name", "detail", "total")},
    dates=("window_start", "window_end"),
    numbered=True, banner=True, signed=True, terms=True,
    sample={
        "org_name": SAMPLE_BRANCH, "issue_date": "2025-04-10", "doc_number": "东街党支〔2025〕4号",
        "period": "2025年第一季度", "higher_org_name": SAMPLE_HIGHER,
        "window_start": "2025-04-10", "window_end": "2025-04-16",
        "board_url": "http://127.0.0.1:8000/public/dongjie/",
        "contact": "联系人：王芳，联系电话：0731-85551234",
        "rows": [
            {"name": "张红梅", "detail": "志愿服务+3；按时足额交纳党费+1", "total": "+4"},
            {"name": "刘志强", "detail": "为群众办实事+2；无故缺席组织生活-2", "total": "0"},
            {"name": "陈小燕", "detail": "自行组织学习（不予认定）", "total": "不予认定"},
        ],
    },
)


def build_template():
    b = Builder()
    b.banner()
    b.title(["关于", "{{ period }}", "{{ terms.points }}情况", "的公示"])
    b.para(L.STYLE_ADDRESSEE, "{{ terms.audience }}：")
    b.body("根据{{ terms.rules }}有关规定，经{{ terms.body }}审核、{{ higher_org_name }}审查备案，"
           "现将{{ org_name }}{{ period }}{{ terms.points }}情况予以公示。")
    b.body("公示时间：{{ window_start|cn_date }}至{{ window_end|cn_date }}。")
    b.body("公示期间，如对公示结果有异议，可以书面、电话或通过公示栏（{{ board_url }}）提出，"
           "{{ terms.body }}将在7个工作日内答复。{{ contact }}。")
    b.table(["序号", "{{ terms.name_header }}", "积分事项及分值", "{{ terms.period_total }}"],
            ["{{ loop.index }}", "{{ r.name }}", "{{ r.detail }}", "{{ r.total }}"],
            [14, 24, 90, 28], loop="r in rows")
    b.body("特此公示。")
    b.signature()
    b.imprint()
    return b


def kind_for(publicity):
    """The kind of notice ``publicity`` (a ``reviews.Publicity``) is announced with."""
    return "correction_notice" if publicity.kind == CORRECTIONS else SPEC.key


def decided_value(signed_points):
    """``signed_points`` fixed to the branch's decision: what a results notice publishes, whatever
    was corrected later."""
    return lambda declaration: signed_points(declaration, declaration.decided_points)


def _item_text(declaration, signed_points):
    if declaration.status == REJECTED:
        return _("%(item)s（不予认定）") % {"item": item_label(declaration)}
    return f"{item_label(declaration)}{signed_text(signed_points(declaration))}"


def member_rows(declarations, decided, signed_points):
    """One row per member of ``declarations`` (in order of their first item): every decided item
    of theirs with its signed value, and the total of the counted ones — ``不予认定`` when
    every item was refused."""
    rows = []
    for member in by_member(declarations):
        items = decided.get(member, [])
        counted = [d for d in items if d.status != REJECTED]
        total = sum((signed_points(d) for d in counted), Decimal("0"))
        rows.append({
            "name": member.name,
            "detail": "；".join(_item_text(d, signed_points) for d in items),
            "total": signed_text(total) if counted else _("不予认定"),
        })
    return rows


def window(publicity):
    """Context keys shared by the results and corrections notices.

    A window recorded after it opened (the notice went up on the board before the round was
    filed here) dates the notice the day it opened: a notice dated after the start of the
    publicity it announces would not be true. Otherwise the notice is dated when issued.
    """
    rr = publicity.review_round
    person, phone = contact(rr.organisation, rr.opened_by)
    higher = filing_organisation(rr)
    dated = {"issue_date": publicity.start_on.isoformat()} if publicity.start_on < local_today() else {}
    return {
        **dated,
        "terms": round_terms(rr),
        "period": rr.period_label,
        "higher_org_name": higher.name if higher else "",
        "window_start": publicity.start_on.isoformat(),
        "window_end": publicity.end_on.isoformat(),
        "board_url": board_url(rr.organisation),
        "contact": contact_text(person, phone),
    }


@in_chinese
def build_context(publicity, *, signed_points):
    """The notice of a results ``publicity`` (a ``reviews.Publicity``).

    One row per member with an item in it: each decided item with the value the branch
    decided, signed as it moves the total (``signed_points(declaration, points)``: the review
    chain's rule, deductions negative),
    a refused item marked 不予认定, and the member's quarter total over the counted items.
    Filed by the committee that filed the round; the QR code printed with it leads to the
    notice's verification page, which links to the public board.
    """
    rr = publicity.review_round
    published = list(publicity.declarations.select_related("member").order_by("occurred_on", "pk"))
    decided = by_member(decided_declarations(rr))
    return {**window(publicity), "rows": member_rows(published, decided, decided_value(signed_points))}
