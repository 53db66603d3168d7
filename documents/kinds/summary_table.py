"""积分汇总表: a review round's decided scores, one row per member, filed when the round is posted."""
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from ..gbt9704 import Builder
from .base import SAMPLE_BRANCH, DocumentKind, by_member, decided_declarations, plain_points, quarter_of, signed_text

SPEC = DocumentKind(
    key="summary_table",
    description=_("积分汇总表（季度）"),
    template="summary_table.docx",
    required=("year", "quarter", "rows"),
    rows={"rows": ("name", "base", "bonus", "deduction", "total", "note")},
    sample={
        "org_name": SAMPLE_BRANCH, "issue_date": "2025-04-03", "year": 2025, "quarter": 1,
        "rows": [
            {"name": "张红梅", "base": "10", "bonus": "5", "deduction": "0", "total": "15", "note": ""},
            {"name": "刘志强", "base": "10", "bonus": "2", "deduction": "3", "total": "9", "note": "缺席组织生活1次"},
            {"name": "陈小燕", "base": "8", "bonus": "0", "deduction": "0", "total": "8", "note": "预备党员"},
        ],
    },
)


def build_template():
    b = Builder(form_header=True)
    b.title("{{ year }}年第{{ quarter|cn_num }}季度党员积分汇总表", after_banner=False)
    b.body("填报单位：{{ org_name }}　　填报日期：{{ issue_date|cn_date }}")
    b.table(["序号", "姓名", "基础分", "加分", "扣分", "合计", "备注"],
            ["{{ loop.index }}", "{{ r.name }}", "{{ r.base|points }}", "{{ r.bonus|points }}",
             "{{ r.deduction|points }}", "{{ r.total|points }}", "{{ r.note }}"],
            [14, 26, 20, 20, 20, 20, 36], loop="r in rows")
    b.body("合计人数：{{ rows|length }}人。")
    return b


def build_context(review_round, *, signed_points):
    """The round's table: one row per member with a decided declaration, however many they made.

    ``review_round`` is a ``reviews.ReviewRound``; ``signed_points(declaration)`` gives the
    points as they move the member's total (deductions negative, corrections applied), the
    review chain's rule. 加分 and 扣分 are the sums of the positive and negative items, each
    printed as a magnitude under its heading (扣分 ``5``, never ``+5``); 合计 is their
    difference, signed (``+3``, ``-2``).
    """
    rows = []
    for member, items in by_member(decided_declarations(review_round)).items():
        signed = [signed_points(d) for d in items]
        bonus = sum((p for p in signed if p > 0), Decimal("0"))
        deduction = sum((-p for p in signed if p < 0), Decimal("0"))
        rows.append({
            "name": member.name, "base": "", "bonus": plain_points(bonus),
            "deduction": plain_points(deduction), "total": signed_text(bonus - deduction), "note": "",
        })
    return {"year": review_round.period_start.year, "quarter": quarter_of(review_round.period_start), "rows": rows}
