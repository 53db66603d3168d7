"""``compute(..., on_scored=...)`` hands each member's result over as soon as it is scored (the year-end
close stores them meanwhile: appraisals.services.storing.FirstResults); only the members a quota
(名额) moves afterwards differ from what was handed over, and ``Result.revised`` names them."""
from decimal import Decimal

import pytest

import scoring_engine
from scoring_engine import engine, load_preset, load_scheme, preset_document, result_to_dict

from .util import YEAR


def _county(n):
    """``n`` members of county-7-3 (篇二), all above 90 (优秀) before its 15% quota: daily 100, appraisal 100 − i."""
    members = [{"id": f"m{i}", "name": f"m{i}", "branch": "b1" if i % 2 else "b2"} for i in range(n)]
    events = [{"member": f"m{i}", "date": "2025-03-01", "component": "daily", "points": 100} for i in range(n)]
    appraisal = {f"m{i}": {"score": 100 - i} for i in range(n)}
    return members, events, appraisal


def _seen(item):
    return (item.id, item.total, item.grade, item.stars, item.vetoed, dict(item.components), item.actions, item.awards)


def test_every_member_is_handed_over_once_in_order_and_only_the_quotas_moves_are_revised(monkeypatch):
    monkeypatch.setattr(engine, "SCORED_BATCH", 7)
    scheme = load_preset("county-7-3")
    members, events, appraisal = _county(20)
    batches = []
    result = scoring_engine.compute(scheme, YEAR, members, events, appraisal,
                                    on_scored=lambda items: batches.append([_seen(i) for i in items]))

    assert [len(b) for b in batches] == [7, 7, 6]
    seen = {s[0]: s for batch in batches for s in batch}
    assert [s[0] for batch in batches for s in batch] == [m["id"] for m in members]
    # Handed over as 优秀 with a commendation; the quota keeps 3 places (15% of 20), by rank.
    assert all(s[2] == "优秀" and s[6] == ("commend",) for s in seen.values())
    final = {item.id: item for item in result.members}
    assert sorted(result.revised) == sorted(f"m{i}" for i in range(3, 20))
    for member_id, item in final.items():
        if member_id in result.revised:
            assert (item.grade, item.actions) == ("合格", ())  # the grade moved and its action with it
            assert _seen(item)[:2] == seen[member_id][:2] and item.components == seen[member_id][5]
        else:
            assert _seen(item) == seen[member_id]
    assert {final[f"m{i}"].grade for i in range(3)} == {"优秀"}


def test_handing_results_over_changes_no_result():
    scheme = load_preset("county-7-3")
    members, events, appraisal = _county(40)
    plain = scoring_engine.compute(scheme, YEAR, members, events, appraisal)
    streamed = scoring_engine.compute(scheme, YEAR, members, events, appraisal, on_scored=lambda items: None)
    assert result_to_dict(streamed, "county-7-3") == result_to_dict(plain, "county-7-3")
    assert streamed.revised == plain.revised and len(plain.revised) == 34 - 6  # 34 above 90, 6 places


def test_without_quota_moves_nothing_is_revised():
    scheme = load_preset("chunhe-street")
    members = [{"id": f"m{i}", "name": f"m{i}", "branch": "b1"} for i in range(5)]
    handed = []
    result = scoring_engine.compute(scheme, YEAR, members, [], {f"m{i}": {"score": 80} for i in range(5)},
                                    on_scored=handed.extend)
    assert result.revised == () and handed == result.members
    assert result.members[0].total == Decimal("16.00")


def test_a_refusal_while_scoring_stops_the_handing_over(monkeypatch):
    monkeypatch.setattr(engine, "SCORED_BATCH", 2)
    document = preset_document("county-7-3")
    document["appraisal"] = {**document.get("appraisal", {}), "missing": "error"}  # 篇二 without its zero rule
    scheme = load_scheme(document)
    members, events, appraisal = _county(6)
    del appraisal["m4"]
    handed = []
    with pytest.raises(scoring_engine.SchemeError) as info:
        scoring_engine.compute(scheme, YEAR, members, events, appraisal, on_scored=handed.append)
    assert info.value.path == "appraisal.m4"
    assert [[i.id for i in batch] for batch in handed] == [["m0", "m1"], ["m2", "m3"]]
