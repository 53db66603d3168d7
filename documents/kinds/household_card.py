"""户积分卡: a village household's points and what it exchanged them for."""
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from organisations.models import OrganisationKind

from ..gbt9704 import Builder
from .base import DocumentKind, person_name, plain_points, signed_text

SPEC = DocumentKind(
    key="household_card",
    description=_("户积分卡"),
    template="household_card.docx",
    required=("household_name", "village", "grid", "entries", "balance"),
    rows={"entries": ("date", "reason", "points", "operator", "balance")},
    sample={
        "org_name": "城关镇东街村村民委员会", "issue_date": "2025-06-30",
        "household_name": "王德顺", "village": "东街村", "grid": "第三网格",
        "entries": [
            {"date": "2025-04-02", "reason": "门前三包保持整洁（月度评比）", "points": "+5", "operator": "网格员 李秀兰", "balance": "105"},
            {"date": "2025-05-11", "reason": "参加村道义务清扫", "points": "+3", "operator": "网格员 李秀兰", "balance": "108"},
            {"date": "2025-06-08", "reason": "积分超市兑换洗衣液2瓶", "points": "-20", "operator": "超市管理员 周强", "balance": "88"},
        ],
        "balance": "88",
    },
)


def build_template():
    b = Builder(form_header=True)
    b.title("户积分卡", after_banner=False)
    b.table(["户主", "所在村", "所在网格"], ["{{ household_name }}", "{{ village }}", "{{ grid }}"], [52, 52, 52])
    b.figure("")
    b.table(["日期", "事由", "分值", "经办人", "余额"],
            ["{{ e.date|cn_date }}", "{{ e.reason }}", "{{ e.points }}", "{{ e.operator }}", "{{ e.balance|points }}"],
            [42, 44, 16, 30, 24], loop="e in entries")
    b.body("当前积分余额：{{ balance|points }}分。积分只兑换物品或服务，不兑现金。")
    b.body("发卡单位：{{ org_name }}　　{{ issue_date|cn_date }}")
    b.verification()
    return b


def build_context(household, cycle_start=None, *, component_labels=None):
    """The card of ``household`` (a ``members.Member`` of kind 农户) from its ledger entries.

    Every entry (of the cycle starting ``cycle_start``, if given) in the order it occurred,
    each with the running balance; the village is the household's organisation or its
    nearest 行政村 above, the grid its organisation when that is a 网格 (``—`` when there is none).
    An entry without a note is named by its component (``component_labels``, from the
    scheme in force, as the scheme names it).
    """
    labels = component_labels or {}
    entries = household.ledger_entries.select_related("recorded_by").order_by("occurred_on", "seq")
    if cycle_start is not None:
        entries = entries.filter(cycle_start=cycle_start)
    organisation = household.organisation
    chain = [organisation, *reversed(organisation.ancestors())]
    village = next((o for o in chain if o.kind == OrganisationKind.VILLAGE), None)
    balance = Decimal("0")
    rows = []
    for e in entries:
        balance += e.points
        rows.append({
            "date": e.occurred_on.isoformat(),
            "reason": e.note or labels.get(e.component, e.component),
            "points": signed_text(e.points),
            "operator": person_name(e.recorded_by),
            "balance": plain_points(balance),
        })
    return {
        "household_name": household.name,
        "village": village.name if village else "—",
        "grid": organisation.name if organisation.kind == OrganisationKind.GRID else "—",
        "entries": rows,
        "balance": plain_points(balance),
    }
