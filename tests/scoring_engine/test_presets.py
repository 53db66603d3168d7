"""One worked example per preset, computed by hand from the source's own rules.

Each docstring is the hand calculation; the assertions compare the engine with it.
The numbers are chosen to land on the rules that matter (caps, bands' edges, quotas,
overrides), so a preset that drifts from its source fails here.
"""
import pytest

import scoring_engine
from scoring_engine import SchemeError

from .util import by_id, checks_of, event, member, run


def test_all_sixteen_presets_load_and_validate():
    keys = scoring_engine.preset_keys()
    assert keys == sorted([
        "county-7-3", "chengde-pioneer-index", "chunhe-street", "hongjiang-township", "dagaowei-village",
        "resort-rural", "dongtang-categories", "star-five-school", "star-oilfield-quarterly", "star-ten",
        "star-nonpublic", "household-grid", "zhongxiang-governance", "teacher-reading", "food-seller-risk",
        "street-three-classes",
    ])
    for key in keys:
        document = scoring_engine.preset_document(key)
        assert document["source"].startswith("篇"), key
        assert document["notes"], key
        for name, spec in document.get("params", {}).items():
            assert {"default", "description", "source"} <= set(spec), (key, name)
        scheme = scoring_engine.load_preset(key)
        assert scheme.key == key


def test_chunhe_street_worked_example_from_scenarios_md():
    """SCENARIOS.md: base 12/8/10/10 by quarter -> 10+8+10+10 = 38 (Q1 capped at 10);
    bonus 5/15/0/3 -> 5+10+0+3 = 18 (Q2 capped); deduction 4; appraisal (8×100+2×80)/10 = 96.0,
    weighted 19.2; total 38+18−4+19.2 = 71.2 -> 合格 ([60,80)), 71.2 ≥ 70 so no talk."""
    events = [
        event("m1", "2025-02-10", "base", 12), event("m1", "2025-05-10", "base", 8),
        event("m1", "2025-08-10", "base", 10), event("m1", "2025-11-10", "base", 10),
        event("m1", "2025-03-10", "bonus", 5), event("m1", "2025-04-10", "bonus", 15),
        event("m1", "2025-12-10", "bonus", 3), event("m1", "2025-06-10", "deduction", 4),
    ]
    result = run("chunhe-street", [member("m1", category="ordinary", flags={"sanctioned": False})], events,
                 appraisal={"m1": {"votes": {"优秀": 8, "良好": 2, "合格": 0, "差": 0}}},
                 history={"m1": [{"cycle_start": "2024-01-01", "total": 58.0, "grade": "不合格"}]})
    assert result == {
        "scheme": "chunhe-street",
        "members": [{"id": "m1", "total": 71.2, "grade": "合格", "stars": None, "vetoed": False,
                     "components": {"base": 38, "bonus": 18, "deduction": 4, "appraisal": 96.0},
                     "actions": []}],
        "checks": [],
    }


def test_county_7_3():
    """篇二, 7 members, 优秀 places = floor(15% × 7) = 1.
    m1: daily 95, appraisal 90 -> 0.7×95 + 0.3×90 = 66.5 + 27 = 93.5 (优秀 band, but ranked 2nd) -> 合格.
    m2: daily 60+50 = 110 capped 100, votes (5×100+5×80)/10 = 90 -> 70 + 27 = 97.0 -> 优秀, commend.
    m3: daily 100, appraisal 100 = 100.0 but sanctioned -> 不合格 whatever the total, dispose.
    m4: daily 80, appraisal 80 = 80.0, dues unpaid 6 months -> 不合格, dispose.
    m5: 0.7×80 + 0.3×60 = 56 + 18 = 74.0 -> 合格.  m6: 42 + 21 = 63.0 -> 基本合格, no action.
    m7: 35 + 15 = 50.0 -> 不合格, dispose."""
    members = [member(f"m{i}") for i in range(1, 8)]
    members[2]["flags"] = {"sanctioned": True}
    members[3]["flags"] = {"dues_unpaid_months": 6}
    daily = {"m1": [95], "m2": [60, 50], "m3": [100], "m4": [80], "m5": [80], "m6": [60], "m7": [50]}
    events = [event(m, "2025-03-01", "daily", p) for m, ps in daily.items() for p in ps]
    appraisal = {"m1": {"score": 90}, "m2": {"votes": {"优秀": 5, "良好": 5}}, "m3": {"score": 100},
                 "m4": {"score": 80}, "m5": {"score": 60}, "m6": {"score": 70}, "m7": {"score": 50}}
    result = run("county-7-3", members, events, appraisal)
    got = by_id(result)
    assert [(m, got[m]["total"], got[m]["grade"], got[m]["actions"]) for m in got] == [
        ("m1", 93.5, "合格", []),
        ("m2", 97.0, "优秀", ["commend"]),
        ("m3", 100.0, "不合格", ["dispose"]),
        ("m4", 80.0, "不合格", ["dispose"]),
        ("m5", 74.0, "合格", []),
        ("m6", 63.0, "基本合格", []),
        ("m7", 50.0, "不合格", ["dispose"]),
    ]
    assert got["m2"]["components"] == {"daily": 100, "appraisal": 90.0}
    [quota] = checks_of(result, "quota")
    assert quota["limit"] == 1 and quota["moved"] == ["m1"]


