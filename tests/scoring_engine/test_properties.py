"""Property-based tests (hypothesis): the invariants that must hold for any input."""
import random
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .util import by_id, event, member, run

YEAR_DAYS = [date(2025, 1, 1) + timedelta(days=n) for n in range(365)]

points = st.integers(min_value=-30, max_value=40)
days = st.sampled_from(YEAR_DAYS).map(date.isoformat)


def events_for(components, member_ids):
    return st.lists(
        st.tuples(st.sampled_from(member_ids), days, st.sampled_from(components), points),
        max_size=60,
    )


def as_events(raw, positive=()):
    return [event(m, d, c, abs(p) if c in positive else p) for m, d, c, p in raw]


MEMBERS = ["a", "b", "c", "d"]
CHUNHE = ["base", "bonus", "deduction"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=events_for(CHUNHE, MEMBERS), scores=st.lists(st.integers(0, 100), min_size=4, max_size=4))
def test_caps_are_never_exceeded_and_totals_stay_in_bounds(raw, scores):
    events = as_events(raw, positive={"deduction"})
    appraisal = {m: {"score": s} for m, s in zip(MEMBERS, scores)}
    result = run("chunhe-street", [member(m) for m in MEMBERS], events, appraisal)
    for m in result["members"]:
        assert 0 <= m["components"]["base"] <= 40
        assert 0 <= m["components"]["bonus"] <= 40
        assert 0 <= m["components"]["deduction"] <= 80   # ≤ 20 in each of four quarters
        assert 0 <= m["total"] <= 100
    # Per-quarter caps: no member's base exceeds 10 × the number of quarters with base events.
    for m in result["members"]:
        quarters = {(int(d[5:7]) - 1) // 3 for who, d, c, p in raw if who == m["id"] and c == "base"}
        assert m["components"]["base"] <= 10 * len(quarters)


@settings(max_examples=60, deadline=None)
@given(raw=events_for(CHUNHE, MEMBERS), seed=st.integers(0, 10**6))
def test_order_of_events_is_irrelevant(raw, seed):
    events = as_events(raw, positive={"deduction"})
    shuffled = list(events)
    random.Random(seed).shuffle(shuffled)
    appraisal = {m: {"votes": {"优秀": 2, "合格": 1}} for m in MEMBERS}
    members = [member(m) for m in MEMBERS]
    assert run("chunhe-street", members, events, appraisal) == run("chunhe-street", members, shuffled, appraisal)


@settings(max_examples=60, deadline=None)
@given(raw=events_for(["positive", "negative"], MEMBERS), vetoed=st.sets(st.sampled_from(MEMBERS)),
       flag=st.sampled_from(["criminal", "cult", "vice", "serious_violation"]))
def test_a_veto_always_yields_zero(raw, vetoed, flag):
    events = as_events(raw, positive={"positive", "negative"})
    members = [member(m, flags={flag: m in vetoed}) for m in MEMBERS]
    got = by_id(run("hongjiang-township", members, events))
    for m in MEMBERS:
        if m in vetoed:
            assert got[m]["total"] == 0.0 and got[m]["vetoed"] and got[m]["grade"] == "不合格"
        else:
            assert not got[m]["vetoed"] and 0 <= got[m]["total"] <= 100


@settings(max_examples=60, deadline=None)
@given(scores=st.lists(st.tuples(st.integers(60, 100), st.integers(60, 100)), min_size=1, max_size=40),
       share=st.sampled_from(["0.1", "0.15", "0.2", "0.5"]))
def test_excellent_quota_is_never_exceeded(scores, share):
    ids = [f"m{i}" for i in range(len(scores))]
    events = [event(i, "2025-03-01", "daily", d) for i, (d, _) in zip(ids, scores)]
    appraisal = {i: {"score": a} for i, (_, a) in zip(ids, scores)}
    result = run("county-7-3", [member(i) for i in ids], events, appraisal, overrides={"excellent_share": share})
    excellent = [m for m in result["members"] if m["grade"] == "优秀"]
    assert len(excellent) <= int(Decimal(share) * len(ids))
    # Every 优秀 outranks every ≥90 member left out, unless the cut is a reported tie.
    left_out = [m for m in result["members"] if m["grade"] == "合格" and m["total"] >= 90]
    if excellent and left_out:
        assert min(m["total"] for m in excellent) > max(m["total"] for m in left_out)
    ties = [c for c in result["checks"] if c["type"] == "quota_tie"]
    for tie in ties:
        assert all(by_id(result)[i]["grade"] == "合格" for i in tie["members"])


@settings(max_examples=40, deadline=None)
@given(grid=st.lists(st.lists(st.integers(0, 10), min_size=5, max_size=5), min_size=1, max_size=30))
def test_star_quotas_are_never_exceeded(grid):
    dims = ["dedication", "tech_innovation", "safety", "charity", "honesty"]
    ids = [f"m{i}" for i in range(len(grid))]
    appraisal = {i: {"components": {d: {"score": s} for d, s in zip(dims, row)}} for i, row in zip(ids, grid)}
    result = run("star-nonpublic", [member(i) for i in ids], appraisal=appraisal)
    stars = [m["stars"] for m in result["members"]]
    assert stars.count(5) <= len(ids) // 10
    assert stars.count(4) <= len(ids) // 5
    for m, row in zip(result["members"], grid):
        assert m["stars"] <= sum(1 for s in row if s >= 8)


@settings(max_examples=40, deadline=None)
@given(raw=st.lists(st.tuples(days, st.integers(0, 30)), max_size=30))
def test_deduct_from_base_never_goes_below_its_floor(raw):
    events = [event("m1", d, "daily", p) for d, p in raw]
    got = by_id(run("chengde-pioneer-index", [member("m1")], events, {"m1": {"score": 70}}))
    expected = max(0, 100 - sum(p for _, p in raw))
    assert got["m1"]["components"]["daily"] == expected
