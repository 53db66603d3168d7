"""Rules that cut across presets: quotas and ties, checks, vetoes, history, quarters, exclusions."""
from decimal import Decimal

import pytest

import scoring_engine
from scoring_engine import SchemeError

from .util import by_id, checks_of, event, member, run


def chunhe_member_with_total(member_id, base, bonus=0, appraisal=None, **fields):
    """Events for a chunhe-street member (base ≤ 10 per quarter, spread over four quarters)."""
    events = []
    for quarter, month in enumerate(("02", "05", "08", "11")):
        portion = min(10, max(0, base - 10 * quarter))
        if portion:
            events.append(event(member_id, f"2025-{month}-01", "base", portion))
        portion = min(10, max(0, bonus - 10 * quarter))
        if portion:
            events.append(event(member_id, f"2025-{month}-02", "bonus", portion))
    return member(member_id, **fields), events


def scenario(specs):
    members, events, appraisal = [], [], {}
    for member_id, base, bonus, score, fields in specs:
        m, e = chunhe_member_with_total(member_id, base, bonus, **fields)
        members.append(m)
        events += e
        appraisal[member_id] = {"score": score}
    return members, events, appraisal


def test_chunhe_quota_tie_at_the_cut_is_reported_not_broken():
    """20 members, excellent_share 0.15 -> 3 places. Four members at ≥80: 96, 90, 90, 90.
    The cut falls inside the three-way tie at 90: only the 96 is 优秀, the three 90s stay 合格
    and the tie is listed with 2 places left for the branch to decide."""
    specs = [("top", 40, 40, 80, {}), ("t1", 40, 30, 100, {}), ("t2", 40, 30, 100, {}), ("t3", 40, 30, 100, {})]
    specs += [(f"m{i}", 30, 10, 100, {}) for i in range(16)]  # 30 + 10 + 20 = 60
    members, events, appraisal = scenario(specs)
    result = run("chunhe-street", members, events, appraisal)
    got = by_id(result)
    assert got["top"]["total"] == 96.0 and got["t1"]["total"] == 90.0
    assert got["top"]["grade"] == "优秀"
    assert {got[t]["grade"] for t in ("t1", "t2", "t3")} == {"合格"}
    [tie] = checks_of(result, "quota_tie")
    assert tie["members"] == ["t1", "t2", "t3"] and tie["places_left"] == 2 and tie["total"] == 90.0
    [quota] = checks_of(result, "quota")
    assert quota["limit"] == 3 and sorted(quota["moved"]) == ["t1", "t2", "t3"]


def test_chunhe_actions_and_veto_and_two_years_below_60():
    """talk for 60–69; admonish + rectify below 60; dispose when the previous cycle was below 60 too;
    a sanctioned member is vetoed to 0 and so also below 60."""
    specs = [("talk", 40, 10, 75, {}), ("low", 20, 10, 90, {}), ("low2", 20, 10, 90, {}),
             ("vetoed", 40, 40, 100, {"flags": {"sanctioned": True}}),
             ("petition", 40, 40, 100, {"flags": {"illegal_petition": True}})]
    members, events, appraisal = scenario(specs)
    history = {"low2": [{"cycle_start": "2024-01-01", "total": 55}],
               "low": [{"cycle_start": "2023-01-01", "total": 40}]}  # not the previous cycle
    got = by_id(run("chunhe-street", members, events, appraisal, history))
    assert (got["talk"]["total"], got["talk"]["actions"]) == (65.0, ["talk"])
    assert (got["low"]["total"], got["low"]["actions"]) == (48.0, ["admonish", "rectify"])
    assert got["low2"]["actions"] == ["admonish", "rectify", "dispose"]
    assert (got["low"]["grade"], got["low2"]["grade"]) == ("诫勉", "不合格")  # l.413: only a second year is 不合格
    for name in ("vetoed", "petition"):
        # 一票否决、积分清零 (l.403), then a first year below 60: 诫勉, not yet 不合格 (l.413).
        assert (got[name]["total"], got[name]["vetoed"], got[name]["grade"]) == (0.0, True, "诫勉")
        assert got[name]["components"]["base"] == 40  # components are shown; only the total is zeroed