def test_county_7_3_literal_source_bands_are_rejected_for_80_to_90():
    """篇二 literally: 90以上优秀, 70-79合格, 60-69基本合格, 60以下不合格 -> nothing covers 80–90."""
    literal = [
        {"label": "优秀", "min": 90},
        {"label": "合格", "min": 70, "max": 80},
        {"label": "基本合格", "min": 60, "max": 70},
        {"label": "不合格", "max": 60},
    ]
    with pytest.raises(SchemeError) as caught:
        scoring_engine.load_preset("county-7-3", {"grades": {"basis": "total", "bands": literal}})
    assert caught.value.path == "grades.bands[0]"
    assert "80–90" in caught.value.message and "[80, 90)" in caught.value.message


def test_chengde_pioneer_index():
    """篇四. total = 0.8×daily + 0.2×appraisal + reward − penalty, bounded 0–100.
    m1: daily 100−5−3 = 92; appraisal 85; reward: category award 5 and 3 (same category, counted once: 5)
        + media 4 = 9; penalty 2+2 (repeats accumulate) = 4 -> 73.6 + 17 + 9 − 4 = 95.6 优秀, commend.
    m2 (probationary): daily 70, appraisal 60 -> 56 + 12 = 68.0 基本合格 -> talk, extend_probation.
    m3: daily 75, appraisal 70, penalty 10 -> 60 + 14 − 10 = 64.0 基本合格, and 基本合格 last cycle -> talk, dispose.
    m4 (probationary): daily 50, appraisal 50 -> 40 + 10 = 50.0 不合格 -> cancel_probation.
    m5: daily 100, appraisal 100, rewards 6 + 7 in two categories = 13, capped at 10 -> 80+20+10 = 110 -> 100.0."""
    members = [member("m1"), member("m2", probationary=True), member("m3"), member("m4", probationary=True),
               member("m5")]
    events = [
        event("m1", "2025-02-01", "daily", 5), event("m1", "2025-05-01", "daily", 3),
        event("m1", "2025-03-01", "reward", 5, item="award"), event("m1", "2025-09-01", "reward", 3, item="award"),
        event("m1", "2025-04-01", "reward", 4, item="media"),
        event("m1", "2025-06-01", "penalty", 2), event("m1", "2025-07-01", "penalty", 2),
        event("m2", "2025-06-01", "daily", 30),
        event("m3", "2025-06-01", "daily", 25), event("m3", "2025-06-02", "penalty", 10),
        event("m4", "2025-06-01", "daily", 50),
        event("m5", "2025-03-01", "reward", 6, item="volunteer"), event("m5", "2025-04-01", "reward", 7, item="award"),
    ]
    appraisal = {"m1": {"score": 85}, "m2": {"score": 60}, "m3": {"score": 70}, "m4": {"score": 50},
                 "m5": {"score": 100}}
    history = {"m3": [{"cycle_start": "2024-01-01", "total": 65, "grade": "基本合格"}]}
    got = by_id(run("chengde-pioneer-index", members, events, appraisal, history))
    assert got["m1"]["components"] == {"daily": 92, "appraisal": 85.0, "reward": 9, "penalty": 4}
    assert (got["m1"]["total"], got["m1"]["grade"], got["m1"]["actions"]) == (95.6, "优秀", ["commend"])
    assert (got["m2"]["total"], got["m2"]["grade"], got["m2"]["actions"]) == (68.0, "基本合格", ["talk", "extend_probation"])
    assert (got["m3"]["total"], got["m3"]["grade"], got["m3"]["actions"]) == (64.0, "基本合格", ["talk", "dispose"])
    assert (got["m4"]["total"], got["m4"]["grade"], got["m4"]["actions"]) == (50.0, "不合格", ["cancel_probation"])
    assert got["m5"]["components"]["reward"] == 10 and got["m5"]["total"] == 100.0


