"""Year end: the points left are reset or carried over as the scheme says, as reset entries (never deleted)."""
import datetime
import io
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ledger.models import EntryKind, LedgerEntry
from ledger.services import balance, post_entry, redeemable_balance
from ledger.verify import verify_chain
from market.models import CycleClose, YearEndMode
from market.services import catalogue, redemption, year_end
from reviews.services import rounds
from tests.world import D
from workdays.clock import local_today

from .conftest import key, scheme_for, village_world

LAST_YEAR = local_today().year - 1
CYCLE = datetime.date(LAST_YEAR, 1, 1)
NEXT = datetime.date(LAST_YEAR + 1, 1, 1)


def world(preset):
    w = village_world(preset=None)
    w.old = scheme_for(w.village, preset, year=LAST_YEAR)
    w.scheme = scheme_for(w.village, preset)
    return w


def earn_last_year(w, household, points, kind=EntryKind.POSTED, component="family"):
    return post_entry(organisation=w.village, member=household, component=component, points=points,
                      occurred_on=datetime.date(LAST_YEAR, 6, 1), cycle_start=CYCLE, source="review",
                      source_ref=f"t:{uuid.uuid4().hex[:6]}", kind=kind)


def codes(exc):
    return {field: [e.code for e in errors] for field, errors in exc.value.error_dict.items()}


@pytest.mark.django_db
def test_reset_clears_what_is_left_and_keeps_the_score():
    w = world("zhongxiang-governance")
    a, b, c = w.households[:3]
    earn_last_year(w, a, "30")
    earn_last_year(w, b, "12")
    earn_last_year(w, b, "-12", component="penalty")  # nothing left: no entry
    earn_last_year(w, c, "-5", component="penalty")    # a negative remainder is cleared too
    before = LedgerEntry.objects.count()
    close = year_end.close_cycle(w.village, by=w.secretary, cycle_start=CYCLE)
    assert (close.mode, close.households, close.points) == (YearEndMode.RESET, 2, D("25.00"))
    resets = list(LedgerEntry.objects.filter(kind=EntryKind.RESET).order_by("seq"))
    assert [(e.member, e.points, e.cycle_start, e.occurred_on) for e in resets] == [
        (a, D("-30.00"), CYCLE, datetime.date(LAST_YEAR, 12, 31)),
        (c, D("5.00"), CYCLE, datetime.date(LAST_YEAR, 12, 31))]
    assert LedgerEntry.objects.count() == before + 2  # appended, nothing removed
    assert redeemable_balance(a, CYCLE) == D("0.00") and redeemable_balance(a, NEXT) == D("0.00")
    assert balance(a, cycle_start=CYCLE) == D("30.00")  # the year's score stands
    assert verify_chain(w.village).ok
    with pytest.raises(ValidationError) as exc:
        year_end.close_cycle(w.village, by=w.secretary, cycle_start=CYCLE)
    assert codes(exc) == {"__all__": ["cycle_already_closed"]}


@pytest.mark.django_db
def test_carry_over_moves_the_remainder_into_the_next_cycle():
    w = world("household-grid")
    a, b = w.households[:2]
    earn_last_year(w, a, "40", component="reward")
    earn_last_year(w, b, "-3", component="penalty")
    rice = catalogue.add_goods(village=w.village, by=w.secretary, name="大米", price="10", stock=5)
    close = year_end.close_cycle(w.village, by=w.secretary, cycle_start=CYCLE)
    assert close.mode == YearEndMode.CARRY_OVER
    entries = [(e.member, e.points, e.cycle_start) for e in LedgerEntry.objects.filter(kind=EntryKind.RESET)
               .order_by("seq")]
    assert entries == [(a, D("-40.00"), CYCLE), (a, D("40.00"), NEXT), (b, D("3.00"), CYCLE)]
    assert redeemable_balance(a, NEXT) == D("40.00") and redeemable_balance(b, NEXT) == D("0.00")
    assert balance(a, cycle_start=NEXT) == D("0.00")  # carried points are spendable, not this year's score
    done = redemption.redeem(household=a, goods=rice, quantity=3, cashier=w.cashier, key=key())
    assert done.balance_after == D("10.00") and done.cycle_start == NEXT
    assert verify_chain(w.village).ok


@pytest.mark.django_db
def test_year_end_waits_for_the_cycle_and_its_rounds_and_is_the_secretarys():
    w = world("zhongxiang-governance")
    earn_last_year(w, w.households[0], "10")
    with pytest.raises(PermissionDenied):
        year_end.close_cycle(w.village, by=w.cashier, cycle_start=CYCLE)
    with pytest.raises(ValidationError) as exc:
        year_end.close_cycle(w.village, by=w.secretary, cycle_start=w.scheme.cycle_start)
    assert codes(exc) == {"cycle_start": ["cycle_not_over"]}
    rounds.open_round(organisation=w.village, by=w.secretary, period_start=datetime.date(LAST_YEAR, 12, 1))
    with pytest.raises(ValidationError) as exc:
        year_end.close_cycle(w.village, by=w.secretary, cycle_start=CYCLE)
    assert codes(exc) == {"__all__": ["rounds_open"]}
    assert not CycleClose.objects.exists() and not LedgerEntry.objects.filter(kind=EntryKind.RESET).exists()


@pytest.mark.django_db
def test_a_closed_cycle_redeems_no_more():
    w = village_world()
    earn = post_entry(organisation=w.village, member=w.households[0], component="family", points="10",
                      occurred_on=local_today(), cycle_start=w.scheme.cycle_start, source="review")
    soap = catalogue.add_goods(village=w.village, by=w.secretary, name="肥皂", price="5", stock=5)
    CycleClose.objects.create(organisation=w.village, cycle_start=w.scheme.cycle_start, cycle_end=w.scheme.cycle_end,
                              mode=YearEndMode.RESET, households=0, points=0, closed_by=w.secretary)
    with pytest.raises(ValidationError) as exc:
        redemption.redeem(household=earn.member, goods=soap, quantity=1, cashier=w.cashier, key=key())
    assert codes(exc) == {"__all__": ["cycle_closed"]}


@pytest.mark.django_db
def test_close_points_year_command():
    from django.core.management import CommandError, call_command
    w = world("zhongxiang-governance")
    earn_last_year(w, w.households[0], "10")
    with pytest.raises(CommandError, match="年底后才能"):
        call_command("close_points_year", w.village.code, w.scheme.cycle_start.isoformat(), by=w.secretary.username)
    out = io.StringIO()
    call_command("close_points_year", w.village.code, CYCLE.isoformat(), by=w.secretary.username, stdout=out)
    assert "1 户" in out.getvalue()
    assert LedgerEntry.objects.filter(kind=EntryKind.RESET).count() == 1
