"""Use of results (结果运用): talks, probation, rectification, star certificates, permissions."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from appraisals.models import DisposalProcess, Disposition, DispositionStatus, EvaluationStatus
from appraisals.services import compute, dispositions, evaluations
from documents.models import GeneratedDocument
from members.models import MemberKind
from organisations.models import Organisation, OrganisationKind
from workdays.clock import local_today
from workflow.steps import StepConflict

from .conftest import add_members, make_scheme, post, walk_to_publication

D = Decimal


def _docs(kind):
    return GeneratedDocument.objects.filter(kind=kind)


@pytest.fixture
def chengde(county):
    """篇四 先锋指数: daily deducted from 100, 0.8 × daily + 0.2 × appraisal."""
    (full,) = add_members(county.east, "刘志强")
    (prob_basic, prob_fail) = add_members(county.east, "陈小燕", "赵卫东", kind=MemberKind.PROBATIONARY)
    good = add_members(county.east, *[f"党员{i}" for i in range(7)])
    version = make_scheme(county.town, "chengde-pioneer-index")
    ev = evaluations.open_evaluation(organisation=county.east, by=county.secretary, scheme_version=version)
    for m, deducted, score in ((full, 35, 65), (prob_basic, 35, 65), (prob_fail, 60, 40)):
        post(county.east, m, "daily", deducted, datetime.date(2025, 4, 1))
        evaluations.record_appraisal(ev, m, county.clerk, score=str(score))
    for m in good:
        post(county.east, m, "daily", 20, datetime.date(2025, 4, 1))
        evaluations.record_appraisal(ev, m, county.clerk, score="80")
    ev.people = {"full": full, "prob_basic": prob_basic, "prob_fail": prob_fail}
    return ev


def test_chengde_actions_become_dispositions(county, chengde):
    ev = walk_to_publication(county, chengde)
    assert ev.status == EvaluationStatus.CONCLUDED
    p = chengde.people
    totals = {r.member: r for r in ev.results.all()}
    # 0.8 × (100 − 35) + 0.2 × 65 = 65 → 基本合格; 0.8 × 40 + 0.2 × 40 = 40 → 不合格
    assert totals[p["full"]].total == D("65.00") and totals[p["full"]].grade == "基本合格"
    assert totals[p["prob_fail"]].total == D("40.00") and totals[p["prob_fail"]].grade == "不合格"
    got = {(d.member, d.action) for d in Disposition.objects.filter(evaluation=ev)}
    assert got == {(p["full"], "talk"), (p["prob_basic"], "talk"), (p["prob_basic"], "extend_probation"),
                   (p["prob_fail"], "cancel_probation")}
    # only the cancelled probation goes to the higher committee
    cancel = Disposition.objects.get(evaluation=ev, action="cancel_probation")
    assert DisposalProcess.objects.filter(disposition__evaluation=ev).get().disposition == cancel

    talk = Disposition.objects.get(evaluation=ev, member=p["full"], action="talk")
    with pytest.raises(PermissionDenied):
        dispositions.issue_talk_notice(talk, county.clerk, talk_time="2026年1月20日上午9时", place="党群服务中心")
    with pytest.raises(ValidationError, match="请填写谈话地点"):
        dispositions.issue_talk_notice(talk, county.secretary, talk_time="2026年1月20日上午9时", place="")
    dispositions.issue_talk_notice(talk, county.secretary, talk_time="2026年1月20日上午9时", place="党群服务中心")
    notice = _docs("talk_notice").get()
    assert notice.context["talk_type"] == "谈话提醒" and "基本合格" in notice.context["reason"]
    assert notice.context["talker"] == "li-secretary"
    talk.refresh_from_db()
    assert talk.status == DispositionStatus.DONE
    with pytest.raises(StepConflict, match="该事项已办理"):
        dispositions.issue_talk_notice(talk, county.secretary, talk_time="x", place="y")

    extend = Disposition.objects.get(evaluation=ev, action="extend_probation")
    dispositions.confirm_disposition(extend, county.secretary, "支部大会决定延长预备期一年")
    extend.refresh_from_db()
    assert extend.status == DispositionStatus.DONE

    dispositions.decide_disposal(cancel, county.secretary, entitled=10, present=9, votes_for=7)
    with pytest.raises(PermissionDenied):
        dispositions.review_disposal(cancel, county.self_reviewer, approve=True)
    dispositions.review_disposal(cancel, county.reviewer, approve=True)
    cancel.refresh_from_db()
    assert cancel.status == DispositionStatus.DONE and cancel.approved_by == county.reviewer


def test_chunhe_admonish_and_rectification_notice(county):
    (low,) = add_members(county.east, "孙建华")
    version = make_scheme(county.town, "chunhe-street")
    ev = evaluations.open_evaluation(organisation=county.east, by=county.secretary, scheme_version=version)
    post(county.east, low, "base", 10, datetime.date(2025, 2, 1))
    evaluations.record_appraisal(ev, low, county.clerk, score="60")
    walk_to_publication(county, ev)
    admonish = Disposition.objects.get(evaluation=ev, action="admonish")
    rectify = Disposition.objects.get(evaluation=ev, action="rectify")
    dispositions.issue_talk_notice(admonish, county.secretary, talk_time="2026年1月16日", place="支部办公室", talker="李建国")
    assert _docs("talk_notice").get().context["talk_type"] == "诫勉谈话"
    with pytest.raises(ValidationError) as info:
        dispositions.start_rectification(rectify, county.secretary, requirements="按时参加组织生活", months=13)
    assert "最长不超过1年" in info.value.messages[0]
    dispositions.start_rectification(rectify, county.secretary, requirements="按时参加组织生活", months=6)
    rectify.refresh_from_db()
    today = local_today()
    assert rectify.status == DispositionStatus.IN_RECTIFICATION
    assert rectify.rectification_end == dispositions.add_months(today, 6)
    notice = _docs("rectification_notice").get()
    assert notice.context["deadline"] == rectify.rectification_end.isoformat()
    # 10 + 0.2 × 60 = 22
    assert "22分" in notice.context["problems"][0]["text"]
    with pytest.raises(ValidationError, match="期满后才能记录整改结果"):
        dispositions.record_rectification_outcome(rectify, county.secretary, "improved")


def test_star_scheme_issues_certificates(county):
    members = add_members(county.east, "甲", "乙")
    version = make_scheme(county.town, "star-five-school")
    ev = evaluations.open_evaluation(organisation=county.east, by=county.secretary, scheme_version=version)
    with pytest.raises(ValidationError) as info:
        evaluations.record_appraisal(ev, members[0], county.clerk, score="90")  # this scheme appraises out of 20
    assert "0–20" in info.value.messages[0]
    for m, score in zip(members, ("18", "5")):
        evaluations.record_appraisal(ev, m, county.clerk, score=score)
    walk_to_publication(county, ev)
    stars = {r.member.name: r.stars for r in ev.results.select_related("member")}
    certificates = {d.context["member_name"]: d.context["stars"] for d in _docs("star_certificate")}
    assert certificates == stars and all(1 <= s <= 5 for s in stars.values())


def test_who_may_open(county):
    version = make_scheme(county.town, "county-7-3")
    with pytest.raises(PermissionDenied):
        evaluations.open_evaluation(organisation=county.east, by=county.clerk, scheme_version=version)
    with pytest.raises(PermissionDenied):
        evaluations.open_evaluation(organisation=county.east, by=county.west_secretary, scheme_version=version)
    group = Organisation.objects.create(name="第一党小组", kind=OrganisationKind.GROUP, parent=county.east, code="a-g1")
    with pytest.raises(ValidationError) as info:
        evaluations.open_evaluation(organisation=group, by=county.secretary, scheme_version=version)
    assert "党支部或更高一级" in info.value.messages[0]
    evaluations.open_evaluation(organisation=county.east, by=county.secretary, scheme_version=version)
    with pytest.raises(ValidationError, match="已发起 2025 年度的评定"):
        evaluations.open_evaluation(organisation=county.east, by=county.secretary, scheme_version=version)
    other = make_scheme(county.west, "county-7-3")
    with pytest.raises(ValidationError) as info:
        evaluations.open_evaluation(organisation=county.east, by=county.secretary, scheme_version=other)
    assert "不适用于" in info.value.messages[0]


def test_only_the_branch_records_its_own_members(county):
    (m,) = add_members(county.east, "张三")
    version = make_scheme(county.town, "county-7-3")
    ev = evaluations.open_evaluation(organisation=county.east, by=county.secretary, scheme_version=version)
    with pytest.raises(PermissionDenied):
        evaluations.record_appraisal(ev, m, county.west_secretary, score="80")
    with pytest.raises(PermissionDenied):
        evaluations.record_appraisal(ev, m, county.reviewer, score="80")  # the reviewer reviews, it does not enter
    with pytest.raises(ValidationError) as info:
        evaluations.record_appraisal(ev, county.west_member, county.clerk, score="80")
    assert "不属于" in info.value.messages[0]
    with pytest.raises(PermissionDenied):
        compute.compute_results(ev, county.west_secretary)