def test_hongjiang_township():
    """篇十四. Start 60; positive 15+10 = 25, negative 3 -> 82.0 合格.
    m2: 60 + 50 = 110 -> bounded 100.0 -> 优秀 (DOMAIN 3.3 bands), commend.
    m3: dues unpaid 7 months ≥ 6 -> 归零, vetoed, 0.0 -> 不合格, dispose."""
    events = [event("m1", "2025-02-01", "positive", 15), event("m1", "2025-08-01", "positive", 10),
              event("m1", "2025-09-01", "negative", 3), event("m2", "2025-09-01", "positive", 50),
              event("m3", "2025-09-01", "positive", 30)]
    got = by_id(run("hongjiang-township", [member("m1"), member("m2"), member("m3", flags={"dues_unpaid_months": 7})],
                    events))
    assert got["m1"]["components"] == {"base": 60, "positive": 25, "negative": 3}
    assert (got["m1"]["total"], got["m1"]["grade"]) == (82.0, "合格")
    assert (got["m2"]["total"], got["m2"]["grade"], got["m2"]["actions"]) == (100.0, "优秀", ["commend"])
    assert (got["m3"]["total"], got["m3"]["vetoed"], got["m3"]["grade"], got["m3"]["actions"]) == (
        0.0, True, "不合格", ["dispose"])


def test_dagaowei_village():
    """篇十五. Category bases 村干部 0 / 无职 20 / 流动 40 / 老年 60; sub-items capped at their maxima.
    m1 村干部: 0 + 组织生活 (25+10 -> 30) + 履职 28 + 廉洁 20 + 守法 20 + 加分 (救灾5 + 市级3 = 8) − 义务活动2
       = 104 -> 100.0, 五星, 合格.
    m2 无职: 20 + 30 + 10 + 20 + 5 + 5 − 违法违纪5 = 85.0, 四星.
    m3 流动, 预备: 40 + 10 = 50.0, 一星 -> 不合格 -> extend_probation (first time).
    m4 老年: 60.0 二星 合格.  m5 流动: 40 + 5 + 省级5 = 50.0 一星 不合格 -> rectify (转化期).
    Four stars and above are proposed for commendation (l.1181): m1, m2."""
    members = [member("m1", category="village_cadre"), member("m2", category="no_post"),
               member("m3", category="mobile", probationary=True), member("m4", category="elderly"),
               member("m5", category="mobile")]
    events = [
        event("m1", "2025-02-01", "cadre_org_life", 25), event("m1", "2025-06-01", "cadre_org_life", 10),
        event("m1", "2025-06-01", "cadre_duties", 28), event("m1", "2025-06-01", "cadre_integrity", 20),
        event("m1", "2025-06-01", "cadre_law", 20), event("m1", "2025-07-01", "bonus", item="disaster_relief"),
        event("m1", "2025-08-01", "bonus", item="award_city"), event("m1", "2025-08-01", "deduction", item="skipped_public_duty"),
        event("m2", "2025-03-01", "no_post_study", 30), event("m2", "2025-03-01", "no_post_party_day", 10),
        event("m2", "2025-03-01", "no_post_role", 20), event("m2", "2025-03-01", "no_post_pledge", 5),
        event("m2", "2025-03-01", "no_post_post_duty", 5), event("m2", "2025-04-01", "deduction", item="violation"),
        event("m3", "2025-03-01", "mobile_management", 10),
        event("m5", "2025-03-01", "mobile_management", 5), event("m5", "2025-03-01", "bonus", item="award_province"),
    ]
    got = by_id(run("dagaowei-village", members, events))
    assert got["m1"]["components"]["cadre_org_life"] == 30 and got["m1"]["components"]["bonus"] == 8
    assert [(m, got[m]["total"], got[m]["stars"], got[m]["grade"], got[m]["actions"]) for m in got] == [
        ("m1", 100.0, 5, "合格", ["commend"]),
        ("m2", 85.0, 4, "合格", ["commend"]),
        ("m3", 50.0, 1, "不合格", ["extend_probation"]),
        ("m4", 60.0, 2, "合格", []),
        ("m5", 50.0, 1, "不合格", ["rectify"]),
    ]


