"""Bad schemes and bad scenarios are rejected once, at the edge, with the field named."""
import copy

import pytest

import scoring_engine
from scoring_engine import SchemeError, parse_scheme

from .util import YEAR, event, member, run


def minimal_scheme(**changes):
    scheme = {
        "format_version": 1,
        "key": "inline",
        "components": [
            {"name": "points", "floor": 0, "ceiling": 100},
            {"name": "appraisal", "from_appraisal": True},
        ],
        "combination": {"terms": [
            {"component": "points", "weight": "0.7", "group": "w"},
            {"component": "appraisal", "weight": "0.3", "group": "w"},
        ]},
        "total": {"min": 0, "max": 100},
        "grades": {"bands": [
            {"label": "优秀", "min": 90},
            {"label": "合格", "min": 60, "max": 90},
            {"label": "不合格", "max": 60},
        ]},
    }
    scheme.update(changes)
    return scheme


def rejected(scheme):
    with pytest.raises(SchemeError) as caught:
        parse_scheme(scheme)
    return caught.value


def test_minimal_inline_scheme_is_valid_and_usable_in_a_scenario():
    result = run(minimal_scheme(), [member("m1")], [event("m1", "2025-05-01", "points", 80)],
                 appraisal={"m1": {"score": 50}})
    assert result["members"][0]["total"] == 71.0
    assert result["scheme"] == "inline"


@pytest.mark.parametrize("bands, path, words", [
    ([{"label": "优", "min": 90}, {"label": "中", "min": 60, "max": 80}, {"label": "差", "max": 60}],
     "grades.bands[0]", ["80–90", "[80, 90)"]),
    ([{"label": "优", "min": 90}, {"label": "中", "min": 60, "max": 90, "max_inclusive": True},
      {"label": "差", "max": 60}], "grades.bands[0]", ["90", "[90]"]),
    ([{"label": "优", "min": 70}, {"label": "良", "min": 60, "max": 70, "max_inclusive": True},
      {"label": "差", "max": 60}], "grades.bands[0]", ["70", "[70]"]),
    ([{"label": "优", "min": 90, "max": 95}, {"label": "中", "min": 60, "max": 90}, {"label": "差", "max": 60}],
     "grades.bands", ["95–100", "[95, 100]"]),
    ([{"label": "优", "min": 90}, {"label": "中", "min": 60, "max": 90}, {"label": "差", "min": 10, "max": 60}],
     "grades.bands[2]", ["0–10", "[0, 10)"]),
    ([{"label": "优", "min": 85}, {"label": "合格", "min": 60, "max": 85, "max_inclusive": True},
      {"label": "差", "max": 60}], "grades.bands[0]", ["85"]),
])
def test_bands_with_a_gap_or_an_overlap_are_rejected_naming_the_range(bands, path, words):
    error = rejected(minimal_scheme(grades={"bands": bands}))
    assert error.path == path
    for word in words:
        assert word in error.message, (word, error.message)


def test_dongtang_literal_bands_overlap_at_70():
    """东塘 taken literally: 70-80 良好 and 60-70 合格 both contain 70 ("以上/以下" include the number)."""
    bands = [
        {"label": "优秀", "min": 90},
        {"label": "良好", "min": 70, "max": 80, "max_inclusive": True},
        {"label": "合格", "min": 60, "max": 70, "max_inclusive": True},
        {"label": "不合格", "max": 60, "max_inclusive": True},
    ]
    error = rejected(minimal_scheme(grades={"bands": bands}))
    assert error.path == "grades.bands[2]"
    assert error.message.startswith("60 同时落入 不合格 与 合格 两个区间：[60]")


def test_exclusive_lower_bounds_partition_cleanly():
    bands = [{"label": "a", "max": 30, "max_inclusive": True},
             {"label": "b", "min": 30, "min_inclusive": False}]
    scheme = parse_scheme(minimal_scheme(grades={"bands": bands}))
    assert [b.value for b in scheme.grades.bands] == ["a", "b"]


def test_weights_of_a_group_must_sum_to_one():
    scheme = minimal_scheme()
    scheme["combination"]["terms"][1]["weight"] = "0.2"
    error = rejected(scheme)
    assert error.path == "combination.terms[1].weight"
    assert "0.9" in error.message


def test_weights_override_must_keep_the_sum():
    with pytest.raises(SchemeError) as caught:
        scoring_engine.load_preset("county-7-3", {"daily_weight": "0.6"})
    assert caught.value.path == "combination.terms[1].weight"


def test_negative_cap_is_rejected():
    scheme = minimal_scheme()
    scheme["components"][0]["quarter_cap"] = -5
    error = rejected(scheme)
    assert error.path == "components[0].quarter_cap"


