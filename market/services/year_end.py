"""Year end of a village's points cycle: the points left are reset or carried over, as the scheme says.

钟祥 (篇十六 l.1473): "年底清零，次年重新积分" — ``[redemption] year_end = "reset"``; a scheme
saying ``"carry_over"`` moves each household's remaining points into the next cycle. Nothing
is deleted: the close writes ``reset`` entries into the village's chain —

* reset: one entry per household, in the closing cycle, of minus what is left (a negative
  remainder, from deductions, is cleared the same way: plus its amount);
* carry over: the same entry out of the closing cycle, and one entry of plus the remainder
  into the next cycle (dated its first day). Only a positive remainder is carried; a
  negative one is cleared as under reset, so no household starts a year in debt.

The cycle's score (``ledger.services.balance``, rankings, the year-end evaluation) is untouched:
reset entries are not part of it.
"""
import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from ledger import services as ledger
from ledger.models import EntryKind, LedgerEntry
from members.models import Member
from organisations.models import RoleKind
from organisations.permissions import require
from reviews.models import ReviewRound, RoundStatus
from workdays.clock import local_today

from ..errors import MarketErrorCode as Code
from ..errors import error
from ..models import CycleClose, YearEndMode
from .common import require_village, scheme_in_force

#: Who closes the year: the village's secretary (村党组织书记).
CLOSERS = (RoleKind.SECRETARY,)
#: The component the year-end entries carry.
YEAR_END_COMPONENT = "year_end"
ZERO = Decimal("0.00")


def remainders(village, cycle_start):
    """``{member_id: points}``: every household's points left in ``village``'s chain for the cycle (≠ 0)."""
    rows = (
        LedgerEntry.objects.filter(organisation=village, cycle_start=cycle_start)
        .values("member_id").annotate(total=Sum("points")).order_by("member_id")
    )
    return {row["member_id"]: row["total"] for row in rows if row["total"]}


def close_cycle(village, *, by, cycle_start):
    """Reset or carry over the points left in ``village``'s cycle starting ``cycle_start``; returns the ``CycleClose``.

    The mode is the ``[redemption] year_end`` of the scheme whose cycle starts on
    ``cycle_start``. Runs once per village and cycle, after the cycle's last day and after
    every review round of the cycle has reached the ledger.

    Raises:
        PermissionDenied: ``by`` is not the village's secretary (or above).
        ValidationError: ``not_a_village`` (organisation), ``no_scheme_in_force`` /
            ``scheme_does_not_redeem`` / ``cycle_not_over`` (cycle_start), ``rounds_open`` /
            ``cycle_already_closed`` (whole step).
    """
    require_village(village)
    require(by, village, CLOSERS)
    in_force = scheme_in_force(village, cycle_start, field="cycle_start")
    if in_force.cycle_start != cycle_start:
        raise error("cycle_start", Code.NO_SCHEME_IN_FORCE, _("没有从 %(day)s 开始的积分方案周期。"), day=cycle_start)
    if local_today() <= in_force.cycle_end:
        raise error("cycle_start", Code.CYCLE_NOT_OVER, _("本周期到 %(end)s 才结束，年底后才能清零或结转。"),
                    end=in_force.cycle_end)
    open_rounds = ReviewRound.objects.filter(organisation=village, cycle_start=cycle_start).exclude(
        status=RoundStatus.FINAL)
    if open_rounds.exists():
        raise error("__all__", Code.ROUNDS_OPEN, _("本周期还有审核批次未记入台账（%(round)s），请办结后再清零或结转。"),
                    round=open_rounds.first())
    mode = YearEndMode(in_force.redemption.year_end)
    next_start = in_force.cycle_end + datetime.timedelta(days=1)
    with transaction.atomic():
        village = ledger.lock_chain(village)
        if CycleClose.objects.filter(organisation=village, cycle_start=cycle_start).exists():
            raise error("__all__", Code.CYCLE_ALREADY_CLOSED, _("%(year)s 年度积分已办理过清零或结转。"),
                        year=cycle_start.year)
        left = remainders(village, cycle_start)
        members = Member.objects.in_bulk(list(left))
        total = ZERO
        source_ref = f"cycle-close:{village.pk}:{cycle_start.isoformat()}"
        for member_id, points in sorted(left.items()):
            member = members[member_id]
            carried = mode == YearEndMode.CARRY_OVER and points > 0
            note = (_("年度积分结转至 %(day)s 起的下一周期") % {"day": next_start} if carried
                    else _("年底清零，次年重新积分"))
            ledger.post_entry(
                organisation=village, member=member, component=YEAR_END_COMPONENT, points=-points,
                occurred_on=in_force.cycle_end, cycle_start=cycle_start, kind=EntryKind.RESET,
                source="year-end", source_ref=source_ref, recorded_by=by, note=note,
            )
            if carried:
                ledger.post_entry(
                    organisation=village, member=member, component=YEAR_END_COMPONENT, points=points,
                    occurred_on=next_start, cycle_start=next_start, kind=EntryKind.RESET,
                    source="year-end", source_ref=source_ref, recorded_by=by,
                    note=_("由 %(year)s 年度结转") % {"year": cycle_start.year},
                )
            total += points
        return CycleClose.objects.create(
            organisation=village, cycle_start=cycle_start, cycle_end=in_force.cycle_end, mode=mode,
            households=len(left), points=total, closed_by=by,
        )