def test_dagaowei_rejects_a_component_of_another_category():
    with pytest.raises(SchemeError) as caught:
        run("dagaowei-village", [member("m1", category="mobile")], [event("m1", "2025-03-01", "cadre_law", 5)])
    assert caught.value.path == "events[0].component"


def test_resort_rural():
    """篇十六 度假区. 组织生活 35 − 3 absences × 2 = 29; 党费 20 − 1 late × 2 = 18; 发挥作用 25;
    评议 votes (6×100 + 4×80)/10 = 92 -> ×20% = 18.4; 贡献 5 + 10 + 4 + 5 = 24 (no cap)
    -> m1 = 29 + 18 + 25 + 18.4 + 24 = 114.4 (no upper bound) 优秀, commend.
    m2: 35 − 10 = 25, 20, 25 − 10 = 15, appraisal 60 -> 12: 72.0 合格 -> talk (谈心谈话).
    m3: full base 80 + 0.2×80 = 96.0 but 6 months without party life -> 不合格 regardless -> dispose."""
    events = [event("m1", d, "org_life", item="absence") for d in ("2025-02-01", "2025-05-01", "2025-08-01")]
    events += [event("m1", "2025-03-01", "dues", item="late_payment"),
               event("m1", "2025-04-01", "contribution", item="suggestion"),
               event("m1", "2025-04-02", "contribution", 10, item="public_welfare"),
               event("m1", "2025-04-03", "contribution", 4, item="mediation"),
               event("m1", "2025-04-04", "contribution", 5, item="practical_help")]
    events += [event("m2", "2025-02-01", "org_life", 10), event("m2", "2025-02-01", "role", 10)]
    appraisal = {"m1": {"votes": {"优秀": 6, "良好": 4}}, "m2": {"score": 60}, "m3": {"score": 80}}
    got = by_id(run("resort-rural", [member("m1"), member("m2"), member("m3", flags={"no_party_life_months": 6})],
                    events, appraisal))
    assert got["m1"]["components"] == {"org_life": 29, "dues": 18, "role": 25, "appraisal": 92.0, "contribution": 24}
    assert (got["m1"]["total"], got["m1"]["grade"], got["m1"]["actions"]) == (114.4, "优秀", ["commend"])
    assert (got["m2"]["total"], got["m2"]["grade"], got["m2"]["actions"]) == (72.0, "合格", ["talk"])
    assert (got["m3"]["total"], got["m3"]["grade"], got["m3"]["actions"]) == (96.0, "不合格", ["dispose"])


