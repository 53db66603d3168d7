"""Permissions, quorum, publicity length, withdrawal, the branch-meeting exit rule and the audit trail."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reviews.services import declarations, filing, rounds
from reviews.services import meeting as meeting_service
from reviews.models import AuditEntry, DeclarationStatus, MeetingKind, ReporterKind, RoundStatus, local_today
from tests.world import D, declare, open_round, quorate_meeting


@pytest.fixture
def meeting_round(county):
    first = declare(county, points="3")
    second = declare(county, member=county.members[2], points="-1", rule_item="D-01", component="deduction")
    review_round = open_round(county)
    quorate_meeting(county, review_round)
    first.refresh_from_db()
    second.refresh_from_db()
    return review_round, first, second


def test_secretary_of_another_branch_cannot_decide(county, meeting_round):
    review_round, first, _second = meeting_round
    with pytest.raises(PermissionDenied, match="东街社区党支部"):
        meeting_service.decide_declaration(first, county.west_secretary, DeclarationStatus.APPROVED)
    with pytest.raises(PermissionDenied):
        meeting_service.bulk_approve(review_round, county.west_secretary)
    with pytest.raises(PermissionDenied):
        meeting_service.record_meeting(review_round, county.west_secretary, kind=MeetingKind.COMMITTEE,
                                       held_on=local_today(), entitled_count=3, attendee_count=3, minute_taker="孙")
    first.refresh_from_db()
    assert first.status == DeclarationStatus.SUBMITTED
    assert not AuditEntry.objects.filter(action="declaration_decided").exists()


def test_branch_cannot_file_its_own_round(county, meeting_round):
    review_round, *_ = meeting_round
    meeting_service.bulk_approve(review_round, county.clerk)
    meeting_service.submit_to_higher(review_round, county.secretary)
    for user in (county.secretary, county.self_reviewer, county.west_secretary):
        with pytest.raises(PermissionDenied):
            filing.file_round(review_round, user)
        with pytest.raises(PermissionDenied):
            filing.return_round(review_round, user, "退回")
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.HIGHER_REVIEW
    assert not review_round.filings.exists()
    filing.file_round(review_round, county.reviewer)
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.PUBLICITY


def test_only_a_secretary_opens_and_submits(county):
    with pytest.raises(PermissionDenied):
        open_round(county, by=county.clerk)
    with pytest.raises(PermissionDenied):
        open_round(county, by=county.west_secretary)
    review_round = open_round(county)
    declare(county)
    rounds.collect_declarations(review_round, county.clerk)
    quorate_meeting(county, review_round)
    meeting_service.bulk_approve(review_round, county.clerk)
    with pytest.raises(PermissionDenied):
        meeting_service.submit_to_higher(review_round, county.clerk)


def test_decisions_refused_without_quorum(county):
    declaration = declare(county)
    review_round = open_round(county)
    with pytest.raises(ValidationError, match="尚未记录支部会议"):
        meeting_service.decide_declaration(declaration, county.clerk, DeclarationStatus.APPROVED)
    # Not more than half: 1 of the committee of 3 on record.
    meeting = quorate_meeting(county, review_round, attendee_count=1, attendee_names="李建国",
                              absentee_names="赵丽娜（病假）、孙丽（外出培训，请假）")
    assert not meeting.has_quorum
    with pytest.raises(ValidationError, match="未超过应到人数的一半"):
        meeting_service.decide_declaration(declaration, county.clerk, DeclarationStatus.APPROVED)
    with pytest.raises(ValidationError, match="未超过应到人数的一半"):
        meeting_service.bulk_approve(review_round, county.clerk)
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.SUBMITTED
    meeting = quorate_meeting(county, review_round, attendee_count=2)
    assert meeting.has_quorum
    meeting_service.decide_declaration(declaration, county.clerk, DeclarationStatus.APPROVED)
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.APPROVED and declaration.decided_at_meeting == meeting


def test_meeting_input_is_checked(county):
    review_round = open_round(county, requires_guide_signatory=True)
    with pytest.raises(ValidationError, match="不能超过应到人数"):
        quorate_meeting(county, review_round, entitled_count=3, attendee_count=4)
    with pytest.raises(ValidationError, match="党建指导员"):
        quorate_meeting(county, review_round)
    with pytest.raises(ValidationError, match="记录人"):
        quorate_meeting(county, review_round, guide_signatory="周明", minute_taker=" ")
    quorate_meeting(county, review_round, guide_signatory="周明")


def test_round_cannot_leave_the_meeting_with_an_undecided_declaration(county, meeting_round):
    review_round, first, second = meeting_round
    meeting_service.decide_declaration(first, county.clerk, DeclarationStatus.APPROVED)
    with pytest.raises(ValidationError, match="还有 1 项申报未认定"):
        meeting_service.submit_to_higher(review_round, county.secretary)
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.BRANCH_MEETING
    meeting_service.decide_declaration(second, county.clerk, DeclarationStatus.REJECTED, reason="无佐证")
    meeting_service.submit_to_higher(review_round, county.secretary)
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.HIGHER_REVIEW
    # A decided round no longer accepts decisions.
    with pytest.raises(ValidationError, match="不在支部会议审核阶段"):
        meeting_service.decide_declaration(first, county.clerk, DeclarationStatus.REJECTED, reason="x")


def test_decision_input_is_checked(county, meeting_round):
    _round, first, _second = meeting_round
    with pytest.raises(ValidationError, match="须说明理由"):
        meeting_service.decide_declaration(first, county.clerk, DeclarationStatus.REJECTED)
    with pytest.raises(ValidationError, match="调整后的分值"):
        meeting_service.decide_declaration(first, county.clerk, DeclarationStatus.ADJUSTED, reason="核减")
    with pytest.raises(ValidationError, match="相同"):
        meeting_service.decide_declaration(first, county.clerk, DeclarationStatus.ADJUSTED, points="3", reason="核减")
    with pytest.raises(ValidationError, match="不是有效的分值"):
        meeting_service.decide_declaration(first, county.clerk, DeclarationStatus.ADJUSTED, points="三", reason="核减")
    with pytest.raises(ValidationError, match="无效"):
        meeting_service.decide_declaration(first, county.clerk, "maybe")
    meeting_service.decide_declaration(first, county.clerk, DeclarationStatus.ADJUSTED, points="1.5", reason="核减")
    first.refresh_from_db()
    assert first.decided_points == D("1.50") and first.status == DeclarationStatus.ADJUSTED


def test_publicity_shorter_than_seven_days_is_refused(county):
    with pytest.raises(ValidationError, match="少于规定的 7 天"):
        open_round(county, publicity_days=6)
    review_round = open_round(county, publicity_days=10)
    assert review_round.publicity_days == 10
    declare(county)
    rounds.collect_declarations(review_round, county.clerk)
    quorate_meeting(county, review_round)
    meeting_service.bulk_approve(review_round, county.clerk)
    meeting_service.submit_to_higher(review_round, county.secretary)
    with pytest.raises(ValidationError, match="早于支部会议日期"):
        filing.file_round(review_round, county.reviewer, publicity_start=local_today() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="超过30天"):
        filing.file_round(review_round, county.reviewer, publicity_start=local_today() + datetime.timedelta(days=31))
    filing.file_round(review_round, county.reviewer)
    publicity = review_round.current_publicity()
    assert publicity.days == 10
    assert publicity.end_on - publicity.start_on == datetime.timedelta(days=9)


def test_withdrawal_only_by_the_author_before_the_meeting_takes_it_up(county):
    own = declare(county, member=county.members[0], by=county.member_user, reporter_kind=ReporterKind.SELF)
    review_round = open_round(county)
    with pytest.raises(PermissionDenied):
        declarations.withdraw_declaration(own, county.clerk)
    declarations.withdraw_declaration(own, county.member_user)
    own.refresh_from_db()
    assert own.status == DeclarationStatus.WITHDRAWN and own.review_round is None

    again = declare(county, member=county.members[0], by=county.member_user, reporter_kind=ReporterKind.SELF)
    again.refresh_from_db()
    assert again.review_round == review_round
    quorate_meeting(county, review_round)
    with pytest.raises(ValidationError, match="支部会议已开始审核该申报"):
        declarations.withdraw_declaration(again, county.member_user)
    again.refresh_from_db()
    assert again.status == DeclarationStatus.SUBMITTED


def test_reporters_need_the_right_standing(county):
    with pytest.raises(PermissionDenied, match="本人"):
        declare(county, member=county.members[1], by=county.member_user, reporter_kind=ReporterKind.SELF)
    with pytest.raises(PermissionDenied):
        declare(county, by=county.west_secretary)
    with pytest.raises(ValidationError, match="反映人姓名和联系方式"):
        declare(county, by=None, reporter_kind=ReporterKind.MASS)
    mass = declare(county, by=None, reporter_kind=ReporterKind.MASS, reporter_name="群众甲",
                   reporter_contact="13900000000", points="-2")
    assert mass.declared_by is None and mass.points == D("-2.00")
    with pytest.raises(ValidationError, match="尚未发生"):
        declare(county, occurred_on=local_today() + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="两位小数"):
        declare(county, points="1.234")


def test_open_round_validation(county):
    with pytest.raises(ValidationError, match="没有上级党组织"):
        rounds.open_round(organisation=county.town, by=county.reviewer.__class__.objects.create_superuser("root"))
    open_round(county)
    with pytest.raises(ValidationError, match="重叠"):
        open_round(county)


def test_publicity_totals_count_deductions_negative(county):
    from documents.models import GeneratedDocument

    member = county.members[1]
    declare(county, member=member, points="3")
    declare(county, member=member, points="2", component="deduction", rule_item="K-02")
    review_round = open_round(county)
    quorate_meeting(county, review_round)
    meeting_service.bulk_approve(review_round, county.clerk)
    meeting_service.submit_to_higher(review_round, county.secretary)
    filing.file_round(review_round, county.reviewer)
    notice = GeneratedDocument.objects.get(kind="publicity_notice", process_id=review_round.process.pk)
    assert notice.context["rows"] == [{"name": member.name, "detail": "志愿服务+3；志愿服务-2", "total": "+1"}]


def test_audit_entries_are_append_only(county):
    review_round = open_round(county)
    entry = AuditEntry.objects.filter(review_round=review_round).first()
    assert entry.actor == county.secretary and entry.action == "round_opened"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()
