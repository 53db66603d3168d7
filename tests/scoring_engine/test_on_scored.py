"""``compute(..., on_scored=...)`` hands each member's final result over as soon as it is final (the
year-end close stores them meanwhile: appraisals.services.storing.FirstResults): at once for a member
no quota (名额) can move, after the organisation-wide quotas for the members holding a quota's grade."""
from decimal import Decimal

import pytest

import scoring_engine
from scoring_engine import engine, load_preset, load_scheme, preset_document, result_to_dict

from .util import YEAR


def _county(n, top=100):
    """``n`` members of county-7-3 (篇二): daily 100 and appraisal ``top`` − i, so 70 + 0.3 × (top − i);
    at 90 and above 优秀, held to 15% by its quota."""
    members = [{"id": f"m{i}", "name": f"m{i}", "branch": "b1" if i % 2 else "b2"} for i in range(n)]
    events = [{"member": f"m{i}", "date": "2025-03-01", "component": "daily", "points": 100} for i in range(n)]
    appraisal = {f"m{i}": {"score": top - i} for i in range(n)}
    return members, events, appraisal


def _seen(item):
    return (item.id, item.total, item.grade, item.stars, item.vetoed, dict(item.components), item.actions, item.awards)


def test_each_member_is_handed_over_once_and_final_the_quotas_candidates_last(monkeypatch):
    monkeypatch.setattr(engine, "SCORED_BATCH", 4)
    scheme = load_preset("county-7-3")
    members, events, appraisal = _county(20, top=75)  # 70 + 0.3 × (75 − i): m0–m8 above 90, m9–m19 合格
    batches = []
    result = scoring_engine.compute(scheme, YEAR, members, events, appraisal,
                                    on_scored=lambda items: batches.append([_seen(i) for i in items]))

    assert [len(b) for b in batches] == [4, 4, 4, 4, 4]  # two while scoring, three after the quotas
    order = [s[0] for batch in batches for s in batch]
    assert order == [f"m{i}" for i in range(9, 20)] + [f"m{i}" for i in range(9)]  # 合格 cannot be moved: at once
    seen = {s[0]: s for batch in batches for s in batch}
    assert all(_seen(item) == seen[item.id] for item in result.members)  # what was handed over is final
    # 15% of 20 is 3 places of 优秀, by rank; the others fall back to 合格 and lose the commendation.
    assert [(seen[f"m{i}"][2], seen[f"m{i}"][6]) for i in range(4)] == [("优秀", ("commend",))] * 3 + [("合格", ())]


def test_handing_results_over_changes_no_result():
    scheme = load_preset("county-7-3")
    members, events, appraisal = _county(40)
    plain = scoring_engine.compute(scheme, YEAR, members, events, appraisal)
    streamed = scoring_engine.compute(scheme, YEAR, members, events, appraisal, on_scored=lambda items: None)
    assert result_to_dict(streamed, "county-7-3") == result_to_dict(plain, "county-7-3")
    grades = [m.grade for m in plain.members]
    assert grades.count("优秀") == 6 and [m.actions for m in plain.members[:7]] == [("commend",)] * 6 + [()]


def test_without_quota_candidates_results_are_handed_over_in_order():
    scheme = load_preset("chunhe-street")
    members = [{"id": f"m{i}", "name": f"m{i}", "branch": "b1"} for i in range(5)]
    handed = []
    result = scoring_engine.compute(scheme, YEAR, members, [], {f"m{i}": {"score": 80} for i in range(5)},
                                    on_scored=handed.extend)
    assert handed == result.members
    assert result.members[0].total == Decimal("16.00")


def test_a_refusal_while_scoring_stops_the_handing_over(monkeypatch):
    monkeypatch.setattr(engine, "SCORED_BATCH", 2)
    document = preset_document("county-7-3")
    document["appraisal"] = {**document.get("appraisal", {}), "missing": "error"}  # 篇二 without its zero rule
    scheme = load_scheme(document)
    members, events, appraisal = _county(6, top=60)  # all 合格: none held back
    del appraisal["m4"]
    handed = []
    with pytest.raises(scoring_engine.SchemeError) as info:
        scoring_engine.compute(scheme, YEAR, members, events, appraisal, on_scored=handed.append)
    assert info.value.path == "appraisal.m4"
    assert [[i.id for i in batch] for batch in handed] == [["m0", "m1"], ["m2", "m3"]]


def test_members_read_ahead_are_taken_as_they_are_and_only_by_their_own_scheme():
    """The year-end close reads its members (``parse_members``) while the database is still adding
    up the ledger: ``compute`` takes that roster in place of the member objects, with the same result;
    a roster read for another scheme is read again (and refused: its members are not objects)."""
    scheme = load_preset("county-7-3")
    members, events, appraisal = _county(6)
    roster = scoring_engine.parse_members(members, scheme)
    assert [m.id for m in roster] == [m["id"] for m in members] and roster.scheme is scheme
    read_ahead = scoring_engine.compute(scheme, YEAR, roster, events, appraisal)
    assert result_to_dict(read_ahead) == result_to_dict(scoring_engine.compute(scheme, YEAR, members, events, appraisal))
    with pytest.raises(scoring_engine.SchemeError) as caught:
        scoring_engine.compute(load_preset("county-7-3"), YEAR, roster, events, appraisal)
    assert caught.value.path == "members[0]"
