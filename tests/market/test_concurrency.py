"""Two cashiers at once: the chain lock serialises them, so neither the balance nor the stock is overdrawn.

Needs PostgreSQL (``DATABASE_URL``): SQLite has no row locks (it serialises whole-file writers
and fails the later one instead).
"""
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from ledger.models import EntryKind, LedgerEntry
from ledger.services import redeemable_balance
from ledger.verify import verify_chain
from market.models import Goods, Redemption
from market.services import catalogue, redemption
from tests.world import D

from .conftest import earn, key, village_world

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")


def _in_threads(targets):
    barrier = threading.Barrier(len(targets))
    results, errors = [], []

    def run(target):
        try:
            barrier.wait(timeout=10)
            results.append(target())
        except Exception as exc:  # collected and asserted by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results, errors


def _code(exc):
    return [e.code for errors in exc.error_dict.values() for e in errors]


def test_two_redemptions_never_overdraw_the_balance():
    w = village_world()
    household = w.households[0]
    earn(w, household, "10")
    rice = catalogue.add_goods(village=w.village, by=w.secretary, name="大米（5斤）", price="8", stock=10)
    oil = catalogue.add_goods(village=w.village, by=w.secretary, name="食用油", price="6", stock=10)
    results, errors = _in_threads([
        lambda: redemption.redeem(household=household, goods=rice, quantity=1, cashier=w.cashier, key=key()),
        lambda: redemption.redeem(household=household, goods=oil, quantity=1, cashier=w.cashier, key=key()),
    ])
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], ValidationError) and _code(errors[0]) == ["insufficient_balance"]
    assert redeemable_balance(household, w.scheme.cycle_start) in (D("2.00"), D("4.00"))
    assert redeemable_balance(household, w.scheme.cycle_start) >= 0
    assert LedgerEntry.objects.filter(kind=EntryKind.REDEMPTION).count() == 1
    assert verify_chain(w.village).ok


def test_two_redemptions_never_overdraw_the_stock():
    w = village_world()
    first, second = w.households[0], w.households[3]
    earn(w, first, "50")
    earn(w, second, "50")
    last_one = catalogue.add_goods(village=w.village, by=w.secretary, name="电饭煲", price="40", stock=1)
    results, errors = _in_threads([
        lambda: redemption.redeem(household=first, goods=last_one, quantity=1, cashier=w.cashier, key=key()),
        lambda: redemption.redeem(household=second, goods=last_one, quantity=1, cashier=w.cashier, key=key()),
    ])
    assert len(results) == 1 and len(errors) == 1 and _code(errors[0]) == ["out_of_stock"]
    assert Goods.objects.get(pk=last_one.pk).stock == 0
    assert Redemption.objects.count() == 1
    assert verify_chain(w.village).ok


def test_the_same_form_submitted_twice_at_once_makes_one_entry():
    w = village_world()
    household = w.households[0]
    earn(w, household, "50")
    soap = catalogue.add_goods(village=w.village, by=w.secretary, name="肥皂", price="5", stock=5)
    form_key = key()
    results, errors = _in_threads([
        lambda: redemption.redeem(household=household, goods=soap, quantity=1, cashier=w.cashier, key=form_key),
        lambda: redemption.redeem(household=household, goods=soap, quantity=1, cashier=w.cashier, key=form_key),
    ])
    assert errors == [] and len({r.pk for r in results}) == 1
    assert LedgerEntry.objects.filter(kind=EntryKind.REDEMPTION).count() == 1
    assert Goods.objects.get(pk=soap.pk).stock == 4
    assert redeemable_balance(household, w.scheme.cycle_start) == D("45.00")
