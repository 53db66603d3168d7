"""Each rule of issue 10 that the engine decides, held to the source line it comes from.

Line numbers are those of ``shared/seeds/jifen-schemes-17.txt`` as stored (the issue's own
numbers are two higher: its l.797 is the file's l.795).
"""
import pytest

import scoring_engine
from scoring_engine import SchemeError

from .util import by_id, checks_of, event, member, run

QUARTERS = ["2025-01-01", "2025-04-01", "2025-07-01", "2025-10-01"]
Q4 = {"start": "2025-10-01", "end": "2025-12-31"}
DIMS = ["work_tasks", "indicators", "innovation", "training", "activities"]


def awards(scheme, **result):
    return scoring_engine.load_preset(scheme).awards_for(result.get("grade"), result.get("stars"),
                                                         result.get("total"), result.get("vetoed", False))


# -- awards: which results earn a certificate or a plaque ------------------------------------------

def test_star_ten_four_stars_is_unqualified_and_earns_no_certificate_seven_to_ten_do():
    """篇十三 机关 l.935–937: 九星以上优秀，八到七星合格，六到五星基本合格，四星以下不合格."""
    names = ["theory_study", "policy", "service", "dedication", "law", "civility", "competence", "innovation",
             "promise", "clean"]
    counts = {"m4": 4, "m5": 5, "m7": 7, "m8": 8, "m10": 10}
    events = [event(m, "2025-03-01", names[i], 1) for m, n in counts.items() for i in range(n)]
    got = by_id(run("star-ten", [member(m) for m in counts], events))
    assert {m: (got[m]["grade"], got[m]["awards"]) for m in counts} == {
        "m4": ("不合格", []), "m5": ("基本合格", []), "m7": ("合格", ["certificate"]),
        "m8": ("合格", ["certificate"]), "m10": ("优秀", ["certificate"])}


def test_dagaowei_one_star_is_unqualified_and_earns_no_certificate():
    """篇十五 l.1189: 年度积分为一星级的定为不合格党员."""
    assert awards("dagaowei-village", grade="不合格", stars=1) == ()
    assert awards("dagaowei-village", grade="合格", stars=2) == ("certificate",)


def test_nonpublic_plaques_from_four_stars():
    """篇十三 非公 l.795: 审核确定为四星及以上的星级党员……放置“x星级党员”牌."""
    assert [awards("star-nonpublic", stars=n) for n in range(6)] == [(), (), (), (), ("plaque",), ("plaque",)]


def test_school_and_oilfield_certificates_follow_their_readings():
    """篇十三 学校 l.633/635: 五星表彰、二星以下批评 -> 三星以上发证; 作业区 l.733: 季度五星为明星党员."""
    assert [bool(awards("star-five-school", stars=n)) for n in range(1, 6)] == [False, False, True, True, True]
    assert awards("star-five-school", stars=5, vetoed=True) == ()
    assert [bool(awards("star-oilfield-quarterly", stars=n)) for n in range(6)] == [False] * 5 + [True]


def test_awards_are_refused_for_an_unknown_kind_or_grade():
    document = scoring_engine.preset_document("star-ten")
    with pytest.raises(SchemeError) as caught:
        scoring_engine.load_scheme(document, {"awards": [{"award": "medal"}]})
    assert caught.value.path == "awards[0].award"
    with pytest.raises(SchemeError) as caught:
        scoring_engine.load_scheme(document, {"awards": [{"award": "plaque", "when": {"grades": ["金牌"]}}]})
    assert caught.value.path == "awards[0].when.grades[0]"


# -- actions the source gives ----------------------------------------------------------------------

def test_dagaowei_four_stars_and_above_are_proposed_for_commendation():
    """篇十五 l.1181: 当年积分评为四星级及以上的，作为党内评先评优的重要依据."""
    members = [member("m5", category="elderly"), member("m4", category="elderly"), member("m3", category="elderly")]
    events = [event("m5", "2025-03-01", "bonus", item="disaster_relief"),
              event("m5", "2025-04-01", "bonus", item="award_province"),           # 60 + 10 = 70: 三星
              event("m4", "2025-03-01", "bonus", item="award_city")]                # 63: 二星
    got = by_id(run("dagaowei-village", members, events, overrides={"bonus_cap": 40}))
    assert (got["m5"]["stars"], got["m5"]["actions"]) == (3, [])
    rich = [member("r1", category="village_cadre")]
    rich_events = [event("r1", "2025-02-01", c, v) for c, v in
                   (("cadre_org_life", 30), ("cadre_duties", 30), ("cadre_integrity", 20))]
    got = by_id(run("dagaowei-village", rich, rich_events))
    assert (got["r1"]["total"], got["r1"]["stars"], got["r1"]["actions"]) == (80.0, 4, ["commend"])


