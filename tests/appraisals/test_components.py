"""Per-star appraisals, flags without an appraisal, the scheme's exclusion rule (issue 10, items 4 and 6)."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from appraisals.errors import AppraisalErrorCode as Code
from appraisals.models import AppraisalInput, AppraisalMethod
from appraisals.services import compute, evaluations, imports
from members.models import Exclusion

from .conftest import add_members, make_scheme, refusal

STARS = ["dedication", "tech_innovation", "safety", "charity", "honesty"]


def nonpublic(county, *names):
    """A 非公 evaluation of ``names``; the star quotas (≤10% five, ≤20% four) lifted for so few members."""
    members = add_members(county.east, *names)
    version = make_scheme(county.town, "star-nonpublic", overrides={"five_star_share": 1, "four_star_share": 1})
    ev = evaluations.open_evaluation(organisation=county.east, by=county.secretary, scheme_version=version)
    return ev, members


def stars(*scores):
    return {name: {"score": score} for name, score in zip(STARS, scores)}


def test_nonpublic_takes_one_appraisal_per_star_and_closes_its_year(county):
    """篇十三 非公 l.783: each star scored out of 10, 8 and above earns it — at year end, from the inputs."""
    ev, (zhang, li) = nonpublic(county, "张三", "李四")
    item = evaluations.record_appraisal(ev, zhang, county.clerk, components=stars(9, 8, 9.5, 10, 7))
    assert item.method == AppraisalMethod.COMPONENTS and item.components["safety"] == {"score": "9.50"}
    assert item.to_engine() == {"components": {n: {"score": Decimal(v)} for n, v in zip(
        STARS, ("9.00", "8.00", "9.50", "10.00", "7.00"))}}
    evaluations.record_appraisal(ev, li, county.clerk, components={
        name: {"votes": {"优秀": 3, "良好": 1}} for name in STARS})  # votes on a 10-point star: 95 → 9.5
    rows = {r.member.name: r for r in compute.compute_results(ev, county.clerk)}
    assert (rows["张三"].stars, rows["张三"].total) == (4, Decimal("43.50"))
    assert (rows["李四"].stars, rows["李四"].components["dedication"]) == (5, "9.50")


@pytest.mark.parametrize("kwargs, field, code", [
    ({"score": "9"}, "components", Code.APPRAISAL_PER_COMPONENT),
    ({"components": stars(9, 9, 9, 9)}, "components", Code.APPRAISAL_COMPONENT_MISSING),
    ({"components": {**stars(9, 9, 9, 9, 9), "loyalty": {"score": 9}}}, "components", Code.UNKNOWN_APPRAISAL_COMPONENT),
    ({"components": stars(9, 9, 9, 9, 11)}, "components", Code.OUT_OF_RANGE),
    ({"components": {**stars(9, 9, 9, 9), "honesty": {"raters": {"self": 9}}}}, "components", Code.RATERS_NOT_GIVEN),
    ({"components": {**stars(9, 9, 9, 9), "honesty": {"votes": {"优秀": 0}}}}, "components", Code.NO_VOTES),
    ({"components": {**stars(9, 9, 9, 9), "honesty": {"score": 9, "votes": {}}}}, "components",
     Code.ONE_APPRAISAL_METHOD),
])
def test_per_star_refusals_name_the_components_input(county, kwargs, field, code):
    ev, (zhang,) = nonpublic(county, "张三")
    with pytest.raises(ValidationError) as info:
        evaluations.record_appraisal(ev, zhang, county.clerk, **kwargs)
    assert refusal(info.value) == {field: [code]}
    assert not AppraisalInput.objects.exists()


def test_raters_per_star_where_the_scheme_weighs_them(county):
    """篇十三 作业区 l.697: self 20%, masses 30%, leadership 50%, for each of five aspects."""
    (zhang,) = add_members(county.east, "张三")
    version = make_scheme(county.town, "star-oilfield-quarterly")
    ev = evaluations.open_evaluation(organisation=county.east, by=county.secretary, scheme_version=version)
    raters = {"self": 90, "masses": 80, "leadership": 85}
    item = evaluations.record_appraisal(ev, zhang, county.clerk, components={
        name: {"raters": raters} for name in ["work_tasks", "indicators", "innovation", "training", "activities"]})
    assert item.components["training"] == {"raters": {"self": "90.00", "masses": "80.00", "leadership": "85.00"}}
    [row] = compute.compute_results(ev, county.clerk)
    assert (row.stars, row.components["work_tasks"]) == (5, "84.50")


def test_flags_alone_are_recorded_for_a_scheme_without_appraisal(county):
    """篇十四 归零指数: 连续6个月不缴纳党费 zeroes the score — attested at year end, no appraisal to give."""
    (zhang,) = add_members(county.east, "张三")
    ev = evaluations.open_evaluation(organisation=county.east, by=county.secretary,
                                     scheme_version=make_scheme(county.town, "hongjiang-township"))
    item = evaluations.record_appraisal(ev, zhang, county.clerk, flags={"dues_unpaid_months": 7})
    assert (item.method, item.to_engine()) == (AppraisalMethod.NONE, None)
    [row] = compute.compute_results(ev, county.clerk)
    assert (row.total, row.vetoed, row.grade) == (Decimal("0.00"), True, "不合格")
    text = evaluations.record_appraisal(ev, zhang, county.clerk, flags={"new_seller": " small "})
    assert text.flags == {"new_seller": "small"}


def exclude(member, approved):
    Exclusion.objects.create(member=member, reason="age_70", decided_on=datetime.date(2025, 2, 1),
                             start_date=datetime.date(2025, 2, 1),
                             approved_on=datetime.date(2025, 2, 10) if approved else None)


@pytest.mark.parametrize("preset, excluded", [("chengde-pioneer-index", False), ("street-three-classes", True)])
def test_whose_decision_excludes_a_member_is_the_schemes(county, preset, excluded):
    """篇四 l.141 报上级党委批准后可不纳入; 篇十 l.287 经党支部讨论后可不纳入 (the branch alone)."""
    old, = add_members(county.east, "王老", category=None)
    exclude(old, approved=False)
    ev = evaluations.open_evaluation(organisation=county.east, by=county.secretary,
                                     scheme_version=make_scheme(county.town, preset))
    members, left_out = evaluations.evaluated_members(ev)
    assert (old in left_out, old in members) == (excluded, not excluded)
    assert old.is_excluded(datetime.date(2025, 12, 31), approved_only=False)
    assert not old.is_excluded(datetime.date(2025, 12, 31))


def test_the_year_end_publicity_lasts_the_schemes_days(county):
    version = make_scheme(county.town, "chunhe-street", overrides={"review": {"cadence": "quarterly",
                                                                             "publicity_days": 10}})
    ev = evaluations.open_evaluation(organisation=county.east, by=county.secretary, scheme_version=version)
    assert ev.publicity_days == 10


def test_the_page_takes_one_appraisal_per_star_and_shows_what_each_result_earns(client, county):
    """The input screen of a 非公 evaluation asks for each star; the results show the plaque (l.795)."""
    ev, (zhang,) = nonpublic(county, "张三")
    url = reverse("appraisals:detail", args=[ev.pk])
    client.force_login(county.clerk)
    page = client.get(url).content.decode()
    assert 'name="comp_safety"' in page and "爱岗敬业星（0–10）" in page and 'value="votes"' not in page
    posted = {"action": "record_appraisal", "member": zhang.pk, "method": "components"}
    posted |= {f"comp_{name}": "9" for name in STARS}
    client.post(url, posted | {"comp_honesty": "12"}, follow=True)
    assert not AppraisalInput.objects.exists()
    client.post(url, posted, follow=True)
    assert AppraisalInput.objects.get(member=zhang).components["honesty"] == {"score": "9.00"}
    page = client.post(url, {"action": "compute"}, follow=True).content.decode()
    assert "<td>挂牌</td>" in page


def csv_bytes(rows):
    return "\n".join(",".join(row) for row in rows).encode("utf-8-sig")


def test_the_appraisal_imports_from_a_sheet_one_column_per_star(county):
    ev, (zhang, li) = nonpublic(county, "张三", "李四")
    labels = ["爱岗敬业星", "技术创新星", "安全生产星", "奉献爱心星", "诚实守信星"]
    sheet = csv_bytes([["2025年度星级党员评分汇总"], ["序号", "姓名", *labels, "标记:illegal_activity"],
                       ["1", "张三", "9", "9", "8", "8.5", "10", ""], ["2", "李四", "7", "9", "9", "9", "9", "是"]])
    assert imports.import_appraisals(ev, county.clerk, sheet) == 2
    rows = {i.member.name: i for i in AppraisalInput.objects.select_related("member")}
    assert rows["张三"].components["charity"] == {"score": "8.50"} and rows["李四"].flags == {"illegal_activity": True}


def test_an_import_with_a_bad_row_records_nothing_and_names_every_row(county):
    ev, (zhang, li) = nonpublic(county, "张三", "李四")
    sheet = csv_bytes([["姓名", "爱岗敬业星", "技术创新星", "安全生产星", "奉献爱心星", "诚实守信星"],
                       ["张三", "9", "9", "9", "9", "9"], ["王五", "9", "9", "9", "9", "9"],
                       ["李四", "9", "9", "9", "9", "11"]])
    with pytest.raises(ValidationError) as info:
        imports.import_appraisals(ev, county.clerk, sheet)
    assert refusal(info.value) == {"file": [Code.IMPORT_ROWS_REFUSED] * 2}
    assert "第3行（王五）" in info.value.messages[0] and "第4行（李四）" in info.value.messages[1]
    assert not AppraisalInput.objects.exists()
    with pytest.raises(ValidationError) as info:
        imports.import_appraisals(ev, county.clerk, csv_bytes([["成员", "得分"], ["张三", "9"]]))
    assert refusal(info.value) == {"file": [Code.IMPORT_HEADER_MISSING]}


def test_a_whole_member_appraisal_imports_from_votes_columns(county):
    (zhang,) = add_members(county.east, "张三")
    ev = evaluations.open_evaluation(organisation=county.east, by=county.secretary,
                                     scheme_version=make_scheme(county.town, "chunhe-street"))
    sheet = csv_bytes([["姓名", "优秀票", "良好票", "合格票", "差票"], ["张三", "8", "2", "0", "0"]])
    assert imports.import_appraisals(ev, county.clerk, sheet) == 1
    assert AppraisalInput.objects.get(member=zhang).to_engine() == {"votes": {"优秀": 8, "良好": 2, "合格": 0, "差": 0}}
