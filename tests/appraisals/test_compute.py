"""Results computed from the ledger and the democratic appraisal reproduce the engine's numbers."""
import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import ValidationError

from appraisals.services import compute, evaluations
from appraisals.models import ResultImmutable
from members.models import Exclusion, ExclusionReason

from .conftest import add_members, make_scheme, post, published_history, votes

D = Decimal


def half_up(value):
    return value.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def _open(county, preset, overrides=None, org=None):
    version = make_scheme(county.town, preset, overrides=overrides)
    return evaluations.open_evaluation(organisation=org or county.east, by=county.secretary, scheme_version=version)


def test_county_7_3_weighted_total_from_ledger_and_votes(county):
    members = add_members(county.east, "张红梅", "刘志强", "陈小燕", "赵卫东", "孙丽", "钱进", "吴芳")
    zhang, liu, chen, zhao, sun, qian, wu = members
    # daily points from the ledger, several entries over the year (0–100 after bounds)
    for m, pts in ((zhang, (50, 45)), (liu, (40, 38)), (chen, (30, 35)), (zhao, (20, 20)), (sun, (60, 40, 7))):
        for i, p in enumerate(pts):
            post(county.east, m, "daily", p, datetime.date(2025, 2 + 3 * i, 10))
    # qian has no ledger entry at all; wu has a negative correction-like entry
    post(county.east, wu, "daily", 70, datetime.date(2025, 3, 1))
    post(county.east, wu, "daily", -5, datetime.date(2025, 11, 1))
    ev = _open(county, "county-7-3")
    ballots = {zhang: votes(9, 1), liu: votes(5, 5), chen: votes(2, 6, 2), zhao: votes(0, 2, 6, 2),
               sun: votes(10), qian: votes(0, 0, 5, 5), wu: votes(4, 4, 2)}
    for m, b in ballots.items():
        evaluations.record_appraisal(ev, m, county.clerk, votes=b)
    compute.compute_results(ev, county.clerk)
    ev.refresh_from_db()

    def appraisal(b):
        n = sum(b.values())
        return D(b["优秀"] * 100 + b["良好"] * 80 + b["合格"] * 60 + b["差"] * 40) / n

    daily = {zhang: D(95), liu: D(78), chen: D(65), zhao: D(40), sun: D(100), qian: D(0), wu: D(65)}
    results = {r.member: r for r in ev.results.all()}
    assert set(results) == set(members)
    for m in members:
        expected = half_up(D("0.7") * daily[m] + D("0.3") * appraisal(ballots[m]))
        assert results[m].total == expected, m.name
        assert D(results[m].components["daily"]) == daily[m]
        assert results[m].scheme_version_number == ev.scheme_version.number
    # hand values: 张红梅 0.7×95 + 0.3×98 = 95.9; 孙丽 0.7×100 + 0.3×100 = 100
    assert results[zhang].total == D("95.90") and results[sun].total == D("100.00")
    assert results[qian].total == D("15.00")  # no ledger: 0.7×0 + 0.3×50
    # 7 scored members × 15% = 1 place of 优秀, by rank: 孙丽 (100) keeps it, 张红梅 (95.9) falls back to 合格
    assert results[sun].grade == "优秀" and results[sun].actions == ["commend"]
    assert results[zhang].grade == "合格" and results[zhang].actions == []
    assert results[qian].grade == "不合格" and results[qian].actions == ["dispose"]
    quota = [c for c in ev.checks if c["type"] == "quota"]
    assert quota and quota[0]["limit"] == 1 and quota[0]["moved"] == [str(zhang.pk)]


def test_quota_tie_is_reported_not_broken(county):
    a, b, c = add_members(county.east, "甲", "乙", "丙")
    rest = add_members(county.east, *[f"党员{i}" for i in range(4)])
    ev = _open(county, "county-7-3")
    for m in (a, b):
        post(county.east, m, "daily", 100, datetime.date(2025, 5, 1))
        evaluations.record_appraisal(ev, m, county.clerk, score="100")
    post(county.east, c, "daily", 80, datetime.date(2025, 5, 1))
    evaluations.record_appraisal(ev, c, county.clerk, score="80")
    for m in rest:
        evaluations.record_appraisal(ev, m, county.clerk, score="70")
    compute.compute_results(ev, county.clerk)
    ev.refresh_from_db()
    grades = {r.member: r.grade for r in ev.results.all()}
    assert grades[a] == grades[b] == "合格"  # tied at the cut: nobody gets the single place
    tie = [x for x in ev.checks if x["type"] == "quota_tie"]
    assert tie and sorted(tie[0]["members"]) == sorted([str(a.pk), str(b.pk)]) and tie[0]["places_left"] == 1