def test_nonpublic_one_and_two_stars_are_criticised_and_helped():
    """篇十三 非公 l.811: 将一星、二星党员作为后进和相对后进党员进行批评教育，督促整改."""
    def scores(n_high):
        return {"components": {d: {"score": 9 if i < n_high else 5} for i, d in enumerate(
            ["dedication", "tech_innovation", "safety", "charity", "honesty"])}}
    members = [member(f"s{n}") for n in range(4)] + [member("v", flags={"illegal_activity": True})]
    appraisal = {f"s{n}": scores(n) for n in range(4)} | {"v": scores(5)}
    got = by_id(run("star-nonpublic", members, appraisal=appraisal))
    assert [got[f"s{n}"]["actions"] for n in range(4)] == [["talk", "rectify"]] * 3 + [[]]
    assert (got["v"]["stars"], got["v"]["vetoed"], got["v"]["actions"]) == (0, True, [])


def test_chunhe_a_first_year_below_60_is_admonished_only_a_second_makes_unqualified():
    """篇十二 l.413: 60分以下诫勉谈话、责令限期改正；连续两年得分在60分以下的，按不合格党员处理."""
    members = [member("first"), member("second")]
    events = [event(m, "2025-03-01", "base", 10) for m in ("first", "second")]
    appraisal = {m: {"score": 50} for m in ("first", "second")}
    history = {"second": [{"cycle_start": "2024-01-01", "total": 55, "grade": "诫勉"}]}
    got = by_id(run("chunhe-street", members, events, appraisal, history))
    assert (got["first"]["total"], got["first"]["grade"], got["first"]["actions"]) == (20.0, "诫勉",
                                                                                     ["admonish", "rectify"])
    assert (got["second"]["grade"], got["second"]["actions"]) == ("不合格", ["admonish", "rectify", "dispose"])


# -- items: ranges and counts per period -----------------------------------------------------------

def test_resort_ranged_contribution_out_of_range_is_refused_naming_the_item_and_range():
    """篇十六 度假区 l.1279: 为村公益事业出资出力的，加5-10分 — 12 is refused, not counted."""
    members = [member("m1")]
    with pytest.raises(SchemeError) as caught:
        run("resort-rural", members, [event("m1", "2025-03-01", "contribution", 12, item="public_welfare")],
            {"m1": {"score": 90}})
    assert caught.value.path == "events[0].points" and caught.value.code == "points_out_of_range"
    assert "参与义务劳动和公益活动" in caught.value.message and "5 至 10" in caught.value.message
    got = by_id(run("resort-rural", members, [event("m1", "2025-03-01", "contribution", 10, item="public_welfare")],
                    {"m1": {"score": 50}}))
    assert (got["m1"]["total"], got["m1"]["grade"]) == (100.0, "优秀")
    with pytest.raises(SchemeError):  # 发挥特长为群众办实事好事，加3-5分 (l.1281)
        run("resort-rural", members, [event("m1", "2025-03-01", "contribution", 6, item="practical_help")])


def test_zhongxiang_a_yearly_item_counts_once_a_monthly_item_once_a_month():
    """篇十六 钟祥 l.1619–1633: “当年积X分” once a year (40, not 50); “当月积5分” once a month."""
    members = [member("f1", category="household")]
    events = [event("f1", "2025-01-05", "family", item="no_domestic_violence"),
              event("f1", "2025-06-05", "family", item="no_domestic_violence"),   # the second time in the year
              event("f1", "2025-03-05", "family", item="waste_sorting"),
              event("f1", "2025-03-06", "family", item="neighbourly")]
    assert by_id(run("zhongxiang-governance", members, events))["f1"]["total"] == 40.0
    tidy = [event("f1", "2025-03-05", "family", item="tidy_home"), event("f1", "2025-03-20", "family", item="tidy_home"),
            event("f1", "2025-04-05", "family", item="tidy_home")]
    assert by_id(run("zhongxiang-governance", members, tidy))["f1"]["total"] == 10.0


