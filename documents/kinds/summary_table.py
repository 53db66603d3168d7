"""积分汇总表: a review round's decided scores, one row per member, filed when the round is posted."""
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workdays.clock import local_day

from ..gbt9704 import Builder
from .base import (
    SAMPLE_BRANCH,
    DocumentKind,
    by_member,
    decided_declarations,
    in_chinese,
    plain_points,
    signed_text,
)
from .terms import round_terms

#: ``Declaration.status`` of a refused item (``reviews.models.DeclarationStatus.REJECTED``).
REJECTED = "rejected"
#: ``FilingDecision.outcome`` of a filing (``reviews.models.FilingOutcome.FILED``).
FILED = "filed"

SPEC = DocumentKind(
    key="summary_table",
    description=gettext_lazy("积分汇总表（季度）"),
    name=gettext_lazy("积分汇总表"),
    template="summary_table.docx",
    required=("period", "rows", "member_count"),
    rows={"rows": ("name", "counted", "bonus", "deduction", "total", "note")},
    terms=True,
    sample={
        "org_name": SAMPLE_BRANCH, "issue_date": "2025-04-03", "period": "2025年第一季度", "member_count": 3,
        "rows": [
            {"name": "张红梅", "counted": 3, "bonus": "5", "deduction": "0", "total": "+5", "note": ""},
            {"name": "刘志强", "counted": 2, "bonus": "2", "deduction": "3", "total": "-1", "note": ""},
            {"name": "陈小燕", "counted": 2, "bonus": "2", "deduction": "0", "total": "+2", "note": "不予认定1项"},
        ],
    },
)


def build_template():
    b = Builder(form_header=True)
    b.title(["{{ period }}", "{{ terms.points }}汇总表"], after_banner=False)
    b.body("填报单位：{{ org_name }}")
    b.body("填报日期：{{ issue_date|cn_date }}")
    b.table(["序号", "{{ terms.name_header }}", "认定事项", "加分", "扣分", "合计", "备注"],
            ["{{ loop.index }}", "{{ r.name }}", "{{ r.counted }}", "{{ r.bonus }}",
             "{{ r.deduction }}", "{{ r.total }}", "{{ r.note }}"],
            [14, 24, 22, 20, 20, 20, 36], loop="r in rows")
    b.body("{{ terms.count_label }}：{{ member_count }}{{ terms.count_unit }}。")
    b.verification()
    return b


@in_chinese
def build_context(review_round, *, signed_points):
    """The round's table: one row per member with a decided declaration, however many they made.

    ``review_round`` is a ``reviews.ReviewRound``; ``signed_points(declaration)`` gives the
    points as they move the member's total (deductions negative, corrections applied), the
    review chain's rule. 认定事项 counts the member's approved and adjusted items; 加分 and
    扣分 are the sums of the positive and negative ones, each printed as a magnitude under
    its heading (扣分 ``5``, never ``+5``); 合计 is their difference, signed (``+3``, ``-2``).
    Refused items count nothing and are named in 备注. The words are the round's
    (:func:`~documents.kinds.terms.round_terms`): a village's households are listed by 户主
    and counted in 户. Dated (填报日期) the day the higher committee filed the round (its latest
    filing, ``reviews.FilingDecision``), whenever the table is made (it comes with the posting,
    after the publicity and any objections).
    """
    rows = []
    for member, items in by_member(decided_declarations(review_round)).items():
        counted = [d for d in items if d.status != REJECTED]
        signed = [signed_points(d) for d in counted]
        bonus = sum((p for p in signed if p > 0), Decimal("0"))
        deduction = sum((-p for p in signed if p < 0), Decimal("0"))
        refused = len(items) - len(counted)
        rows.append({
            "name": member.name, "counted": len(counted), "bonus": plain_points(bonus),
            "deduction": plain_points(deduction), "total": signed_text(bonus - deduction),
            "note": _("不予认定%(n)s项") % {"n": refused} if refused else "",
        })
    context = {"terms": round_terms(review_round), "period": review_round.period_label, "rows": rows,
               "member_count": len(rows)}
    filed = review_round.filings.filter(outcome=FILED).order_by("-decided_at", "-pk").first()
    if filed is not None:  # 填报日期: the day the table's figures were filed, not the day it is printed
        context["issue_date"] = local_day(filed.decided_at).isoformat()
    return context
