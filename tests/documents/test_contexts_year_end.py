"""The year-end kinds' build_context against an evaluation's records (results, dispositions).

Built on the branch of ``test_contexts`` (13 party members; the town committee above it).
The committee named as having agreed or approved is the reviewer's, read from the record;
who decided a disposition (支委会 or 支部党员大会) is read from whether it carries a vote.
"""
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from appraisals.models import (
    DisposalMeasure,
    Disposition,
    DispositionAction,
    DispositionStatus,
    Evaluation,
    MemberResult,
)
from documents.kinds import (
    commendation,
    disposal_approval,
    disposal_request,
    objection_answer,
    probation_cancellation,
    rectification_notice,
    result_notice,
    star_certificate,
    talk_notice,
    year_end_publicity,
)
from organisations.models import Organisation, OrganisationKind
from reviews.models import DeclarationStatus, ObjectionOutcome
from documents.kinds import filing_report
from schemes.models import Scheme

from .test_contexts import Q1, _text, _user, branch  # noqa: F401  (branch is a fixture)


@pytest.fixture
def year_end(branch):  # noqa: F811
    """An evaluation agreed by the town's reviewer, with the branch under a general branch
    (so the parent is not who approves)."""
    general = Organisation.objects.create(name="机关党总支", kind=OrganisationKind.GENERAL_BRANCH,
                                          parent=branch.town, code="c-general")
    branch.east.parent = general
    branch.east.save()
    scheme = Scheme.objects.create(organisation=branch.east, name="county-7-3-2025", cycle_start=Q1,
                                   cycle_end=datetime.date(2025, 12, 31))
    version = scheme.revise(preset_key="county-7-3")
    ev = Evaluation.objects.create(organisation=branch.east, scheme_version=version, cycle_start=Q1,
                                   cycle_end=datetime.date(2025, 12, 31), opened_by=branch.secretary,
                                   reviewed_by=branch.reviewer, publicity_start=datetime.date(2026, 1, 10),
                                   publicity_days=7)
    m = branch.members
    results = {}
    for member, total, grade, stars, actions in (
        (m[0], "92.50", "优秀", 5, ["commend"]), (m[1], "91", "优秀", None, ["commend"]),
        (m[2], "68", "基本合格", None, ["talk"]), (m[3], "55", "不合格", None, ["dispose"]),
    ):
        results[member.name] = MemberResult.objects.create(
            evaluation=ev, member=member, cycle_start=Q1, total=Decimal(total), grade=grade, stars=stars,
            actions=actions, scheme_version_number=version.number, vetoed=member == m[3])
    return ev, results


def _disposition(ev, result, action, **extra):
    return Disposition.objects.create(evaluation=ev, result=result, member=result.member, action=action,
                                      facts=f"{result.member.name}同志2025年度积分{result.total}分。", **extra)


def test_result_notice_names_the_committee_that_agreed(year_end):
    ev, results = year_end
    ctx = result_notice.build_context(results["张红梅"])
    assert ctx == {"member_name": "张红梅", "year": "2025", "score": "92.5", "grade": "优秀",
                   "approver_name": "中共城关镇委员会", "remark": ""}
    assert result_notice.build_context(results["赵卫东"])["remark"] == "一票否决"
    assert result_notice.has_notice(results["张红梅"])
    results["张红梅"].grade = "★★★"
    assert not result_notice.has_notice(results["张红梅"])
    assert "并报中共城关镇委员会同意" in _text("result_notice", ctx)


def test_year_end_publicity_lists_every_result(year_end, branch):  # noqa: F811
    ev, results = year_end
    ctx = year_end_publicity.build_context(ev)
    assert ctx["rows"] == [
        {"name": "张红梅", "total": "92.5", "result": "优秀，五星级"},
        {"name": "刘志强", "total": "91", "result": "优秀"},
        {"name": "陈小燕", "total": "68", "result": "基本合格"},
        {"name": "赵卫东", "total": "55", "result": "不合格（一票否决）"},
    ]
    assert len(ctx["rows"]) == ev.results.count()
    assert (ctx["window_start"], ctx["window_end"]) == ("2026-01-10", "2026-01-16")
    assert ctx["approver_name"] == "中共城关镇委员会" and ctx["year"] == "2025"
    text = _text("year_end_publicity", ctx)
    assert "关于2025年度党员积分评定结果的公示" in text and "公示时间：2026年1月10日至2026年1月16日。" in text