def test_item_counts_per_month_and_their_declaration_rule():
    rule = scoring_engine.load_preset("zhongxiang-governance").item_rule("unit_items", "tidy_premises")
    assert (rule.per, rule.max_count) == ("month", 1)
    rule.check_period_count(0)
    with pytest.raises(scoring_engine.DeclarationError) as caught:
        rule.check_period_count(1)
    assert (caught.value.code, caught.value.path) == ("item_period_count_exceeded", "quantity")
    with pytest.raises(SchemeError) as caught:
        scoring_engine.load_scheme(scoring_engine.preset_document("teacher-reading"), {"components": [
            {"name": "reading", "items": [{"key": "blog", "points": 50, "per": "month"}]}],
            "combination": {"terms": [{"component": "reading"}]}})
    assert caught.value.path == "components[0].items[0].per"


# -- 篇十三 作业区: yearly rules over the quarters -----------------------------------------------------

def quarter_history(stars, vetoed=()):
    return [{"cycle_start": q, "total": 400, "stars": s, "vetoed": i in vetoed} for i, (q, s) in
            enumerate(zip(QUARTERS[:3], stars))]


def oilfield_year_end(history, stars_now=5, flags=None):
    score = 90 if stars_now else 70
    appraisal = {"m": {"components": {d: {"raters": {"self": score, "masses": score, "leadership": score}}
                                      for d in DIMS[:stars_now] or DIMS}}}
    if 0 < stars_now < 5:
        for d in DIMS[stars_now:]:
            appraisal["m"]["components"][d] = {"raters": {"self": 70, "masses": 70, "leadership": 70}}
    return by_id(run("star-oilfield-quarterly", [member("m", flags=flags or {})], appraisal=appraisal,
                     history={"m": history}, cycle=Q4))["m"]


def test_oilfield_one_star_or_none_in_the_year_is_unqualified():
    """篇十三 作业区 l.733: 全年只得一星或没得星的党员，年底民主评议定为不合格党员."""
    got = oilfield_year_end(quarter_history([1, 0, 0]), stars_now=0)
    assert (got["grade"], "dispose" in got["actions"]) == ("不合格", True)


def test_oilfield_fewer_than_five_stars_in_the_year_is_unqualified_five_is_not():
    """篇十三 作业区 l.747: 一年只得一星或没得星……或年度得星不足五个，年底民主评议定为不合格党员."""
    assert oilfield_year_end(quarter_history([1, 1, 1]), stars_now=1)["grade"] == "不合格"      # 4 stars
    got = oilfield_year_end(quarter_history([2, 1, 1]), stars_now=1)                            # 5 stars
    assert got["grade"] is None and "dispose" not in got["actions"]


def test_oilfield_four_five_star_quarters_make_the_star_member_of_the_year():
    """篇十三 作业区 l.747: 全年四个季度都得满星的党员定为年度明星党员."""
    got = oilfield_year_end(quarter_history([5, 5, 5]))
    assert (got["stars"], got["grade"], got["actions"]) == (5, "年度明星党员", ["commend"])
    assert oilfield_year_end(quarter_history([5, 4, 5]))["grade"] is None


def test_oilfield_a_veto_cancels_the_stars_of_the_whole_year():
    """篇十三 作业区 l.749: 有下列情况之一的，取消当年评星资格 — later quarters and the year's sum too."""
    got = oilfield_year_end(quarter_history([5, 5, 0], vetoed=(2,)))
    assert (got["vetoed"], got["stars"], got["total"], got["grade"]) == (True, 0, 0.0, "不合格")
    q3 = by_id(run("star-oilfield-quarterly", [member("m")], appraisal={"m": {"components": {
        d: {"raters": {"self": 90, "masses": 90, "leadership": 90}} for d in DIMS}}},
        history={"m": [{"cycle_start": "2025-04-01", "total": 0, "stars": 0, "vetoed": True}]},
        cycle={"start": "2025-07-01", "end": "2025-09-30"}))["m"]
    assert (q3["vetoed"], q3["stars"], q3["grade"]) == (True, 0, None)   # not the closing quarter: no grade yet
    new_year = by_id(run("star-oilfield-quarterly", [member("m")], appraisal={"m": {"components": {
        d: {"raters": {"self": 90, "masses": 90, "leadership": 90}} for d in DIMS}}},
        history={"m": [{"cycle_start": "2024-10-01", "total": 0, "stars": 0, "vetoed": True}]},
        cycle={"start": "2025-01-01", "end": "2025-03-31"}))["m"]
    assert (new_year["vetoed"], new_year["stars"]) == (False, 5)        # last year's veto stays in last year