def test_dongtang_categories():
    """篇十六 东塘. total = 0.8 × (daily + extra≤20) + 0.2 × appraisal, 百分制; 在职 = daily + extra.
    m1: daily 100 − 4 − 6 = 90; extra 8 + 15 = 23 -> 20; votes (7×100 + 2×80 + 1×60)/10 = 92
        -> 72 + 16 + 18.4 = 106.4 -> 100.0 优秀.
    m2 (在职): 100 − 25 = 75, extra 5 -> 80.0 良好, no appraisal needed.
    m3: daily 55, votes (3×60 + 1×40)/4 = 55 -> 44 + 11 = 55.0 不合格, dispose.
    m4: daily 75, appraisal 50 -> 60 + 10 = 70.0 -> 良好 (70 belongs to the upper band in this reading)."""
    members = [member("m1", category="organ"), member("m2", category="in_service"), member("m3", category="community"),
               member("m4", category="community")]
    events = [event("m1", "2025-03-01", "daily", 4), event("m1", "2025-06-01", "daily", 6),
              event("m1", "2025-03-01", "extra", 8), event("m1", "2025-09-01", "extra", 15),
              event("m2", "2025-03-01", "daily", 25), event("m2", "2025-03-01", "extra", 5),
              event("m3", "2025-03-01", "daily", 45), event("m4", "2025-03-01", "daily", 25)]
    appraisal = {"m1": {"votes": {"优秀": 7, "良好": 2, "合格": 1, "差": 0}},
                 "m3": {"votes": {"合格": 3, "差": 1}}, "m4": {"score": 50}}
    got = by_id(run("dongtang-categories", members, events, appraisal))
    assert got["m1"]["components"] == {"daily": 90, "extra": 20, "appraisal": 92.0}
    assert got["m2"]["components"] == {"daily": 75, "extra": 5}
    assert [(m, got[m]["total"], got[m]["grade"], got[m]["actions"]) for m in got] == [
        ("m1", 100.0, "优秀", []), ("m2", 80.0, "良好", []), ("m3", 55.0, "不合格", ["dispose"]),
        ("m4", 70.0, "良好", []),
    ]


def test_star_five_school():
    """篇十三 学校, cycle 七一 to 七一.
    m1: 学习 20 − 3 = 17; 佳绩 12 + 6 = 18; 服务 votes (9×100 + 1×80)/10 = 98 -> on 20 points 19.6;
        守法 20; 正气 14 + 4 = 18 -> 92.6 -> 五星, commend.
    m2: 学习 20 − 2×3 − 2×5 = 4; 佳绩 12; 服务 10; 守法 20 − 3×5 = 5; 正气 14 -> 45.0 一星 -> talk.
    m3: disciplined -> 取消评星资格: 0.0, 0 stars, rectify; also vetoed last cycle -> dispose."""
    cycle = {"start": "2024-07-01", "end": "2025-06-30"}
    events = [event("m1", "2024-09-01", "study", item="missed_meeting"), event("m1", "2024-10-01", "achievement", 6),
              event("m1", "2025-03-01", "integrity", 4)]
    events += [event("m2", "2024-09-0%d" % d, "study", item="missed_meeting") for d in (1, 2)]
    events += [event("m2", "2024-09-0%d" % d, "study", item="missing_note") for d in (3, 4)]
    events += [event("m2", "2024-11-0%d" % d, "discipline", item="missed_activity") for d in (1, 2, 3)]
    appraisal = {"m1": {"votes": {"优秀": 9, "良好": 1}}, "m2": {"score": 10}, "m3": {"score": 20}}
    history = {"m3": [{"cycle_start": "2023-07-01", "total": 0, "vetoed": True, "stars": 0}]}
    got = by_id(run("star-five-school", [member("m1"), member("m2"), member("m3", flags={"disciplined": True})],
                    events, appraisal, history, cycle=cycle))
    assert got["m1"]["components"] == {"study": 17, "achievement": 18, "service": 19.6, "discipline": 20, "integrity": 18}
    assert (got["m1"]["total"], got["m1"]["stars"], got["m1"]["actions"]) == (92.6, 5, ["commend"])
    assert (got["m2"]["total"], got["m2"]["stars"], got["m2"]["actions"]) == (45.0, 1, ["talk"])
    assert (got["m3"]["total"], got["m3"]["stars"], got["m3"]["vetoed"], got["m3"]["actions"]) == (
        0.0, 0, True, ["rectify", "dispose"])


def test_star_five_school_notes_a_cycle_that_does_not_start_on_july_first():
    result = run("star-five-school", [member("m1")], appraisal={"m1": {"score": 10}})
    [finding] = checks_of(result, "cycle")
    assert "07-01" in finding["message"]
    assert result["members"][0]["total"] == 76.0  # 20 + 12 + 10 + 20 + 14: the run itself is unaffected


