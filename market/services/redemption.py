"""兑换: a household spends points on goods at the village's counter.

Everything a redemption depends on is read under locks, in one order, inside one transaction:
the village's ledger chain (``ledger.services.lock_chain``: no other entry of the village can
be written meanwhile), the household's row (no redemption elsewhere for the same household),
then the goods row (no other redemption of the same goods). So two cashiers redeeming at the
same moment are served one after the other and the second sees the first's spending and the
stock it left: neither the balance nor the stock can be overdrawn. The redemption's
idempotency key is looked up under the same lock, so a form submitted twice (a double click,
a retried request) finds the first exchange and writes nothing more.
"""
import uuid

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from documents import services as documents
from documents.kinds import redemption_receipt
from ledger import services as ledger
from ledger.models import EntryKind
from members.models import Member
from organisations.permissions import require
from workdays.clock import format_cn_date, local_today
from workdays.wording import points_text

from ..errors import MarketErrorCode as Code
from ..errors import error
from ..models import CycleClose, Goods, Redemption, StockReason
from .bars import barring
from .catalogue import move_stock
from .common import CASHIERS, parse_quantity, require_village, scheme_in_force

#: The component a redemption entry carries in the ledger.
REDEMPTION_COMPONENT = "redemption"


def parse_key(value):
    """The idempotency key as a ``uuid.UUID``; raises ``key_invalid`` (field ``key``)."""
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise error("key", Code.KEY_INVALID, _("表单已失效，请刷新页面后重新兑换。")) from None


def _same_exchange(existing, household, goods, quantity):
    if (existing.household_id, existing.goods_id, existing.quantity) != (household.pk, goods.pk, quantity):
        raise error("key", Code.KEY_REUSED, _("该兑换单已用于另一笔兑换（%(r)s），请刷新页面后重新兑换。"), r=existing)
    return existing


def redeem(*, household, goods, quantity, cashier, key):
    """Exchange ``quantity`` × ``goods`` for ``household``'s points; returns the ``Redemption``.

    Checked under the chain lock, in this order: the goods are the village's, on the shelf
    and in stock; the household belongs to the village and is on the roll; a scheme with a
    ``[redemption]`` section is in force today and its cycle is not closed; no flag the scheme
    lists in ``barred_by`` is in force for the household; the household's redeemable balance
    (``ledger.services.redeemable_balance`` for the scheme's cycle) covers price × quantity.
    Then one ``redemption`` entry (negative points) is appended to the village's chain, the
    stock goes down (a ``StockMove``), and the 兑换小票 is requested. The same ``key`` (a UUID)
    given again returns the first redemption unchanged.

    Raises:
        PermissionDenied: ``cashier`` holds no 兑换员 role on the village (or above).
        ValidationError: ``key_invalid`` / ``key_reused`` (key), ``quantity_invalid`` (quantity),
            ``not_a_village`` / ``goods_inactive`` / ``out_of_stock`` (goods),
            ``household_outside_village`` / ``household_inactive`` / ``barred`` /
            ``insufficient_balance`` (household), ``no_scheme_in_force`` /
            ``scheme_does_not_redeem`` / ``cycle_closed`` (whole step).
    """
    village = require_village(goods.organisation, field="goods")
    require(cashier, village, CASHIERS)
    key = parse_key(key)
    quantity = parse_quantity(quantity)
    try:
        with transaction.atomic():
            return _redeem_locked(village, household, goods, quantity, cashier, key)
    except IntegrityError:
        # Only a concurrent twin with the same key gets here (the key is unique): return it.
        existing = Redemption.objects.filter(key=key).first()
        if existing is None:
            raise
        return _same_exchange(existing, household, goods, quantity)


def _redeem_locked(village, household, goods, quantity, cashier, key):
    village = ledger.lock_chain(village)
    existing = Redemption.objects.filter(key=key).first()
    if existing is not None:
        return _same_exchange(existing, household, goods, quantity)
    household = Member.objects.select_for_update().select_related("organisation").get(pk=household.pk)
    goods = Goods.objects.select_for_update().get(pk=goods.pk)
    if not goods.active:
        raise error("goods", Code.GOODS_INACTIVE, _("“%(goods)s”已下架。"), goods=goods.name)
    if goods.stock < quantity:
        raise error("goods", Code.OUT_OF_STOCK, _("“%(goods)s”库存只有 %(stock)s%(unit)s，不够兑换 %(n)s%(unit)s。"),
                    goods=goods.name, stock=goods.stock, unit=goods.unit, n=quantity)
    if not household.organisation.is_within(village):
        raise error("household", Code.HOUSEHOLD_OUTSIDE_VILLAGE, _("%(household)s 不是“%(village)s”的农户。"),
                    household=household, village=village)
    if not household.is_active:
        raise error("household", Code.HOUSEHOLD_INACTIVE, _("%(household)s 不在册，不能兑换。"), household=household)
    today = local_today()
    in_force = scheme_in_force(village, today)
    if CycleClose.objects.filter(organisation=village, cycle_start=in_force.cycle_start).exists():
        raise error("__all__", Code.CYCLE_CLOSED, _("%(year)s 年度积分已清零或结转，不能再兑换。"),
                    year=in_force.cycle_start.year)
    bars = barring(household, in_force.redemption, today)
    if bars:
        raise error("household", Code.BARRED, _("%(household)s自%(day)s起因“%(reason)s”不得兑换（仍可积分）。"),
                    household=household, day=format_cn_date(bars[0].start_on), reason=bars[0].reason)
    total = goods.price * quantity
    balance = ledger.redeemable_balance(household, in_force.cycle_start)
    if balance < total:
        raise error("household", Code.INSUFFICIENT_BALANCE,
                    _("%(household)s 可兑换积分 %(balance)s，不够兑换 %(goods)s×%(n)s（需 %(total)s 分）。"),
                    household=household, balance=points_text(balance), goods=goods.name, n=quantity,
                    total=points_text(total))
    entry = ledger.post_entry(
        organisation=village, member=household, component=REDEMPTION_COMPONENT, points=-total,
        occurred_on=today, cycle_start=in_force.cycle_start, kind=EntryKind.REDEMPTION,
        source="market", source_ref=f"redemption:{key}", recorded_by=cashier,
        note=_("积分超市兑换 %(goods)s×%(n)s") % {"goods": goods.name, "n": quantity},
    )
    redemption = Redemption.objects.create(
        organisation=village, household=household, goods=goods, quantity=quantity, unit_price=goods.price,
        points=total, balance_after=balance - total, cycle_start=in_force.cycle_start, cashier=cashier,
        key=key, entry=entry,
    )
    move_stock(goods, -quantity, StockReason.REDEMPTION, cashier, redemption.number, redemption=redemption)
    redemption.receipt = documents.request_document(
        redemption_receipt.SPEC.key, organisation=village, context=redemption_receipt.build_context(redemption),
        triggered_by=cashier, subject_key=f"redemption:{redemption.pk}", member=household,
    )
    redemption.save(update_fields=["receipt"])
    return redemption