def test_negative_cap_via_preset_parameter_is_rejected():
    with pytest.raises(SchemeError) as caught:
        scoring_engine.load_preset("chunhe-street", {"base_quarter_cap": -1})
    assert caught.value.path == "components[0].quarter_cap"


def test_unknown_field_is_rejected_not_ignored():
    scheme = minimal_scheme()
    scheme["components"][0]["quater_cap"] = 5
    assert rejected(scheme).path == "components[0].quater_cap"


def test_unknown_component_in_combination():
    scheme = minimal_scheme()
    scheme["combination"]["terms"][0]["component"] = "nope"
    assert rejected(scheme).path == "combination.terms[0].component"


def test_unknown_action_and_grade_label():
    scheme = minimal_scheme(actions=[{"when": {"grades": ["优秀"]}, "do": ["praise"]}])
    assert rejected(scheme).path == "actions[0].do[0]"
    scheme = minimal_scheme(actions=[{"when": {"grades": ["良好"]}, "do": ["talk"]}])
    assert rejected(scheme).path == "actions[0].when.grades[0]"


def test_unsupported_format_version():
    assert rejected(minimal_scheme(format_version=2)).path == "format_version"


def test_unknown_override_names_the_parameter():
    with pytest.raises(SchemeError) as caught:
        scoring_engine.load_preset("chunhe-street", {"base_cap": 5})
    assert caught.value.path == "scheme_overrides.base_cap"
    assert "base_quarter_cap" in caught.value.message


def test_unknown_preset():
    with pytest.raises(SchemeError) as caught:
        run("no-such-scheme", [member("m1")])
    assert caught.value.path == "scheme"


# --------------------------------------------------------------------------- scenario input

def chunhe(events, members=None, **kw):
    members = members or [member("m1")]
    appraisal = kw.pop("appraisal", {m["id"]: {"score": 80} for m in members})
    return run("chunhe-street", members, events, appraisal=appraisal, **kw)


def test_event_outside_the_cycle_is_an_error():
    with pytest.raises(SchemeError) as caught:
        chunhe([event("m1", "2025-03-01", "base", 1), event("m1", "2024-12-31", "base", 1)])
    assert caught.value.path == "events[1].date"


def test_event_for_unknown_member_or_component():
    with pytest.raises(SchemeError) as caught:
        chunhe([event("m9", "2025-03-01", "base", 1)])
    assert caught.value.path == "events[0].member"
    events = [event("m1", "2025-03-01", "base", 1)] * 17 + [event("m1", "2025-03-01", "bonnus", 1)]
    with pytest.raises(SchemeError) as caught:
        chunhe(events)
    assert caught.value.path == "events[17].component"
    assert "bonus" in caught.value.message


def test_event_field_errors():
    cases = [
        ({"member": "m1", "date": "2025-13-01", "component": "base", "points": 1}, "events[0].date"),
        ({"member": "m1", "date": "2025-03-01", "component": "base", "points": "abc"}, "events[0].points"),
        ({"member": "m1", "date": "2025-03-01", "component": "base", "points": True}, "events[0].points"),
        ({"member": "m1", "date": "2025-03-01", "component": "base"}, "events[0].points"),
        ({"member": "m1", "component": "base", "points": 1}, "events[0].date"),
        ({"member": "m1", "date": "2025-03-01", "component": "base", "points": 1, "pionts": 2}, "events[0].pionts"),
        ({"member": "m1", "date": "2025-03-01", "component": "deduction", "points": -4}, "events[0].points"),
        ({"member": "m1", "date": "2025-03-01", "component": "appraisal", "points": 4}, "events[0].component"),
    ]
    for raw, path in cases:
        with pytest.raises(SchemeError) as caught:
            chunhe([raw])
        assert caught.value.path == path, (raw, caught.value)


def test_member_errors():
    with pytest.raises(SchemeError) as caught:
        chunhe([], members=[member("m1"), member("m1")])
    assert caught.value.path == "members[1].id"
    with pytest.raises(SchemeError) as caught:
        run("dagaowei-village", [member("m1", category="retired")])
    assert caught.value.path == "members[0].category"


def test_appraisal_errors():
    cases = [
        ({"m1": {"score": 120}}, "appraisal.m1.score"),
        ({"m1": {"votes": {"优秀": 0}}}, "appraisal.m1.votes"),
        ({"m1": {"votes": {"很好": 3}}}, "appraisal.m1.votes.很好"),
        ({"m1": {"votes": {"优秀": 2.5}}}, "appraisal.m1.votes.优秀"),
        ({"m9": {"score": 80}}, "appraisal.m9"),
        ({"m1": {"raters": {"self": 80}}}, "appraisal.m1.raters"),
    ]
    for appraisal, path in cases:
        with pytest.raises(SchemeError) as caught:
            chunhe([], appraisal=appraisal)
        assert caught.value.path == path, (appraisal, caught.value)