def test_star_oilfield_quarterly():
    """篇十三 作业区, one quarter. Each aspect = self×20% + masses×30% + leadership×50% (+ awards); ≥80 earns a star.
    m1: 工作任务 18 + 24 + 42.5 = 84.5 ★; 指标 14 + 24 + 40 = 78 + award 3 = 81 ★; 创新 12 + 21 + 37.5 = 70.5;
        学习 20 + 27 + 40 = 87 ★; 活动 80 ★ (80 counts: "80分以上") -> 4 stars, total 403.0, no action.
    m2: every aspect 70 -> 0 stars -> admonish + rectify; 1 star or fewer also last quarter -> talk (warning).
    m3: every aspect 90 -> 5 stars -> commend (明星党员).
    Ranking: management unit 4/5 = 0.8 of stars, production unit (0 + 5)/10 = 0.5."""
    cycle = {"start": "2025-01-01", "end": "2025-03-31"}

    def raters(s, m, l):
        return {"raters": {"self": s, "masses": m, "leadership": l}}

    dims = ["work_tasks", "indicators", "innovation", "training", "activities"]
    appraisal = {
        "m1": {"components": {"work_tasks": raters(90, 80, 85), "indicators": raters(70, 80, 80),
                              "innovation": raters(60, 70, 75), "training": raters(100, 90, 80),
                              "activities": raters(80, 80, 80)}},
        "m2": {"components": {d: raters(70, 70, 70) for d in dims}},
        "m3": {"components": {d: raters(90, 90, 90) for d in dims}},
    }
    history = {"m2": [{"cycle_start": "2024-10-01", "stars": 1}]}
    members = [member("m1", branch="management"), member("m2", branch="production"), member("m3", branch="production")]
    result = run("star-oilfield-quarterly", members, [event("m1", "2025-02-01", "indicators", 3)], appraisal, history,
                 cycle=cycle)
    got = by_id(result)
    assert got["m1"]["components"] == {"work_tasks": 84.5, "indicators": 81.0, "innovation": 70.5, "training": 87.0,
                                       "activities": 80.0}
    assert (got["m1"]["stars"], got["m1"]["total"], got["m1"]["actions"]) == (4, 403.0, [])
    assert (got["m2"]["stars"], got["m2"]["actions"]) == (0, ["talk", "admonish", "rectify"])
    assert (got["m3"]["stars"], got["m3"]["actions"]) == (5, ["commend"])
    [ranking] = checks_of(result, "branch_ranking")
    assert [(r["branch"], r["star_share"]) for r in ranking["ranking"]] == [("management", 0.8), ("production", 0.5)]


def test_star_ten():
    """篇十三 机关: stars counted; ≥9 优秀, 8–7 合格, 6–5 基本合格, ≤4 不合格.
    m1 9 stars 优秀 commend; m2 7 合格; m3 5 基本合格 talk + rectify; m4 4 不合格 dispose;
    m5 awarded the same star twice: still 1 star (each star caps at 1) -> 不合格."""
    names = ["theory_study", "policy", "service", "dedication", "law", "civility", "competence", "innovation",
             "promise", "clean"]
    counts = {"m1": 9, "m2": 7, "m3": 5, "m4": 4}
    events = [event(m, "2025-06-01", names[i], 1) for m, n in counts.items() for i in range(n)]
    events += [event("m5", "2025-06-01", "law", 1), event("m5", "2025-07-01", "law", 1)]
    got = by_id(run("star-ten", [member(m) for m in ("m1", "m2", "m3", "m4", "m5")], events))
    assert [(m, got[m]["stars"], got[m]["grade"], got[m]["actions"]) for m in got] == [
        ("m1", 9, "优秀", ["commend"]), ("m2", 7, "合格", []), ("m3", 5, "基本合格", ["talk", "rectify"]),
        ("m4", 4, "不合格", ["dispose"]), ("m5", 1, "不合格", ["dispose"]),
    ]