def test_chunhe_worked_example_from_ledger(county):
    (m,) = add_members(county.east, "张三")
    for points, day in ((12, "2025-02-10"), (8, "2025-05-10"), (10, "2025-08-10"), (10, "2025-11-10")):
        post(county.east, m, "base", points, datetime.date.fromisoformat(day))
    for points, day in ((5, "2025-03-01"), (15, "2025-06-01"), (3, "2025-12-01")):
        post(county.east, m, "bonus", points, datetime.date.fromisoformat(day))
    post(county.east, m, "deduction", 4, datetime.date(2025, 4, 20))
    ev = _open(county, "chunhe-street")
    evaluations.record_appraisal(ev, m, county.clerk, votes=votes(8, 2))
    compute.compute_results(ev, county.clerk)
    ev.refresh_from_db()
    r = ev.results.get()
    # base 10+8+10+10 = 38 (Q1 capped); bonus 5+10+0+3 = 18 (Q2 capped); −4; 0.2 × 96 = 19.2
    assert r.total == D("71.20") and r.grade == "合格" and r.actions == []
    assert r.components == {"base": "38.00", "bonus": "18.00", "deduction": "4.00", "appraisal": "96.00"}


def test_consecutive_year_below_60_is_disposed_from_published_history(county):
    again, first, unpublished = add_members(county.east, "两年低分", "首次低分", "草稿历史")
    old = make_scheme(county.town, "chunhe-street", year=2024)
    published_history(county.east, old, {again: (58, "不合格")})
    # a 2024 result that was never published is not history
    from appraisals.models import Evaluation, EvaluationStatus, MemberResult

    draft = Evaluation.objects.create(organisation=county.west, scheme_version=old, cycle_start=old.scheme.cycle_start,
                                      cycle_end=old.scheme.cycle_end, status=EvaluationStatus.COMPUTED,
                                      opened_by=county.secretary)
    MemberResult.objects.create(evaluation=draft, member=unpublished, cycle_start=old.scheme.cycle_start,
                                total=D("40"), grade="不合格", scheme_version_number=1)
    ev = _open(county, "chunhe-street")
    for m in (again, first, unpublished):
        post(county.east, m, "base", 10, datetime.date(2025, 2, 1))
        evaluations.record_appraisal(ev, m, county.clerk, score="50")
    compute.compute_results(ev, county.clerk)
    ev.refresh_from_db()
    actions = {r.member: r.actions for r in ev.results.all()}
    assert actions[again] == ["admonish", "rectify", "dispose"]  # 20 < 60 this year and last
    assert actions[first] == ["admonish", "rectify"]
    assert actions[unpublished] == ["admonish", "rectify"]


def test_excluded_member_is_not_scored_and_listed(county):
    kept, old = add_members(county.east, "在册", "高龄")
    Exclusion.objects.create(member=old, reason=ExclusionReason.AGE_70, decided_on=datetime.date(2024, 12, 1),
                             start_date=datetime.date(2025, 1, 1), approved_on=datetime.date(2024, 12, 20))
    ev = _open(county, "county-7-3")
    compute.compute_results(ev, county.clerk)
    ev.refresh_from_db()
    assert [r.member for r in ev.results.all()] == [kept]
    ev.refresh_from_db()
    assert ev.excluded == [{"id": old.pk, "name": "高龄"}]
    assert any(c["type"] == "appraisal_missing" for c in ev.checks)


def test_ledger_component_outside_scheme_names_the_entry(county):
    (m,) = add_members(county.east, "张三")
    entry = post(county.east, m, "bonus", 3, datetime.date(2025, 3, 3))
    ev = _open(county, "county-7-3")
    with pytest.raises(ValidationError) as info:
        compute.compute_results(ev, county.clerk)
    assert f"台账第 {entry.seq} 条" in info.value.messages[0] and "张三" in info.value.messages[0]


def test_sanction_flag_overrides_grade(county):
    (m,) = add_members(county.east, "受处分")
    post(county.east, m, "daily", 95, datetime.date(2025, 6, 1))
    ev = _open(county, "county-7-3")
    evaluations.record_appraisal(ev, m, county.clerk, score="95", flags={"sanctioned": True})
    compute.compute_results(ev, county.clerk)
    ev.refresh_from_db()
    r = ev.results.get()
    assert r.total == D("95.00") and r.grade == "不合格" and r.actions == ["dispose"]


@pytest.mark.parametrize("kwargs, message", [
    ({"votes": {"优秀": -1, "良好": 3}}, "不能为负数"),
    ({"votes": votes()}, "总票数为 0"),
    ({"votes": {"很好": 3}}, "未知的票档"),
    ({"score": "101"}, "0–100"),
    ({"score": "abc"}, "不是数字"),
    ({"score": "90", "votes": votes(1)}, "只能填写一种"),
    ({}, "只能填写一种"),
    ({"raters": {"self": 90, "masses": 80}}, "领导评议得分"),
    ({"score": "90", "flags": {"dues_unpaid_months": -2}}, "非负整数"),
])
def test_appraisal_input_is_validated(county, kwargs, message):
    (m,) = add_members(county.east, "张三")
    ev = _open(county, "county-7-3")
    with pytest.raises(ValidationError) as info:
        evaluations.record_appraisal(ev, m, county.clerk, **kwargs)
    assert message in "".join(info.value.messages)