def test_rater_errors():
    cycle = {"start": "2025-01-01", "end": "2025-03-31"}
    dims = ["work_tasks", "indicators", "innovation", "training", "activities"]
    good = {"raters": {"self": 80, "masses": 80, "leadership": 80}}
    appraisal = {"m1": {"components": {d: copy.deepcopy(good) for d in dims}}}
    del appraisal["m1"]["components"]["training"]["raters"]["masses"]
    with pytest.raises(SchemeError) as caught:
        run("star-oilfield-quarterly", [member("m1")], appraisal=appraisal, cycle=cycle)
    assert caught.value.path == "appraisal.m1.components.training.raters.masses"


def test_history_errors():
    with pytest.raises(SchemeError) as caught:
        chunhe([], history={"m1": [{"cycle_start": "2025-01-01", "total": 50}]})
    assert caught.value.path == "history.m1[0].cycle_start"
    with pytest.raises(SchemeError) as caught:
        chunhe([], history={"m1": [{"cycle_start": "2024-01-01", "totl": 50}]})
    assert caught.value.path == "history.m1[0].totl"


def test_cycle_errors():
    with pytest.raises(SchemeError) as caught:
        chunhe([], cycle={"start": "2025-01-01", "end": "2024-12-31"})
    assert caught.value.path == "cycle.end"
    half_year = chunhe([], cycle={"start": "2025-01-01", "end": "2025-06-30"})
    [finding] = [c for c in half_year["checks"] if c["type"] == "cycle"]
    assert "12" in finding["message"]
    assert [c for c in chunhe([])["checks"] if c["type"] == "cycle"] == []


def test_item_points_must_agree_with_the_item():
    with pytest.raises(SchemeError) as caught:
        run("teacher-reading", [member("t1")], [event("t1", "2025-03-01", "reading", 40, item="original")])
    assert caught.value.path == "events[0].points"
    with pytest.raises(SchemeError) as caught:
        run("teacher-reading", [member("t1")], [event("t1", "2025-03-01", "reading", item="novel")])
    assert caught.value.path == "events[0].item"


def test_fraud_flag_needs_a_fraud_rule():
    with pytest.raises(SchemeError) as caught:
        chunhe([event("m1", "2025-03-01", "base", 2, fraudulent=True)])
    assert caught.value.path == "events[0].fraudulent"


def test_scenario_unknown_top_level_key():
    with pytest.raises(SchemeError) as caught:
        scoring_engine.simulate({"scheme": "chunhe-street", "cycle": YEAR, "members": [], "event": []})
    assert caught.value.path == "event"


def test_inline_scheme_error_path_is_prefixed_with_scheme():
    bad = minimal_scheme()
    bad["components"][0]["cycle_cap"] = -1
    with pytest.raises(SchemeError) as caught:
        scoring_engine.simulate({"scheme": bad, "cycle": YEAR, "members": []})
    assert caught.value.path == "scheme.components[0].cycle_cap"


def test_review_settings_are_validated_and_exposed():
    review = scoring_engine.load_preset("resort-rural").review
    assert (review.cadence, review.publicity_cadence, review.publicity_days, review.rural) == ("quarterly", "quarterly",
                                                                                              7, True)
    assert rejected(minimal_scheme(review={"publicity_days": 0})).path == "review.publicity_days"
    assert rejected(minimal_scheme(review={"publicity_days": 6})).path == "review.publicity_days"
    assert rejected(minimal_scheme(review={"cadence": "weekly"})).path == "review.cadence"
    assert rejected(minimal_scheme(review={"period_kind": "week"})).path == "review.period_kind"
    assert rejected(minimal_scheme(review={"publicity": 7})).path == "review.publicity"


def test_missing_appraisal_counts_zero_and_is_listed_or_is_an_error_when_required():
    events = [event("m1", "2025-03-01", "base", 10), event("m2", "2025-03-01", "base", 10)]
    members = [member("m1"), member("m2"), member("v", flags={"sanctioned": True})]
    result = run("chunhe-street", members, events, appraisal={"m2": {"score": 50}})
    assert [m["total"] for m in result["members"]] == [10.0, 20.0, 0.0]
    [finding] = [c for c in result["checks"] if c["type"] == "appraisal_missing"]
    assert finding["members"] == ["m1"]  # the vetoed member's appraisal cannot matter
    with pytest.raises(SchemeError) as caught:
        run("chunhe-street", members, events, appraisal={"m2": {"score": 50}},
            overrides={"appraisal": {"missing": "error"}})
    assert caught.value.path == "appraisal.m1"
