"""The village's catalogue: goods with a points price, stock and an active flag; every stock change a row."""
from django.db import transaction
from django.utils.translation import gettext as _

from organisations.permissions import require

from ..errors import MarketErrorCode as Code
from ..errors import error
from ..models import Goods, GoodsKind, StockMove, StockReason
from .common import VILLAGE_STAFF, parse_price, parse_quantity, require_village

#: Words that name cash or a cash equivalent: points are never paid out as cash (钟祥 l.1473
#: rewards are 兑换服务、物质奖励; the households' schemes know no cash payment of points).
CASH_WORDS = ("现金", "人民币", "红包", "提现", "储值卡", "购物卡", "代金券")


def _check_name(village, name, exclude_pk=None):
    name = (name or "").strip()
    if not name:
        raise error("name", Code.NAME_MISSING, _("请填写物品名称。"))
    if len(name) > Goods._meta.get_field("name").max_length:
        raise error("name", Code.NAME_MISSING, _("物品名称不能超过 %(max)s 个字。"), max=60)
    cash = next((word for word in CASH_WORDS if word in name), None)
    if cash is not None:
        raise error("name", Code.CASH_NOT_ALLOWED, _("积分只兑换物品或服务，不兑现金：“%(name)s”含“%(word)s”。"),
                    name=name, word=cash)
    if Goods.objects.filter(organisation=village, name=name).exclude(pk=exclude_pk).exists():
        raise error("name", Code.NAME_TAKEN, _("本村已有名为“%(name)s”的物品。"), name=name)
    return name


def add_goods(*, village, by, name, price, stock=0, unit="件", kind=GoodsKind.GOODS, active=True):
    """Put a new item in ``village``'s catalogue; the opening stock is recorded as a restock.

    Raises:
        PermissionDenied: ``by`` is not the village's staff.
        ValidationError: ``not_a_village`` (organisation), ``name_missing`` / ``name_taken`` /
            ``cash_not_allowed`` (name), ``price_invalid`` (price), ``quantity_invalid`` (stock).
    """
    require_village(village)
    require(by, village, VILLAGE_STAFF)
    name = _check_name(village, name)
    price = parse_price(price)
    stock = 0 if str(stock).strip() in ("", "0") else parse_quantity(stock, field="stock")
    if kind not in GoodsKind.values:
        kind = GoodsKind.GOODS
    with transaction.atomic():
        goods = Goods.objects.create(organisation=village, name=name, price=price, unit=(unit or "件").strip()[:10],
                                     kind=kind, active=bool(active))
        if stock:
            move_stock(goods, stock, StockReason.RESTOCK, by, _("首次入库"))
    return goods


def update_goods(goods, *, by, name=None, price=None, active=None, unit=None):
    """Rename, reprice, shelve or unshelve an item; past redemptions keep the price they paid.

    Raises:
        PermissionDenied: ``by`` is not the village's staff.
        ValidationError: as :func:`add_goods` for ``name`` and ``price``.
    """
    require(by, goods.organisation, VILLAGE_STAFF)
    with transaction.atomic():
        goods = Goods.objects.select_for_update().get(pk=goods.pk)
        if name is not None:
            goods.name = _check_name(goods.organisation, name, exclude_pk=goods.pk)
        if price is not None:
            goods.price = parse_price(price)
        if active is not None:
            goods.active = bool(active)
        if unit is not None and unit.strip():
            goods.unit = unit.strip()[:10]
        goods.save()
    return goods


def restock(goods, *, by, quantity, note=""):
    """Add ``quantity`` items to the stock (入库); returns the ``StockMove``.

    Raises:
        PermissionDenied: ``by`` is not the village's staff.
        ValidationError: ``quantity_invalid`` (quantity).
    """
    require(by, goods.organisation, VILLAGE_STAFF)
    quantity = parse_quantity(quantity)
    with transaction.atomic():
        goods = Goods.objects.select_for_update().get(pk=goods.pk)
        return move_stock(goods, quantity, StockReason.RESTOCK, by, note)


def adjust_stock(goods, *, by, change, note):
    """A stock count (盘点) found ``change`` items more (+) or fewer (−) than recorded.

    Raises:
        PermissionDenied: ``by`` is not the village's staff.
        ValidationError: ``quantity_invalid`` (change: zero or not a number), ``reason_missing``
            (note), ``stock_negative`` (change).
    """
    require(by, goods.organisation, VILLAGE_STAFF)
    try:
        change = int(str(change).strip())
    except (TypeError, ValueError):
        change = 0
    if change == 0:
        raise error("change", Code.QUANTITY_INVALID, _("调整数量应为非零整数。"))
    if not (note or "").strip():
        raise error("note", Code.REASON_MISSING, _("盘点调整须说明原因。"))
    with transaction.atomic():
        goods = Goods.objects.select_for_update().get(pk=goods.pk)
        if goods.stock + change < 0:
            raise error("change", Code.STOCK_NEGATIVE, _("库存只有 %(stock)s，不能减少 %(n)s。"),
                        stock=goods.stock, n=-change)
        return move_stock(goods, change, StockReason.ADJUSTMENT, by, note)


def move_stock(goods, change, reason, by, note="", redemption=None):
    """Apply ``change`` to the locked ``goods`` row and record it. Caller holds the goods lock."""
    goods.stock += change
    goods.save(update_fields=["stock"])
    return StockMove.objects.create(goods=goods, change=change, stock_after=goods.stock, reason=reason,
                                    redemption=redemption, note=(note or "").strip()[:200], by=by)