def test_star_nonpublic_quotas():
    """篇十三 非公, 10 members: five-star places floor(10%×10) = 1, four-star places floor(20%×10) = 2.
    Five-star by score: A 50, B 45, C 44 -> A keeps 5; B, C fall to 4 stars.
    Four-star holders then B 45, C 44, E 41, D 37 -> B, C keep 4; E and D fall to 3.
    ≥3 stars: A B C D E F G H = 8 of 10 ≥ 60% -> no minimum finding; I has 2 stars. J vetoed (dues 6 months) -> 0 stars.
    Branch b2 (F–J) has no five-star member -> branch-minimum finding (原则上每个支部至少一名)."""
    dims = ["dedication", "tech_innovation", "safety", "charity", "honesty"]
    scores = {"A": [10] * 5, "B": [9] * 5, "C": [9, 9, 9, 9, 8], "D": [8, 8, 8, 8, 5], "E": [9, 9, 9, 9, 5],
              "F": [8, 8, 8, 5, 5], "G": [8, 8, 8, 4, 4], "H": [9, 8, 8, 3, 3], "I": [8, 8, 5, 5, 5], "J": [10] * 5}
    members = [member(k, branch="b1" if k <= "E" else "b2") for k in scores]
    members[-1]["flags"] = {"dues_unpaid_months": 6}
    appraisal = {k: {"components": {d: {"score": s} for d, s in zip(dims, v)}} for k, v in scores.items()}
    result = run("star-nonpublic", members, appraisal=appraisal)
    got = by_id(result)
    assert {k: got[k]["stars"] for k in got} == {"A": 5, "B": 4, "C": 4, "D": 3, "E": 3, "F": 3, "G": 3, "H": 3,
                                                  "I": 2, "J": 0}
    assert got["A"]["actions"] == ["commend"] and got["J"]["vetoed"]
    quotas = checks_of(result, "quota")
    assert [(q["target"], q["moved"]) for q in quotas] == [("5星", ["B", "C"]), ("4星", ["E", "D"])]
    assert [c["branch"] for c in checks_of(result, "quota_branch_minimum")] == ["b2"]
    assert checks_of(result, "quota_minimum") == []


def test_household_grid():
    """篇十六 浆水乡/杨梅山镇. h1: base 0 + rewards 10 + 5 − penalty 3 = 12.0; h2: −20 -> floor 0.0.
    With base_points overridden to 50: h1 = 62.0."""
    events = [event("h1", "2025-02-01", "reward", 10), event("h1", "2025-05-01", "reward", 5),
              event("h1", "2025-05-02", "penalty", 3), event("h2", "2025-05-02", "penalty", 20)]
    got = by_id(run("household-grid", [member("h1", branch="grid-1"), member("h2", branch="grid-1")], events))
    assert (got["h1"]["total"], got["h2"]["total"], got["h1"]["grade"]) == (12.0, 0.0, None)
    got = by_id(run("household-grid", [member("h1")], events[:3], overrides={"base_points": 50}))
    assert got["h1"]["total"] == 62.0


def test_zhongxiang_governance():
    """篇十六 钟祥. r1 resident: 100 + 调处纠纷 15 + 志愿 5×2 + 移风易俗 10 + 建言未采纳 1 + 县市级荣誉 50
    + 乡镇媒体 10 = 196.0.  r2: 100 + fraudulent 志愿 claim (5, doubled as a deduction) = 90.0; violation ->
    not zeroed, listed as barred from redemption.  h1 household: 邻里团结 15 + 整洁 5×3 = 30.0.
    u1 unit: 资助活动 20 + 整洁 10 = 30.0."""
    members = [member("r1", category="resident"), member("r2", category="resident", flags={"violation": True}),
               member("h1", category="household"), member("u1", category="unit")]
    events = [event("r1", "2025-03-01", "public_order", item="mediate_dispute"),
              event("r1", "2025-03-02", "virtue", item="volunteer"), event("r1", "2025-04-02", "virtue", item="volunteer"),
              event("r1", "2025-05-02", "virtue", item="frugal_ceremony"),
              event("r1", "2025-05-03", "construction", item="suggestion"),
              event("r1", "2025-06-01", "honours", item="county"), event("r1", "2025-06-01", "media", item="township"),
              event("r2", "2025-03-02", "virtue", item="volunteer", fraudulent=True),
              event("h1", "2025-03-02", "family", item="neighbourly")]
    events += [event("h1", f"2025-0{m}-01", "family", item="tidy_home") for m in (4, 5, 6)]
    events += [event("u1", "2025-03-02", "unit_items", item="sponsor_activity"),
               event("u1", "2025-03-03", "unit_items", item="tidy_premises")]
    result = run("zhongxiang-governance", members, events)
    got = by_id(result)
    assert {k: got[k]["total"] for k in got} == {"r1": 196.0, "r2": 90.0, "h1": 30.0, "u1": 30.0}
    assert got["r2"]["components"]["virtue"] == -10 and not got["r2"]["vetoed"]
    assert [c["member"] for c in checks_of(result, "member_flag")] == ["r2"]
    assert "base" not in got["h1"]["components"]


