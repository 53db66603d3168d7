"""Per-quarter sums handed to the engine (``prepare(..., sums=...)``) give the results of the events
one by one, for every preset's foldable components (``foldable_components``): the review chain's
year-end close relies on it when the database adds up the ledger."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scoring_engine
from scoring_engine import SchemeError, foldable_components, load_preset, preset_keys, result_to_dict

from .util import YEAR

DAYS = [date(2025, 1, 1) + timedelta(days=n) for n in range(365)]
MEMBERS = ["m1", "m2", "m3", "m4", "m5"]
PRESETS = [key for key in preset_keys() if foldable_components(load_preset(key))]
AMOUNTS = st.one_of(st.integers(0, 30), st.decimals(min_value=0, max_value=30, places=2, allow_nan=False))


def _members(scheme, categories, flags):
    cats = sorted(scheme.categories) if scheme.categories is not None else None
    return [{"id": m, "name": m, "branch": "b1" if i % 2 else "b2",
             "category": cats[c % len(cats)] if cats else None, "flags": flag}
            for i, (m, c, flag) in enumerate(zip(MEMBERS, categories, flags))]


def _events(scheme, raw):
    """Events obeying each foldable component's sign (the only events the sums may stand for)."""
    foldable = foldable_components(scheme)
    names = sorted(foldable)
    events = []
    for member, day, pick, amount, negate in raw:
        name = names[pick % len(names)]
        sign = foldable[name]
        points = -amount if sign == -1 or (sign == 0 and negate) else amount
        events.append({"member": member, "date": DAYS[day].isoformat(), "component": name, "points": points})
    return events


def _sums(events):
    """The per-quarter sums of ``events``, added up here independently (calendar quarters)."""
    totals = {}
    for e in events:
        quarters = totals.setdefault((e["member"], e["component"]), [None] * 4)
        q = (date.fromisoformat(e["date"]).month - 1) // 3
        quarters[q] = e["points"] if quarters[q] is None else quarters[q] + e["points"]
    return [(member, component, quarters) for (member, component), quarters in totals.items()]


def _appraisal(scheme, scores):
    """A score per member for each appraisal component of the scheme (none when it has none)."""
    names = [c.name for c in scheme.components if c.from_appraisal]
    if not names:
        return None
    if len(names) == 1:
        return {m: {"score": s} for m, s in zip(MEMBERS, scores)}
    return {m: {"components": {name: {"score": s} for name in names}} for m, s in zip(MEMBERS, scores)}


def _outcome(fn):
    try:
        return result_to_dict(fn())
    except SchemeError as error:
        return ("error", error.path, error.message)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(preset=st.sampled_from(PRESETS),
       raw=st.lists(st.tuples(st.sampled_from(MEMBERS), st.integers(0, 364), st.integers(0, 20), AMOUNTS,
                              st.booleans()), min_size=20, max_size=80),
       categories=st.lists(st.integers(0, 5), min_size=5, max_size=5),
       flags=st.lists(st.sampled_from([{}, {"sanctioned": True}, {"transferred_in_months": 3}]), min_size=5,
                      max_size=5),
       scores=st.lists(st.integers(0, 100), min_size=5, max_size=5),
       split=st.sets(st.sampled_from(MEMBERS), max_size=2))
def test_sums_give_the_results_of_the_events_one_by_one(preset, raw, categories, flags, scores, split):
    scheme = load_preset(preset)
    members = _members(scheme, categories, flags)
    events = _events(scheme, raw)
    appraisal = _appraisal(scheme, scores)
    general = _outcome(lambda: scoring_engine.compute(scheme, YEAR, members, events, appraisal))
    # the members in ``split`` keep their events; the others' arrive as sums
    kept = [e for e in events if e["member"] in split]
    summed = _sums([e for e in events if e["member"] not in split])
    fast = _outcome(lambda: scoring_engine.compute(scheme, YEAR, members, kept, appraisal, sums=summed))
    assert fast == general


def test_a_sum_of_the_wrong_sign_or_an_unknown_member_or_component_is_refused():
    scheme = load_preset("chunhe-street")  # deduction: positive only
    members = [{"id": "a", "name": "a"}]
    cases = [
        ([("a", "deduction", [Decimal(-1), None, None, None])], "sums[0].quarters[0]"),
        ([("zz", "base", [1, None, None, None])], "sums[0].member"),
        ([("a", "appraisal", [1, None, None, None])], "sums[0].component"),
        ([("a", "base", [1, None])], "sums[0].quarters"),
        ([("a", "base", [1.5, None, None, None])], "sums[0].quarters[0]"),
        ([("a", "base")], "sums[0]"),
    ]
    for sums, path in cases:
        with pytest.raises(SchemeError) as caught:
            scoring_engine.compute(scheme, YEAR, members, [], sums=sums)
        assert caught.value.path == path, (sums, caught.value.path)