def test_star_certificate_only_for_the_members_the_scheme_awards(year_end):
    ev, results = year_end
    assert star_certificate.has_certificate(results["张红梅"])
    assert not star_certificate.has_certificate(results["刘志强"])  # no stars
    ctx = star_certificate.build_context(results["张红梅"])
    assert ctx == {"member_name": "张红梅", "year": "2025", "stars": 5, "max_stars": 5,
                   "certificate_no": f"XJ-2025-{results['张红梅'].pk:04d}"}
    # star-ten: 4 stars is 不合格 (dispose) and gets none; 8 stars gets a ten-star certificate
    poor = MemberResult(evaluation=ev, member=results["陈小燕"].member, total=Decimal("40"), grade="不合格", stars=4,
                        actions=["dispose"])
    assert not star_certificate.has_certificate(poor)
    good = MemberResult(evaluation=ev, member=results["陈小燕"].member, total=Decimal("80"), grade="合格", stars=8,
                        actions=[], pk=77)
    assert star_certificate.has_certificate(good)
    assert star_certificate.build_context(good)["max_stars"] == 10
    # dagaowei: a 1-star member sent to rectification gets none; a vetoed one neither
    one = MemberResult(evaluation=ev, member=results["陈小燕"].member, total=Decimal("50"), grade="合格", stars=1,
                       actions=["rectify"])
    assert not star_certificate.has_certificate(one)
    results["张红梅"].vetoed = True
    assert not star_certificate.has_certificate(results["张红梅"])
    # a scheme that states which stars earn one decides
    assert star_certificate.has_certificate(good, awarded_stars=(9, 10)) is False


def test_commendation_lists_the_commended_members_by_total(year_end):
    ev, results = year_end
    for name in ("刘志强", "张红梅"):
        _disposition(ev, results[name], DispositionAction.COMMEND, status=DispositionStatus.DONE)
    _disposition(ev, results["陈小燕"], DispositionAction.TALK)
    ctx = commendation.build_context(ev)
    assert [(h["name"], h["deeds"]) for h in ctx["honourees"]] == [
        ("张红梅", "年度积分92.5分，评定等次优秀，评定为五星级"), ("刘志强", "年度积分91分，评定等次优秀")]
    assert ctx["year"] == "2025" and ctx["honour"] == "优秀共产党员" and ctx["approver_name"] == "中共城关镇委员会"
    text = _text("commendation", ctx)
    assert "决定对以下2名同志授予“优秀共产党员”称号" in text and "经支部委员会研究" not in text


def test_talk_notice(year_end):
    ev, results = year_end
    talk = _disposition(ev, results["陈小燕"], DispositionAction.ADMONISH)
    ctx = talk_notice.build_context(talk, talk_time="2026年1月20日上午9时", place="党群服务中心", talker="李建国")
    assert ctx["talk_type"] == "诫勉谈话"
    assert ctx["reason"] == "你在2025年度党员积分评定中，年度积分68分，评定等次基本合格。"


def test_rectification_notice_names_who_decided_from_the_record(year_end, branch):  # noqa: F811
    ev, results = year_end
    rectify = _disposition(ev, results["赵卫东"], DispositionAction.RECTIFY, requirements="按时参加组织生活",
                           rectification_end=datetime.date(2026, 7, 22))
    ctx = rectification_notice.build_context(rectify)
    assert ctx == {"member_name": "赵卫东", "decided_by": "支部委员会研究", "problems": [{"text": rectify.facts.removeprefix("赵卫东同志")}],
                   "deadline": "2026-07-22", "requirements": "按时参加组织生活"}
    assert rectification_notice.build_context(rectify, problems=["甲", "乙"])["problems"] == [{"text": "甲"}, {"text": "乙"}]
    # a 限期改正 voted by the branch meeting and approved above
    voted = _disposition(ev, results["陈小燕"], DispositionAction.DISPOSE, measure=DisposalMeasure.RECTIFY,
                         entitled=13, present=11, votes_for=9, decided_by=branch.secretary,
                         decided_at=timezone.make_aware(datetime.datetime(2026, 1, 18, 10)),
                         approved_by=branch.reviewer, approved_at=timezone.now(),
                         requirements="每月书面汇报", rectification_end=datetime.date(2026, 7, 22))
    ctx = rectification_notice.build_context(voted)
    assert ctx["decided_by"] == "2026年1月18日支部党员大会讨论决定，并报中共城关镇委员会批准"
    text = _text("rectification_notice", ctx)
    assert "经2026年1月18日支部党员大会讨论决定" in text and "经支部委员会研究" not in text


