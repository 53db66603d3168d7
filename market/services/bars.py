"""Bars on redemption (不得兑换): 钟祥 "出现违法违纪问题，实行一票否决，在规定期限内仍可积分但不参与积分兑换奖励"
(篇十六 l.1617). A bar stops the household at the counter; its declarations and postings go on."""
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from organisations.permissions import require
from workdays.clock import local_today

from ..errors import MarketErrorCode as Code
from ..errors import error
from ..models import BarFlag, RedemptionBar
from .common import VILLAGE_STAFF


def record_bar(*, member, by, reason, start_on=None, end_on=None, flag=BarFlag.VIOLATION):
    """The village records a flag on ``member`` from ``start_on`` (default today) to ``end_on`` (open).

    Raises:
        PermissionDenied: ``by`` is not staff of the member's village (or above).
        ValidationError: ``reason_missing`` (reason), ``period_invalid`` (end_on).
    """
    require(by, member.organisation, VILLAGE_STAFF)
    reason = (reason or "").strip()
    if not reason:
        raise error("reason", Code.REASON_MISSING, _("请填写不得兑换的事由（村集体决定）。"))
    start_on = start_on or local_today()
    if end_on is not None and end_on < start_on:
        raise error("end_on", Code.PERIOD_INVALID, _("截止日期 %(end)s 早于起始日期 %(start)s。"), end=end_on, start=start_on)
    if flag not in BarFlag.values:
        flag = BarFlag.VIOLATION
    return RedemptionBar.objects.create(member=member, flag=flag, reason=reason[:300], start_on=start_on,
                                        end_on=end_on, recorded_by=by)


def lift_bar(bar, *, by, lifted_on=None):
    """End a bar early (解除) from ``lifted_on`` (default today).

    Raises:
        PermissionDenied: ``by`` is not staff of the member's village (or above).
        ValidationError: ``bar_already_lifted`` (whole step), ``period_invalid`` (lifted_on).
    """
    require(by, bar.member.organisation, VILLAGE_STAFF)
    lifted_on = lifted_on or local_today()
    with transaction.atomic():
        bar = RedemptionBar.objects.select_for_update().get(pk=bar.pk)
        if bar.lifted_on is not None:
            raise error("__all__", Code.BAR_ALREADY_LIFTED, _("该标记已于 %(day)s 解除。"), day=bar.lifted_on)
        if lifted_on < bar.start_on:
            raise error("lifted_on", Code.PERIOD_INVALID, _("解除日期 %(day)s 早于起始日期 %(start)s。"),
                        day=lifted_on, start=bar.start_on)
        bar.lifted_on, bar.lifted_by = lifted_on, by
        bar.save(update_fields=["lifted_on", "lifted_by"])
    return bar


def bars_in_force(member, day, flags=None):
    """The member's bars covering ``day`` (a date), limited to ``flags`` when given (one query)."""
    qs = RedemptionBar.objects.filter(member=member, start_on__lte=day).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=day)
    ).filter(Q(lifted_on__isnull=True) | Q(lifted_on__gt=day))
    if flags is not None:
        qs = qs.filter(flag__in=list(flags))
    return list(qs.order_by("start_on", "pk"))


def barring(member, settings, day=None):
    """The bars that stop ``member`` redeeming on ``day`` under ``settings`` (a scheme's ``RedemptionSettings``).

    Only the flags the scheme lists in ``barred_by`` bar; a scheme that lists none bars nobody.
    """
    if not settings.barred_by:
        return []
    return bars_in_force(member, day or local_today(), settings.barred_by)


__all__ = ["record_bar", "lift_bar", "bars_in_force", "barring"]
