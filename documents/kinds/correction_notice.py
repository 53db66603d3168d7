"""更正公示: published scores corrected after upheld objections, put up again for at least 7 days."""
from decimal import Decimal

from django.utils.translation import gettext_lazy

from .. import layout as L
from ..gbt9704 import Builder
from .base import (
    SAMPLE_BRANCH,
    SAMPLE_HIGHER,
    DocumentKind,
    by_member,
    decided_declarations,
    in_chinese,
    item_label,
    signed_text,
)
from .publicity_notice import REJECTED, window

SPEC = DocumentKind(
    key="correction_notice",
    description=gettext_lazy("更正公示（异议成立后的积分更正）"),
    name=gettext_lazy("更正公示"),
    template="correction_notice.docx",
    required=("period", "higher_org_name", "window_start", "window_end", "original_start", "original_end",
              "board_url", "rows", "contact"),
    rows={"rows": ("name", "item", "original", "corrected", "total")},
    dates=("window_start", "window_end", "original_start", "original_end"),
    numbered=True, banner=True, signed=True, terms=True,
    sample={
        "org_name": SAMPLE_BRANCH, "issue_date": "2025-04-20", "doc_number": "东街党支〔2025〕7号",
        "period": "2025年第一季度", "higher_org_name": SAMPLE_HIGHER,
        "window_start": "2025-04-20", "window_end": "2025-04-26",
        "original_start": "2025-04-10", "original_end": "2025-04-16",
        "board_url": "http://127.0.0.1:8000/public/dongjie/",
        "contact": "联系人：王芳，联系电话：0731-85551234",
        "rows": [
            {"name": "刘志强", "item": "志愿服务", "original": "+3", "corrected": "+1", "total": "-1"},
        ],
    },
)


def build_template():
    b = Builder()
    b.banner()
    b.title(["关于", "{{ period }}", "{{ terms.points }}", "更正情况的公示"])
    b.para(L.STYLE_ADDRESSEE, "{{ terms.audience }}：")
    b.body("{{ terms.we }}于{{ original_start|cn_date }}至{{ original_end|cn_date }}公示的{{ period }}{{ terms.points }}，"
           "经对公示期间收到的异议调查核实，以下事项予以更正。现将更正结果予以公示。")
    b.body("公示时间：{{ window_start|cn_date }}至{{ window_end|cn_date }}。")
    b.body("公示期间，如对更正结果有异议，可以书面、电话或通过公示栏（{{ board_url }}）提出，"
           "{{ terms.body }}将在7个工作日内答复。{{ contact }}。")
    b.table(["序号", "{{ terms.name_header }}", "积分事项", "原公示\n分值", "更正后\n分值", "更正后\n{{ terms.period_total }}"],
            ["{{ loop.index }}", "{{ r.name }}", "{{ r.item }}", "{{ r.original }}", "{{ r.corrected }}",
             "{{ r.total }}"],
            [14, 24, 52, 20, 20, 26], loop="r in rows")
    b.body("特此公示。")
    b.signature()
    b.imprint()
    return b


@in_chinese
def build_context(publicity, *, signed_points, previous_points, objections=None):
    """The notice of a corrections ``publicity`` (a ``reviews.Publicity`` of kind corrections).

    One row per objection upheld and republished in it (``objections``, by default
    ``publicity.republished_objections``):
    the item, its value as first published (``previous_points(objection)``: the value
    before this objection corrected it), the corrected value, and the member's quarter total
    with the correction applied (``signed_points(declaration)`` over the member's counted
    items, the review chain's rule). The original window is the round's results publicity.
    """
    rr = publicity.review_round
    original = rr.publicities.exclude(pk=publicity.pk).order_by("start_on", "pk").first()
    decided = by_member(decided_declarations(rr))
    rows = []
    if objections is None:
        objections = publicity.republished_objections.select_related("declaration__member").order_by("pk")
    for objection in objections:
        d = objection.declaration
        counted = [x for x in decided.get(d.member, []) if x.status != REJECTED]
        total = sum((signed_points(x) for x in counted), Decimal("0"))
        rows.append({
            "name": d.member.name,
            "item": item_label(d),
            "original": signed_text(signed_points(d, previous_points(objection))),
            "corrected": signed_text(signed_points(d, objection.corrected_points)),
            "total": signed_text(total),
        })
    return {
        **window(publicity),
        "original_start": (original or publicity).start_on.isoformat(),
        "original_end": (original or publicity).end_on.isoformat(),
        "rows": rows,
    }