def test_raters_weighted_appraisal(county):
    (m,) = add_members(county.east, "张三")
    version = make_scheme(county.town, "county-7-3", overrides={
        "appraisal": {"raters": {"self": "0.2", "masses": "0.3", "leadership": "0.5"}}})
    ev = evaluations.open_evaluation(organisation=county.east, by=county.secretary, scheme_version=version)
    post(county.east, m, "daily", 80, datetime.date(2025, 6, 1))
    evaluations.record_appraisal(ev, m, county.clerk, raters={"self": 90, "masses": 80, "leadership": 70})
    compute.compute_results(ev, county.clerk)
    r = ev.results.get()
    appraisal = D("0.2") * 90 + D("0.3") * 80 + D("0.5") * 70  # 77
    assert D(r.components["appraisal"]) == appraisal
    assert r.total == half_up(D("0.7") * 80 + D("0.3") * appraisal)  # 79.10


def test_raters_refused_by_a_scheme_without_weights_names_the_member(county):
    (m,) = add_members(county.east, "张三")
    ev = _open(county, "county-7-3")
    evaluations.record_appraisal(ev, m, county.clerk, raters={"self": 90, "masses": 80, "leadership": 70})
    with pytest.raises(ValidationError) as info:
        compute.compute_results(ev, county.clerk)
    assert "张三" in info.value.messages[0]


def test_result_is_immutable_once_published(county):
    (m,) = add_members(county.east, "张三")
    version = make_scheme(county.town, "county-7-3", year=2024)
    ev = published_history(county.east, version, {m: (80, "合格")})
    r = ev.results.get()
    r.total = D("99")
    with pytest.raises(ResultImmutable):
        r.save()
    with pytest.raises(ResultImmutable):
        r.delete()


def test_chunhe_share_below_60_band_is_a_check(county):
    members = add_members(county.east, *[f"党员{i}" for i in range(10)])
    ev = _open(county, "chunhe-street")
    for m in members:
        post(county.east, m, "base", 40 // 4, datetime.date(2025, 2, 1))
        post(county.east, m, "base", 10, datetime.date(2025, 5, 1))
        post(county.east, m, "base", 10, datetime.date(2025, 8, 1))
        post(county.east, m, "base", 10, datetime.date(2025, 11, 1))
        evaluations.record_appraisal(ev, m, county.clerk, score="90")
    compute.compute_results(ev, county.clerk)
    ev.refresh_from_db()
    # everybody 40 + 0.2 × 90 = 58 < 60: 10 of 10 below, the band allows 0–0 (2%–5% of 10, rounded down)
    assert {r.total for r in ev.results.all()} == {D("58.00")}
    band = [c for c in ev.checks if c["type"] == "share_below"]
    assert band and band[0]["count"] == 10 and band[0]["members_scored"] == 10


def test_member_transferred_in_under_six_months_is_not_commended(county):
    from members.models import Transfer, TransferDirection

    new, old = add_members(county.east, "新转入", "老党员")
    others = add_members(county.east, *[f"党员{i}" for i in range(12)])
    Transfer.objects.create(member=new, direction=TransferDirection.WITHIN, from_organisation=county.west,
                            to_organisation=county.east, date=datetime.date(2025, 9, 1))
    ev = _open(county, "county-7-3")
    for m in (new, old):
        post(county.east, m, "daily", 100, datetime.date(2025, 10, 1))
        evaluations.record_appraisal(ev, m, county.clerk, score="100")
    for m in others:
        evaluations.record_appraisal(ev, m, county.clerk, score="60")
    compute.compute_results(ev, county.clerk)
    results = {r.member: r for r in ev.results.all()}
    # 14 members × 15% = 2 places of 优秀: both keep the grade, only the long-standing member is commended
    assert results[new].grade == results[old].grade == "优秀"
    assert results[old].actions == ["commend"] and results[new].actions == []


def test_published_results_recompute_and_a_late_correction_shows(county):
    from ledger.services import post_correction

    from .conftest import walk_to_publication

    a, b = add_members(county.east, "甲", "乙")
    entry = post(county.east, a, "daily", 80, datetime.date(2025, 6, 1))
    post(county.east, b, "daily", 60, datetime.date(2025, 6, 1))
    ev = _open(county, "county-7-3")
    for m in (a, b):
        evaluations.record_appraisal(ev, m, county.clerk, score="70")
    walk_to_publication(county, ev)
    assert ev.scheme_version.scheme.__class__.objects.get(pk=ev.scheme_version.scheme_id).is_locked()
    assert compute.verify_results(ev) == []
    post_correction(entry, D("90"), "补记", county.clerk)  # the ledger changed after publication
    diff = compute.verify_results(ev)
    assert {"member": "甲", "field": "total", "stored": D("77.00"), "recomputed": D("84.00")} in diff
    assert ev.results.get(member=a).total == D("77.00")  # the published figure itself stays
