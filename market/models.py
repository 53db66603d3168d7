"""The points supermarket (积分超市): goods, stock, redemptions, bars and the year-end close.

Points themselves live only in the ledger: a redemption here is the record of the exchange
(goods, quantity, cashier, receipt) and points at the ``redemption`` entry it wrote in the
village's chain; a year-end close points at the ``reset`` entries it wrote. Stock changes are
rows (``StockMove``), never an edited number without a trace: ``Goods.stock`` is the running
total those rows add up to, updated in the same transaction.
"""
import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workdays.wording import points_text, with_note


class GoodsKind(models.TextChoices):
    GOODS = "goods", _("实物")
    SERVICE = "service", _("服务")


class Goods(models.Model):
    """One item of a village's catalogue: what it costs in points and how many are in stock.

    There is no cash kind: points are exchanged for goods and services only (钟祥 l.1473
    "兑换服务、物质奖励").
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("所属村"), on_delete=models.PROTECT, related_name="goods"
    )
    name = models.CharField(_("物品名称"), max_length=60)
    kind = models.CharField(_("类别"), max_length=10, choices=GoodsKind.choices, default=GoodsKind.GOODS)
    unit = models.CharField(_("单位"), max_length=10, default="件")
    price = models.DecimalField(_("兑换积分"), max_digits=8, decimal_places=2)
    stock = models.PositiveIntegerField(_("库存"), default=0)
    active = models.BooleanField(_("上架"), default=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("兑换物品")
        verbose_name_plural = _("兑换物品")
        ordering = ["organisation__path", "-active", "price", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="market_goods_unique_name"),
            models.CheckConstraint(condition=models.Q(price__gt=0), name="market_goods_price_positive"),
        ]

    def __str__(self):
        return with_note(self.name, _("%(p)s 分/%(u)s") % {"p": points_text(self.price), "u": self.unit})


class StockReason(models.TextChoices):
    RESTOCK = "restock", _("入库")
    REDEMPTION = "redemption", _("兑换出库")
    ADJUSTMENT = "adjustment", _("盘点调整")


class StockMove(models.Model):
    """One change of a goods item's stock: + in, − out. Append-only."""

    goods = models.ForeignKey(Goods, verbose_name=_("物品"), on_delete=models.PROTECT, related_name="moves")
    change = models.IntegerField(_("数量变化"))
    stock_after = models.PositiveIntegerField(_("变化后库存"))
    reason = models.CharField(_("原因"), max_length=20, choices=StockReason.choices)
    redemption = models.OneToOneField(
        "Redemption", verbose_name=_("兑换"), null=True, blank=True, on_delete=models.PROTECT, related_name="stock_move"
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("库存变动")
        verbose_name_plural = _("库存变动")
        ordering = ["at", "pk"]

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("StockMove rows are append-only")
        super().save(*args, **kwargs)


class Redemption(models.Model):
    """兑换: a household spent points on goods; the points left the ledger as ``entry``.

    ``key`` is the idempotency key the cashier's form carries: submitting the same form twice
    finds this row and writes nothing more.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("所属村"), on_delete=models.PROTECT, related_name="redemptions"
    )
    household = models.ForeignKey(
        "members.Member", verbose_name=_("农户"), on_delete=models.PROTECT, related_name="redemptions"
    )
    goods = models.ForeignKey(Goods, verbose_name=_("物品"), on_delete=models.PROTECT, related_name="redemptions")
    quantity = models.PositiveSmallIntegerField(_("数量"))
    unit_price = models.DecimalField(_("单价（积分）"), max_digits=8, decimal_places=2)
    points = models.DecimalField(_("兑换积分"), max_digits=10, decimal_places=2)
    balance_after = models.DecimalField(_("兑换后余额"), max_digits=10, decimal_places=2)
    cycle_start = models.DateField(_("积分周期起始日"))
    cashier = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("兑换员"), on_delete=models.PROTECT,
                                related_name="+")
    redeemed_at = models.DateTimeField(_("兑换时间"), default=timezone.now)
    key = models.UUIDField(_("防重复提交码"), unique=True)
    entry = models.OneToOneField(
        "ledger.LedgerEntry", verbose_name=_("台账记录"), on_delete=models.PROTECT, related_name="redemption"
    )
    receipt = models.ForeignKey(
        "documents.GeneratedDocument", verbose_name=_("兑换小票"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("积分兑换")
        verbose_name_plural = _("积分兑换")
        ordering = ["-redeemed_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "redeemed_at"], name="market_redemption_org_at")]

    def __str__(self):
        return f"{self.household} · {self.goods.name}×{self.quantity} · -{points_text(self.points)}"

    @property
    def number(self):
        """The receipt number printed on the 兑换小票: ``DH2025-000123``."""
        return f"DH{timezone.localtime(self.redeemed_at).year}-{self.pk:06d}"


class BarFlag(models.TextChoices):
    VIOLATION = "violation", _("违法违纪（一票否决）")


class RedemptionBar(models.Model):
    """A flag that bars a member from redeeming while it lasts; accrual goes on (钟祥 l.1617).

    In force from ``start_on`` to ``end_on`` (inclusive; open-ended when empty) unless lifted
    earlier (``lifted_on``). Which flags bar redemption is the scheme's ``[redemption] barred_by``.
    """

    member = models.ForeignKey("members.Member", verbose_name=_("农户"), on_delete=models.PROTECT,
                               related_name="redemption_bars")
    flag = models.CharField(_("标记"), max_length=40, choices=BarFlag.choices, default=BarFlag.VIOLATION)
    reason = models.CharField(_("事由"), max_length=300)
    start_on = models.DateField(_("起始日期"))
    end_on = models.DateField(_("截止日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    lifted_on = models.DateField(_("解除日期"), null=True, blank=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("解除人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("不得兑换标记")
        verbose_name_plural = _("不得兑换标记")
        ordering = ["-start_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__isnull=True) | models.Q(end_on__gte=models.F("start_on")),
                name="market_bar_period_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.get_flag_display()}"

    def in_force_on(self, day):
        """True when the bar covers ``day`` (a date)."""
        if day < self.start_on or (self.end_on is not None and day > self.end_on):
            return False
        return self.lifted_on is None or day < self.lifted_on


class YearEndMode(models.TextChoices):
    RESET = "reset", _("年底清零")
    CARRY_OVER = "carry_over", _("结转下一年度")


class CycleClose(models.Model):
    """The year end of one village's points cycle: the points left reset or carried over, once."""

    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("所属村"), on_delete=models.PROTECT, related_name="cycle_closes"
    )
    cycle_start = models.DateField(_("周期起始日"))
    cycle_end = models.DateField(_("周期截止日"))
    mode = models.CharField(_("处理方式"), max_length=20, choices=YearEndMode.choices)
    households = models.PositiveIntegerField(_("涉及户数"))
    points = models.DecimalField(_("清零/结转积分合计"), max_digits=12, decimal_places=2)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT,
                                  related_name="+")
    closed_at = models.DateTimeField(_("办理时间"), default=timezone.now)

    class Meta:
        verbose_name = _("年度积分清零/结转")
        verbose_name_plural = _("年度积分清零/结转")
        ordering = ["-cycle_start", "organisation__path"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "cycle_start"], name="market_one_close_per_cycle"),
        ]

    def __str__(self):
        return f"{self.organisation} {self.cycle_start:%Y} {self.get_mode_display()}"

    @property
    def next_cycle_start(self):
        return self.cycle_end + datetime.timedelta(days=1)
