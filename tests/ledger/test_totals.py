"""The per-quarter totals beside the ledger (``ScoreTotal``): kept by every post, filled by the
backfill, and checked against the entries by ``verify_ledger``."""
import datetime
from decimal import Decimal

import pytest
from django.db import connection

from ledger import totals
from ledger.models import LedgerEntry, ScoreTotal
from ledger.services import NewEntry, post_batch, post_correction, post_entry
from ledger.verify import verify_all, verify_chain

from .conftest import CYCLE

D = datetime.date


def post(tree, who, component, points, day, org=None, **kw):
    return post_entry(organisation=org or tree[who].organisation, member=tree[who], component=component,
                      points=Decimal(points), occurred_on=day, cycle_start=kw.pop("cycle", CYCLE), source="test", **kw)


def stored():
    """Every stored total as ``{(organisation_id, member_id, cycle_start, component): [values]}``."""
    return {(organisation_id, *key): values
            for organisation_id, chain in totals.stored(ScoreTotal.objects.values("organisation_id")).items()
            for key, values in chain.items()}


def recounted():
    """The totals the entries add up to, as :func:`stored`."""
    found = {}
    for organisation_id in LedgerEntry.objects.values_list("organisation_id", flat=True).distinct():
        rows = LedgerEntry.objects.filter(organisation_id=organisation_id, kind__in=["posted", "correction"])
        chain = totals.tally(rows.values_list("member_id", "cycle_start", "component", "points", "occurred_on"))
        found.update({(organisation_id, *key): values for key, values in chain.items()})
    return found


@pytest.fixture
def ledger(tree, clerk):
    a = tree["a"]
    first = post(tree, "zhang", "basic", "10", D(2025, 1, 5), org=a)
    post(tree, "zhang", "basic", "3.50", D(2025, 2, 28), org=a)
    post(tree, "zhang", "basic", "2", D(2025, 11, 30), org=a)
    post(tree, "zhang", "basic", "4", D(2024, 12, 31), org=a)  # dated before its cycle: "other"
    post(tree, "li", "bonus", "1.25", D(2025, 7, 1), org=a)
    post(tree, "zhang", "basic", "6", D(2025, 4, 1), org=tree["committee"])  # the higher chain, same member
    post(tree, "wang", "basic", "9", D(2025, 3, 1), org=tree["b"])
    post_correction(first, Decimal("7"), "核减", clerk)  # −3 on 5 January
    post_entry(organisation=a, member=tree["zhang"], component="basic", points=Decimal("-5"),
               occurred_on=D(2025, 6, 1), cycle_start=CYCLE, source="market", kind="redemption")
    return first


def test_posting_keeps_each_chains_quarter_totals(ledger, tree):
    a, zhang = tree["a"], tree["zhang"]
    total = ScoreTotal.objects.get(organisation=a, member=zhang, cycle_start=CYCLE, component="basic")
    # Q1: 10 + 3.50 − 3 (the correction); Q4: 2; 31 December 2024 is before the cycle; the redemption is no score.
    assert (total.q1, total.q2, total.q3, total.q4, total.other) == (
        Decimal("10.50"), None, None, Decimal("2.00"), Decimal("4.00"))
    assert (total.entries, total.lowest, total.highest) == (5, Decimal("-3.00"), Decimal("10.00"))
    assert (total.first_on, total.last_on) == (D(2024, 12, 31), D(2025, 11, 30))
    higher = ScoreTotal.objects.get(organisation=tree["committee"], member=zhang)
    assert (higher.q2, higher.entries) == (Decimal("6.00"), 1)
    assert stored() == recounted()


def test_a_batch_with_corrections_adds_to_the_stored_totals(ledger, tree, clerk):
    a, zhang = tree["a"], tree["zhang"]
    original = NewEntry(member_id=zhang.pk, component="basic", points=Decimal("8"), occurred_on=D(2025, 2, 1),
                        cycle_start=CYCLE, source="review")
    post_batch(a, [original,
                   NewEntry(member_id=zhang.pk, component="basic", points=Decimal("-1"), occurred_on=D(2025, 2, 1),
                            cycle_start=CYCLE, source="objection", corrects=original),
                   NewEntry(member_id=tree["li"].pk, component="basic", points=Decimal("2"),
                            occurred_on=D(2026, 1, 2), cycle_start=D(2026, 1, 1), source="review")])
    total = ScoreTotal.objects.get(organisation=a, member=zhang, cycle_start=CYCLE, component="basic")
    assert (total.q1, total.entries) == (Decimal("17.50"), 7)
    assert ScoreTotal.objects.get(member=tree["li"], cycle_start=D(2026, 1, 1)).q1 == Decimal("2.00")
    assert stored() == recounted()


def test_backfill_gives_the_totals_the_posts_kept(ledger):
    kept = stored()
    ScoreTotal.objects.all().delete()
    assert totals.backfill() == len(kept)
    assert stored() == kept


def test_quarters_are_counted_from_the_cycle_start_as_the_engine_counts_them():
    july = D(2025, 7, 1)
    assert [totals.quarter_of(july, day) for day in (D(2025, 7, 1), D(2025, 9, 30), D(2025, 10, 1),
                                                      D(2026, 6, 30), D(2026, 7, 1), D(2025, 6, 30))] == [
        0, 0, 1, 3, 4, -1]


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize("tampering", [
    "UPDATE ledger_scoretotal SET q1 = q1 + 1 WHERE q1 IS NOT NULL",
    "UPDATE ledger_scoretotal SET lowest = 0",
    "DELETE FROM ledger_scoretotal WHERE component = 'bonus'",
])
def test_verify_reports_totals_that_differ_from_the_entries(ledger, tree, tampering):
    assert all(report.ok for report in verify_all())
    raw(tampering)
    report = verify_chain(tree["a"])
    assert report.tamper.problem == "totals"
    named = tree["li" if "DELETE" in tampering else "zhang"]
    assert "ScoreTotal" in report.tamper.detail and f"成员 {named.pk}，" in report.tamper.detail
    assert {r.organisation.code for r in verify_all() if not r.ok} >= {"dongjie"}


def test_verify_reports_a_total_without_entries(ledger, tree):
    ScoreTotal.objects.create(organisation=tree["b"], member=tree["wang"], cycle_start=CYCLE, component="bonus",
                              q3=Decimal(5), entries=1, lowest=Decimal(5), highest=Decimal(5), first_on=D(2025, 8, 1),
                              last_on=D(2025, 8, 1))
    report = verify_chain(tree["b"])
    assert report.tamper.problem == "totals" and "bonus" in report.tamper.detail