def test_chunhe_share_below_60_check():
    """篇十二: 2%–5% below 60, in whole people rounded down.
    Whole organisation (default): 70 members -> 1–3 required; 2 below -> no finding.
    Per branch (scope "branch"): b1 has 50 members -> 1–2 required, none below -> finding;
    b2 has 20 -> 0–1 allowed, 2 below -> finding."""
    specs = [(f"a{i}", 40, 20, 100, {"branch": "b1"}) for i in range(50)]
    specs += [(f"b{i}", 40, 20, 100, {"branch": "b2"}) for i in range(18)]
    specs += [("b_low1", 10, 0, 50, {"branch": "b2"}), ("b_low2", 10, 0, 50, {"branch": "b2"})]
    members, events, appraisal = scenario(specs)
    assert checks_of(run("chunhe-street", members, events, appraisal), "share_below") == []

    document = scoring_engine.preset_document("chunhe-street")
    document["checks"][0]["scope"] = "branch"
    findings = {c["branch"]: c for c in checks_of(run(document, members, events, appraisal), "share_below")}
    assert findings["b1"]["count"] == 0 and findings["b1"]["required_min"] == 1 and findings["b1"]["required_max"] == 2
    assert findings["b2"]["count"] == 2 and findings["b2"]["required_max"] == 1

    members, events, appraisal = scenario(specs[:50])  # 50 members, nobody below 60
    [finding] = checks_of(run("chunhe-street", members, events, appraisal), "share_below")
    assert (finding["branch"], finding["count"], finding["required_min"]) == (None, 0, 1)


def test_excluded_members_are_not_scored_and_take_no_quota_place():
    specs = [("x", 40, 40, 100, {"flags": {"excluded": True}}), ("m", 40, 20, 100, {})]
    members, events, appraisal = scenario(specs)
    got = by_id(run("chunhe-street", members, events, appraisal))
    assert got["x"] == {"id": "x", "total": None, "grade": None, "stars": None, "vetoed": False,
                        "components": {}, "actions": [], "excluded": True}
    assert got["m"]["total"] == 80.0


def test_quarters_count_from_a_july_cycle_start():
    """七一 cycle: July–September is the first quarter. 12 points in August and 12 in September
    share one quarter cap of 10; 12 in October is the second quarter."""
    cycle = {"start": "2024-07-01", "end": "2025-06-30"}
    scheme = scoring_engine.preset_document("chunhe-street")
    scheme = dict(scheme, cycle={"months": 12, "start_days": ["01-01", "07-01"]})
    events = [event("m1", "2024-08-01", "base", 6), event("m1", "2024-09-30", "base", 6),
              event("m1", "2024-10-01", "base", 12)]
    got = by_id(run(scheme, [member("m1")], events, {"m1": {"score": 0}}, cycle=cycle))
    assert got["m1"]["components"]["base"] == 20


def test_cycle_cap_after_quarter_caps():
    events = [event("m1", f"2025-{m:02d}-01", "base", 10) for m in (1, 4, 7, 10)]
    events.append(event("m1", "2025-12-31", "base", -3))  # a correction lowers Q4 to 7
    got = by_id(run("chunhe-street", [member("m1")], events, {"m1": {"score": 0}}, overrides={"base_cycle_cap": 35}))
    assert got["m1"]["components"]["base"] == 35  # 10 + 10 + 10 + 7 = 37, capped at 35


def test_share_of_total_cap_for_rewards():
    """篇四's other reading, enabled inline: rewards at most 10% of the member's own total.
    daily 100, appraisal 100 -> 80 + 20 = 100 = rest; limit = 0.1/0.9 × 100 = 11.11…; reward 15 -> 11.11…,
    total 111.11… bounded to 100 (bounds apply after the share cap).
    With daily 50, appraisal 50: rest 50, limit 5.555…, total 55.56."""
    document = scoring_engine.preset_document("chengde-pioneer-index")
    document["components"][2]["max_share_of_total"] = Decimal("0.1")
    document["components"][2].pop("cycle_cap")
    events = [event("m1", "2025-03-01", "reward", 15, item="a"), event("m2", "2025-03-01", "reward", 15, item="a"),
              event("m2", "2025-03-01", "daily", 50)]
    got = by_id(run(document, [member("m1"), member("m2")], events, {"m1": {"score": 100}, "m2": {"score": 50}}))
    assert got["m1"]["components"]["reward"] == 11.11 and got["m1"]["total"] == 100.0
    assert got["m2"]["components"]["reward"] == 5.56 and got["m2"]["total"] == 55.56


def test_rounding_half_up_only_at_the_end():
    """m1: votes 2×优秀 + 1×合格 = 260/3 = 86.666…; ×0.2 = 17.333…; base 10 + 17.333… = 27.333… -> 27.33
    (rounding the weighted appraisal first would give the same here, but the component shows 86.67).
    m2: score 52.525 × 0.2 = 10.505 exactly -> 10.51 (half up; banker's rounding would give 10.50)."""
    events = [event("m1", "2025-03-01", "base", 10)]
    got = by_id(run("chunhe-street", [member("m1"), member("m2")], events,
                    {"m1": {"votes": {"优秀": 2, "合格": 1}}, "m2": {"score": "52.525"}}))
    assert got["m1"]["total"] == 27.33 and got["m1"]["components"]["appraisal"] == 86.67
    assert got["m2"]["total"] == 10.51


