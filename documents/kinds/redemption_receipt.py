"""兑换小票: the slip handed to a household that spent points at the village's points supermarket."""
from django.utils.translation import gettext_lazy as _

from organisations.models import OrganisationKind
from workdays.clock import SHANGHAI

from .. import layout as L
from ..gbt9704 import Builder
from .base import DocumentKind, person_name, plain_points

SPEC = DocumentKind(
    key="redemption_receipt",
    description=_("兑换小票"),
    template="redemption_receipt.docx",
    required=("receipt_no", "household_name", "village", "grid", "goods", "quantity", "unit", "points",
              "balance_before", "balance_after", "cashier", "redeemed_on", "redeemed_time"),
    dates=("redeemed_on",),
    sample={
        "org_name": "青石村村民委员会", "issue_date": "2025-06-08", "receipt_no": "DH2025-000012",
        "household_name": "王德顺", "village": "青石村", "grid": "青石村第三网格",
        "goods": "洗衣液（2升）", "quantity": "2", "unit": "瓶", "unit_price": "10", "points": "20",
        "balance_before": "108", "balance_after": "88", "cashier": "周强",
        "redeemed_on": "2025-06-08", "redeemed_time": "09:41",
    },
)


def build_template():
    b = Builder(form_header=True)
    b.title("积分超市兑换小票", after_banner=False)
    b.body("小票编号：{{ receipt_no }}")
    b.table(["户主", "所在村", "所在网格"], ["{{ household_name }}", "{{ village }}", "{{ grid }}"], [52, 52, 52])
    b.figure("")
    b.table(["兑换物品", "数量", "扣减积分", "兑换前余额", "兑换后余额"],
            ["{{ goods }}", "{{ quantity }}{{ unit }}", "{{ points }}", "{{ balance_before }}", "{{ balance_after }}"],
            [48, 22, 26, 30, 30])
    b.body("兑换员：{{ cashier }}　　兑换时间：{{ redeemed_on|cn_date }} {{ redeemed_time }}")
    b.body("积分只兑换物品或服务，不兑现金。本次兑换已记入村积分台账，请妥善保管本小票。")
    # The village signs as every notice's signature block does: its name centred over the date at the
    # right (GB/T 9704 7.3.5.1; documents.finishing.centre_signature); no seal (the slip is not sealed).
    b.para(L.STYLE_SIGNATURE, "{{ org_name }}")
    b.para(L.STYLE_DATE, "{{ redeemed_on|cn_date }}")
    b.verification()
    return b


def build_context(redemption):
    """The slip of ``redemption`` (a ``market.Redemption``), read from the exchange as recorded.

    The household is its ``household`` (a ``members.Member``), the grid its organisation when
    that is a 网格 (``—`` otherwise), the village the redemption's organisation; the time is
    ``redeemed_at`` in the organisation's clock (Asia/Shanghai); the balance before is the
    balance after plus the points spent.
    """
    household = redemption.household
    organisation = household.organisation
    at = redemption.redeemed_at.astimezone(SHANGHAI)
    return {
        "receipt_no": redemption.number,
        "household_name": household.name,
        "village": redemption.organisation.name,
        "grid": organisation.name if organisation.kind == OrganisationKind.GRID else "—",
        "goods": redemption.goods.name,
        "quantity": str(redemption.quantity),
        "unit": redemption.goods.unit,
        "unit_price": plain_points(redemption.unit_price),
        "points": plain_points(redemption.points),
        "balance_before": plain_points(redemption.balance_after + redemption.points),
        "balance_after": plain_points(redemption.balance_after),
        "cashier": person_name(redemption.cashier),
        "redeemed_on": at.date().isoformat(),
        "redeemed_time": at.strftime("%H:%M"),
    }