def test_teacher_reading():
    """篇八. t1: blog twice (counts once, 50) + 20 notes × 50 + 5 recommendations × 40 + 10 originals × 30
    = 50 + 1000 + 200 + 300 = 1550 -> 图书50元.  t2: blog 50 + 10 notes × 50 = 550 -> 未达奖励.
    Group g1 per capita (1550 + 550)/2 = 1050 ≥ 1000 -> 20 + floor(50/100) = 20.
    t3 alone in g2: 25 notes + 4 originals = 1250 + 120 = 1370 -> 20 + floor(370/100) = 23."""
    events = [event("t1", "2025-03-01", "reading", item="blog"), event("t1", "2025-04-01", "reading", item="blog")]
    events += [event("t1", "2025-03-02", "reading", item="reading_notes") for _ in range(20)]
    events += [event("t1", "2025-03-03", "reading", item="recommendation") for _ in range(5)]
    events += [event("t1", "2025-03-04", "reading", item="original") for _ in range(10)]
    events += [event("t2", "2025-03-01", "reading", item="blog")]
    events += [event("t2", "2025-03-02", "reading", item="reading_notes") for _ in range(10)]
    events += [event("t3", "2025-03-02", "reading", item="reading_notes") for _ in range(25)]
    events += [event("t3", "2025-03-02", "reading", item="original") for _ in range(4)]
    members = [member("t1", branch="g1"), member("t2", branch="g1"), member("t3", branch="g2")]
    result = run("teacher-reading", members, events)
    got = by_id(result)
    assert [(m, got[m]["total"], got[m]["grade"]) for m in got] == [
        ("t1", 1550.0, "图书50元"), ("t2", 550.0, "未达奖励"), ("t3", 1370.0, "未达奖励")]
    assert [(c["branch"], c["points"]) for c in checks_of(result, "group_bonus")] == [("g1", 20), ("g2", 23)]


def test_food_seller_risk():
    """篇一/篇五 with the national defaults (a ≤30, b ≤45, c ≤60, d above; upper bounds inclusive).
    s1 12 + 15 = 27 a, demerits 4 ≥ 4 -> b.   s2 20 + 20 = 40 b, school -> d.
    s3 30 + 25 = 55 c, demerits 12 -> d.      s4 10 + 20 = 30 -> a (30 is inside a).
    s5 30 + 15 = 45 -> b, raised 2 levels -> d.   s6 40 + 30 = 70 d, lowered one -> c.
    s7 new licence holder, no scores yet -> b.    s8 10 a with demerits 12 -> b only (one level per cycle).
    Inspections: a 1×1, b 3×2, c 1×3, d 3×4 -> 22."""
    members = [member("s1"), member("s2", flags={"school": True}), member("s3"), member("s4"),
               member("s5", flags={"raise_levels": 2}), member("s6", flags={"lower_one": True}),
               member("s7", flags={"new_seller": "licence"}), member("s8")]
    scores = {"s1": (12, 15), "s2": (20, 20), "s3": (30, 25), "s4": (10, 20), "s5": (30, 15), "s6": (40, 30),
              "s8": (10, 0)}
    events = []
    for m, (static, dynamic) in scores.items():
        events.append(event(m, "2025-01-15", "static", static))
        if dynamic:
            events.append(event(m, "2025-01-15", "dynamic", dynamic))
    events += [event("s1", "2025-05-01", "demerit", 4), event("s3", "2025-05-01", "demerit", 12),
               event("s8", "2025-05-01", "demerit", 12)]
    result = run("food-seller-risk", members, events)
    got = by_id(result)
    assert {m: got[m]["grade"] for m in got} == {"s1": "b", "s2": "d", "s3": "d", "s4": "a", "s5": "d", "s6": "c",
                                                 "s7": "b", "s8": "b"}
    assert got["s4"]["total"] == 30.0 and got["s5"]["total"] == 45.0
    [summary] = checks_of(result, "grade_summary")
    assert summary["counts"] == {"a": 1, "b": 3, "c": 1, "d": 3} and summary["sum"] == 22