def test_history_must_be_the_immediately_previous_cycle_for_consecutive_rules():
    """chengde: 基本合格 two years running -> dispose; a 基本合格 two cycles ago does not count."""
    events = [event("m1", "2025-06-01", "daily", 30), event("m2", "2025-06-01", "daily", 30)]
    history = {"m1": [{"cycle_start": "2024-01-01", "grade": "基本合格"}],
               "m2": [{"cycle_start": "2023-01-01", "grade": "基本合格"}, {"cycle_start": "2024-01-01", "grade": "合格"}]}
    got = by_id(run("chengde-pioneer-index", [member("m1"), member("m2")], events,
                    {"m1": {"score": 60}, "m2": {"score": 60}}, history))
    assert got["m1"]["actions"] == ["talk", "dispose"]
    assert got["m2"]["actions"] == ["talk"]


def test_probationary_member_twice_basic_is_cancelled_not_extended():
    events = [event("p", "2025-06-01", "daily", 30)]
    history = {"p": [{"cycle_start": "2024-01-01", "grade": "基本合格"}]}
    got = by_id(run("chengde-pioneer-index", [member("p", probationary=True)], events, {"p": {"score": 60}}, history))
    assert got["p"]["actions"] == ["talk", "cancel_probation"]


def test_best_per_item_does_not_depend_on_event_order():
    a = [event("m1", "2025-03-01", "reward", 3, item="award"), event("m1", "2025-09-01", "reward", 5, item="award")]
    results = [by_id(run("chengde-pioneer-index", [member("m1")], evs, {"m1": {"score": 80}}))["m1"]
               for evs in (a, a[::-1])]
    assert results[0] == results[1] and results[0]["components"]["reward"] == 5


def test_vote_counts_can_be_given_as_any_subset_of_kinds():
    got = by_id(run("chunhe-street", [member("m1")], [], {"m1": {"votes": {"差": 4}}}))
    assert got["m1"]["components"]["appraisal"] == 40.0


def test_overriding_a_whole_section():
    bands = [{"label": "好", "min": 50}, {"label": "差", "max": 50}]
    got = by_id(run("chunhe-street", [member("m1")], [event("m1", "2025-03-01", "base", 10)],
                    {"m1": {"score": 100}}, overrides={"grades": {"bands": bands}, "quotas": [], "actions": []}))
    assert got["m1"]["grade"] == "差"


def test_overridden_section_is_still_validated():
    with pytest.raises(SchemeError) as caught:
        scoring_engine.load_preset("chunhe-street", {"quotas": [{"grade": "优秀", "max_share": 2, "fallback": "合格"}]})
    assert caught.value.path == "quotas[0].max_share"


def test_deduct_components_take_either_sign_as_a_deduction():
    """倒扣: "扣5分" may arrive as 5 or as −5; both deduct 5. 100 − 5 − 3 = 92."""
    for signs in ((5, 3), (-5, -3), (5, -3)):
        events = [event("m1", "2025-03-01", "daily", signs[0]), event("m1", "2025-04-01", "daily", signs[1])]
        got = by_id(run("chengde-pioneer-index", [member("m1")], events, {"m1": {"score": 80}}))
        assert got["m1"]["components"]["daily"] == 92, signs


def test_a_sign_rule_on_a_deduct_component_is_rejected():
    document = scoring_engine.preset_document("chengde-pioneer-index")
    document["components"][0]["accepts"] = "positive"
    with pytest.raises(SchemeError) as caught:
        scoring_engine.load_scheme(document)
    assert caught.value.path == "components[0].accepts"


def test_members_transferred_in_under_six_months_are_graded_but_not_commended():
    """DOMAIN 5 / 篇十五: scored, but the year's points are no ground for commendation."""
    events = [event(m, "2025-03-01", "daily", 100) for m in ("new", "old")]
    members = [member("new", flags={"transferred_in_months": 4}), member("old", flags={"transferred_in_months": 8})]
    members += [member(f"x{i}") for i in range(18)]  # 20 members: 3 places for 优秀
    appraisal = {m["id"]: {"score": 95} for m in members}
    events += [event(f"x{i}", "2025-03-01", "daily", 70) for i in range(18)]
    got = by_id(run("county-7-3", members, events, appraisal))
    assert got["new"]["grade"] == got["old"]["grade"] == "优秀"
    assert got["new"]["actions"] == [] and got["old"]["actions"] == ["commend"]


def test_previous_cycle_follows_the_schemes_length_even_for_a_partial_run():
    """A half-year trial run of an annual scheme still finds last year's result as "the previous cycle"."""
    history = {"m1": [{"cycle_start": "2024-01-01", "total": 50}]}
    result = run("chunhe-street", [member("m1")], [event("m1", "2025-02-01", "base", 10)], {"m1": {"score": 50}},
                 history, cycle={"start": "2025-01-01", "end": "2025-06-30"})
    assert result["members"][0]["actions"] == ["admonish", "rectify", "dispose"]
    assert [c["type"] for c in result["checks"]] == ["cycle", "share_below"]  # 1 of 1 below 60 > 5%