def test_disposal_request_goes_to_the_committee_that_approves(branch, year_end):  # noqa: F811
    ev, results = year_end
    d = _disposition(ev, results["赵卫东"], DispositionAction.DISPOSE, measure=DisposalMeasure.PERSUADE, entitled=13,
                     present=11, votes_for=9, decided_by=branch.secretary, status=DispositionStatus.AWAITING_APPROVAL,
                     decided_at=timezone.make_aware(datetime.datetime(2026, 2, 3, 15)))
    ctx = disposal_request.build_context(d)
    assert branch.east.parent.name == "机关党总支"  # the parent, who does not approve
    assert ctx == {"higher_org_name": "中共城关镇委员会", "member_name": "赵卫东", "facts": d.facts, "disposal": "劝其退党",
                   "meeting_date": "2026-02-03", "entitled": 13, "present": 11, "votes_for": 9, "signer": "李建国"}
    assert disposal_request.subject_key(d) == f"disposition:{d.pk}:request"
    assert "2026年2月3日，支部党员大会讨论了" in _text("disposal_request", ctx)
    request = type("Doc", (), {"document_number": "东街党支〔2026〕11号"})()
    d.status, d.approval_comments = DispositionStatus.DONE, "请做好思想工作。"
    ctx = disposal_approval.build_context(d, request=request)
    assert ctx["request_number"] == "东街党支〔2026〕11号" and ctx["branch_name"] == "东街社区党支部"
    assert ctx["decision_text"] == "经研究，同意你支部对赵卫东同志作出劝其退党的处置意见。请做好思想工作。"
    d.status = DispositionStatus.REJECTED
    refused = disposal_approval.build_context(d, request=None)
    assert refused["decision_text"].startswith("经研究，不同意") and refused["verdict"] == "不同意"
    assert refused["request_number"] == ""


def test_probation_cancellation_states_the_vote_and_the_approval(branch, year_end):  # noqa: F811
    ev, results = year_end
    member = branch.members[12]
    member.joined_on = datetime.date(2025, 1, 10)
    member.save()
    result = MemberResult.objects.create(evaluation=ev, member=member, cycle_start=Q1, total=Decimal("48"),
                                         grade="不合格", actions=["cancel_probation"], scheme_version_number=1)
    d = _disposition(ev, result, DispositionAction.CANCEL_PROBATION, entitled=12, present=10, votes_for=9,
                     decided_by=branch.secretary, decided_at=timezone.make_aware(datetime.datetime(2026, 1, 28, 9)),
                     approved_by=branch.reviewer, approved_at=timezone.make_aware(datetime.datetime(2026, 2, 8, 16)),
                     status=DispositionStatus.DONE)
    ctx = probation_cancellation.build_context(d)
    assert ctx == {"member_name": "林浩然", "admitted": "于2025年1月10日被接收为预备党员", "facts": d.facts,
                   "meeting_date": "2026-01-28", "entitled": 12, "present": 10, "votes_for": 9,
                   "approver_name": "中共城关镇委员会", "approval_date": "2026-02-08"}
    text = _text("probation_cancellation", ctx)
    assert "决定取消林浩然同志的预备党员资格" in text and "并报中共城关镇委员会于2026年2月8日批准" in text


def test_record_codes_read_by_the_builders_are_the_domain_apps_values():
    assert (filing_report.APPROVED, filing_report.ADJUSTED, filing_report.REJECTED) == (
        DeclarationStatus.APPROVED, DeclarationStatus.ADJUSTED, DeclarationStatus.REJECTED)
    assert objection_answer.UPHELD == ObjectionOutcome.UPHELD
    assert commendation.COMMEND == DispositionAction.COMMEND
    assert disposal_approval.REJECTED == DispositionStatus.REJECTED
    assert set(talk_notice.TALK_TYPES) == {DispositionAction.TALK, DispositionAction.ADMONISH}
    assert disposal_request.DISPOSALS == tuple(DisposalMeasure.values)
    assert set(star_certificate.CORRECTIVE_ACTIONS) == set(DispositionAction.values) - {DispositionAction.COMMEND}