def test_a_member_without_events_has_no_sums_and_an_empty_quarter_stays_empty():
    scheme = load_preset("chunhe-street")
    members = [{"id": "a", "name": "a"}, {"id": "b", "name": "b"}]
    inputs = scoring_engine.prepare(scheme, YEAR, members, [], sums=[("a", "base", [None, Decimal("3.50"), None, 2])])
    base = scheme.component_index["base"]
    assert inputs.sums[0][base] == [0, Decimal("3.50"), 0, 2]
    assert inputs.sums[1][base] is None


@pytest.mark.parametrize("quarters", [
    [None, Decimal("3.50"), None, 2],
    [Decimal("0.00"), None, None, None],        # a zero: sums, as an event of 0 points gives
    [Decimal("-0.00"), Decimal("1.5"), None, None],  # a negative zero's sign is dropped by the addition
    [0, None, None, None],
    [None, None, None, None],                   # nothing: no sums
    [Decimal("-2"), Decimal("4.25"), None, Decimal("1E+1")],
])
def test_each_sum_folds_as_adding_it_to_zero_would(quarters):
    """The folded figures are those of adding each quarter's sum to 0 (as events one by one are
    added), exponent and sign of zero included: a shortcut that took the sums as they are would not."""
    scheme = load_preset("chunhe-street")  # base: any sign
    base = scheme.component_index["base"]
    inputs = scoring_engine.prepare(scheme, YEAR, [{"id": "a", "name": "a"}], [], sums=[("a", "base", quarters)])
    if all(value is None for value in quarters):
        assert inputs.sums[0][base] is None
        return
    expected = [0] * 4
    for q, value in enumerate(quarters):
        if value is not None:
            expected[q] += value
    folded = inputs.sums[0][base]
    assert [(type(v), str(v)) for v in folded] == [(type(v), str(v)) for v in expected]


def test_a_sum_object_shared_by_many_sums_is_checked_for_each_components_sign():
    """The review chain hands over each distinct sum as one shared object; what a sum gives is worked
    out once per object, but its sign is still held against each component it comes under."""
    scheme = load_preset("chunhe-street")  # base: any sign; deduction: positive only
    members = [{"id": "a", "name": "a"}, {"id": "b", "name": "b"}]
    shared = Decimal("-2.00")
    inputs = scoring_engine.prepare(scheme, YEAR, members, [], sums=[("a", "base", [shared, shared, None, None]),
                                                                     ("b", "base", [None, None, None, shared])])
    base = scheme.component_index["base"]
    assert inputs.sums[0][base] == [Decimal("-2.00"), Decimal("-2.00"), 0, 0]
    assert inputs.sums[1][base][3] == Decimal("-2.00")
    with pytest.raises(SchemeError) as caught:
        scoring_engine.prepare(scheme, YEAR, members, [], sums=[("a", "base", [shared, None, None, None]),
                                                                ("b", "deduction", [None, shared, None, None])])
    assert caught.value.path == "sums[1].quarters[1]"


def test_sums_made_one_by_one_fold_as_the_same_sums_in_a_list():
    """Sums from a generator, each a new object that may be freed once read (its identity then free
    for the next), fold to the same figures as the same sums held in a list, and as adding each to 0:
    equal sums written with other places (2 and 2.00) keep their own figures."""
    scheme = load_preset("chunhe-street")
    members = [{"id": f"m{i}", "name": f"m{i}"} for i in range(50)]
    values = [None, "0.00", "1.50", "2", "-0.00", "1E+1", "3.25", "2.00", "10"]
    listed = [(f"m{i}", "base", [Decimal(values[(i + q) % 9]) if values[(i + q) % 9] else None for q in range(4)])
              for i in range(50)]
    made = ((m, c, [Decimal(str(v)) if v is not None else None for v in quarters]) for m, c, quarters in listed)

    def figures(sums):
        inputs = scoring_engine.prepare(scheme, YEAR, members, [], sums=sums)
        return [[(type(v), str(v)) for v in row[scheme.component_index["base"]] or []] for row in inputs.sums]
    expected = []
    for _member, _component, quarters in listed:
        row = [0] * 4
        for q, value in enumerate(quarters):
            if value is not None:
                row[q] += Decimal(str(value))
        expected.append([(type(v), str(v)) for v in row] if any(v is not None for v in quarters) else [])
    assert figures(listed) == expected
    assert figures(made) == expected