def test_oilfield_members_are_ranked_by_stars_then_by_sum():
    """篇十三 作业区 l.1095: 首先看得星数量，数量相同时再看各颗星分数之和高低确定每名黨員名次."""
    def raters(v):
        return {"raters": {"self": v, "masses": v, "leadership": v}}
    appraisal = {"four_high": {"components": {d: raters(99 if i else 70) for i, d in enumerate(DIMS)}},
                 "five_low": {"components": {d: raters(80) for d in DIMS}},
                 "four_low": {"components": {d: raters(81 if i else 79) for i, d in enumerate(DIMS)}}}
    result = run("star-oilfield-quarterly", [member(m) for m in appraisal], appraisal=appraisal, cycle=Q4)
    [ranking] = checks_of(result, "member_ranking")
    assert [(r["member"], r["stars"]) for r in ranking["ranking"]] == [("five_low", 5), ("four_high", 4),
                                                                     ("four_low", 4)]


def test_year_tests_need_the_year_a_cycle_belongs_to():
    document = scoring_engine.preset_document("star-oilfield-quarterly")
    with pytest.raises(SchemeError) as caught:
        scoring_engine.load_scheme(document, {"cycle": {"months": 3}})
    assert caught.value.path.endswith(".year") and "year_start" in caught.value.message


# -- 篇十 / 篇十一: the plan without numbers ------------------------------------------------------------

def test_street_plan_ten_grades_its_three_classes_reports_the_top_three_and_gives_care():
    """篇十 l.287 three classes; l.303 优秀 and the top three; l.307 关爱 from 合格; l.309 诫勉 → 限期改正."""
    scheme = scoring_engine.load_preset("street-three-classes")
    assert scheme.categories == frozenset({"backbone", "ordinary", "mobile"})
    assert (scheme.review.cadence, scheme.review.publicity_cadence, scheme.exclusion_approval) == (
        "yearly", "yearly", "branch")
    assert set(scoring_engine.preset_document("street-three-classes")["params"]) >= {
        "self_weight", "branch_weight", "masses_weight", "excellent_min", "pass_min", "top_count"}
    members = [member(f"e{i}", category="backbone") for i in range(4)] + [member("low", category="mobile")]
    events = [event(f"e{i}", "2025-05-01", "self", 80 + i) for i in range(4)] + [event("low", "2025-05-01", "self", 30)]
    appraisal = {f"e{i}": {"score": 100} for i in range(4)} | {"low": {"score": 50}}
    result = run("street-three-classes", members, events, appraisal)
    got = by_id(result)
    assert [got[f"e{i}"]["grade"] for i in range(4)] == ["优秀"] * 4
    assert (got["low"]["total"], got["low"]["grade"], got["low"]["actions"], got["low"]["awards"]) == (
        40.0, "诫勉", ["admonish", "rectify"], [])
    assert got["e0"]["awards"] == ["care"] and got["e0"]["actions"] == ["commend"]
    [top] = checks_of(result, "top_ranked")
    assert top["members"] == ["e3", "e2", "e1"]


def test_exclusion_approval_is_per_scheme():
    """篇四 l.141: 报上级党委批准后可不纳入; 篇十 l.287: 经党支部讨论后可不纳入."""
    assert scoring_engine.load_preset("chengde-pioneer-index").exclusion_approval == "higher"
    assert scoring_engine.load_preset("street-three-classes").exclusion_approval == "branch"
    with pytest.raises(SchemeError) as caught:
        scoring_engine.load_scheme(scoring_engine.preset_document("chunhe-street"), {"exclusion": {"approval": "none"}})
    assert caught.value.path == "exclusion.approval"


def test_publicity_may_count_working_days():
    scheme = scoring_engine.load_scheme(scoring_engine.preset_document("chunhe-street"), {"review": {
        "cadence": "quarterly", "publicity_days": 7, "publicity_days_kind": "working"}})
    assert scheme.review.working_days and scoring_engine.load_preset("chunhe-street").review.working_days is False
    with pytest.raises(SchemeError) as caught:
        scoring_engine.load_scheme(scoring_engine.preset_document("chunhe-street"),
                                   {"review": {"publicity_days_kind": "lunar"}})
    assert caught.value.path == "review.publicity_days_kind"
