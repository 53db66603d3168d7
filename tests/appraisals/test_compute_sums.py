"""The close adds up the ledger in the database where the engine only adds (``_quarter_sums``) and
falls back to the entries one by one wherever a sum could hide what the engine checks per event."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appraisals.services import compute
from ledger.services import post_entry

from .conftest import add_members, open_for, post

CYCLE = datetime.date(2025, 1, 1)


def _components(ev):
    return {r.member.name: {k: Decimal(v) for k, v in r.components.items()} for r in ev.results.all()}


def test_quarter_sums_reproduce_caps_per_quarter_and_members_without_entries(county):
    a, b, c = add_members(county.east, "甲", "乙", "丙")
    for day, points in ((datetime.date(2025, 1, 5), 8), (datetime.date(2025, 2, 5), 7),  # Q1: 15, capped at 10
                        (datetime.date(2025, 5, 5), 4), (datetime.date(2025, 12, 31), "2.50")):
        post(county.east, a, "base", points, day)
    post(county.east, a, "deduction", 3, datetime.date(2025, 8, 1))
    post(county.east, b, "bonus", 12, datetime.date(2025, 3, 31))  # capped at 10
    ev = open_for(county, "chunhe-street")
    rows = compute.compute_results(ev, county.clerk)
    assert rows.count() == 3
    got = _components(ev)
    assert got["甲"]["base"] == Decimal("16.50") and got["甲"]["deduction"] == Decimal(3)
    assert got["乙"]["bonus"] == Decimal(10) and got["乙"]["base"] == 0
    assert got["丙"] == {"base": 0, "bonus": 0, "deduction": 0, "appraisal": 0}
    assert compute.verify_results(ev) == []


def test_a_negative_entry_on_a_positive_component_is_read_one_by_one_and_refused(county):
    # Summed, 5 − 2 = 3 would pass as a deduction; the engine sees the −2 entry and refuses it.
    a, b = add_members(county.east, "甲", "乙")
    post(county.east, a, "deduction", 5, datetime.date(2025, 4, 1))
    bad = post(county.east, a, "deduction", -2, datetime.date(2025, 4, 2))
    post(county.east, b, "deduction", 4, datetime.date(2025, 4, 1))
    ev = open_for(county, "chunhe-street")
    with pytest.raises(ValidationError) as info:
        compute.compute_results(ev, county.clerk)
    where = info.value.error_list[0].params["where"]
    assert str(bad.seq) in where and "甲" in where


def test_an_entry_dated_outside_the_cycle_is_read_one_by_one_and_refused(county):
    a, = add_members(county.east, "甲")
    post(county.east, a, "base", 5, datetime.date(2025, 4, 1))
    post_entry(organisation=county.east, member=a, component="base", points=Decimal(3),
               occurred_on=datetime.date(2024, 12, 30), cycle_start=CYCLE, source="test")
    ev = open_for(county, "chunhe-street")
    with pytest.raises(ValidationError) as info:
        compute.compute_results(ev, county.clerk)
    assert "2024-12-30" in info.value.error_list[0].params["msg"]


def test_the_close_reads_the_ledgers_totals_not_its_entries(county):
    a, b = add_members(county.east, "甲", "乙")
    post(county.east, a, "base", 4, datetime.date(2025, 2, 1))
    post(county.east, b, "bonus", 3, datetime.date(2025, 9, 1))
    ev = open_for(county, "chunhe-street")
    wrapped = []

    def wrapper(execute, sql, params, many, context):  # as django-debug-toolbar or a bench counts queries
        wrapped.append(sql)
        return execute(sql, params, many, context)

    with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(wrapper):
        compute.compute_results(ev, county.clerk)
    assert not [q["sql"] for q in queries if "ledger_ledgerentry" in q["sql"]]
    assert any("ledger_scoretotal" in q["sql"] for q in queries)
    assert any("ledger_scoretotal" in sql for sql in wrapped)
    assert _components(ev)["甲"]["base"] == Decimal(4)


def test_entries_in_two_chains_add_up_in_their_quarter(county):
    # The town's chain and the branch's hold entries of the same member: one quarter's cap over both.
    a, = add_members(county.east, "甲")
    post(county.east, a, "base", 6, datetime.date(2025, 2, 1))
    post(county.town, a, "base", 7, datetime.date(2025, 3, 1))  # Q1: 13, capped at 10
    post(county.town, a, "base", 2, datetime.date(2025, 8, 1))
    ev = open_for(county, "chunhe-street")
    compute.compute_results(ev, county.clerk)
    assert _components(ev)["甲"]["base"] == Decimal(12)
    assert compute.verify_results(ev) == []


def test_one_chain_that_does_not_fit_makes_the_members_entries_of_every_chain_read(county):
    # One declaration's entries in two chains: +5 (fits) and −2 (a deduction below zero: read one by
    # one). Summing the first and reading the second would refuse the −2 alone; read together, the
    # declaration is one event of +3.
    a, = add_members(county.east, "甲")
    for org, points in ((county.east, 5), (county.town, -2)):
        post_entry(organisation=org, member=a, component="deduction", points=Decimal(points),
                   occurred_on=datetime.date(2025, 4, 1), cycle_start=CYCLE, source="test",
                   source_ref="test/declaration:999999")
    ev = open_for(county, "chunhe-street")
    compute.compute_results(ev, county.clerk)
    assert _components(ev)["甲"]["deduction"] == Decimal(3)
    assert compute.verify_results(ev) == []


def test_a_recomputation_writes_only_the_results_that_changed(county):
    a, b, c = add_members(county.east, "甲", "乙", "丙")
    post(county.east, a, "base", 4, datetime.date(2025, 2, 1))
    post(county.east, b, "base", 5, datetime.date(2025, 2, 1))
    ev = open_for(county, "chunhe-street")
    compute.compute_results(ev, county.clerk)
    before = {r.member.name: r for r in ev.results.all()}
    post(county.east, b, "bonus", 3, datetime.date(2025, 6, 1))  # 乙 changes
    c.is_active = False
    c.save()  # 丙 leaves
    d, = add_members(county.east, "丁")  # 丁 arrives
    compute.compute_results(ev, county.clerk)
    after = {r.member.name: r for r in ev.results.all()}
    assert sorted(after) == ["丁", "乙", "甲"]
    assert after["乙"].components["bonus"] == "3.00" and after["甲"].components["base"] == "4.00"
    assert compute.verify_results(ev) == []
    if connection.vendor == "postgresql":  # rows updated in place (SQLite: deleted and inserted again)
        assert after["甲"].pk == before["甲"].pk and after["甲"].computed_at == before["甲"].computed_at
        assert after["乙"].pk == before["乙"].pk and after["乙"].computed_at > before["乙"].computed_at
