"""Objection deadlines in Chinese working days, and the overdue escalation to the higher committee."""
import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from ledger.models import LedgerEntry
from reviews.flows import ObjectionFlow
from reviews.models import ObjectionOutcome, RoundStatus, start_of_day
from reviews.services import filing, meeting, objections
from tests.world import declare, open_round, quorate_meeting
from workdays.calendar import is_working_day
from workdays.clock import local_today
from workflow.permissions import higher_reviewer
from workflow.steps import StepConflict
from workflow.tasks import fire_timers

NATIONAL_DAY_ROUND = dict(period_start=datetime.date(2025, 7, 1), period_end=datetime.date(2025, 9, 30),
                          publicity_days=15)


def filed_round(county, publicity_start=None, **round_kwargs):
    declaration = declare(county, occurred_on=datetime.date(2025, 8, 12) if round_kwargs else None)
    review_round = open_round(county, **round_kwargs)
    held_on = datetime.date(2025, 9, 25) if round_kwargs else None
    quorate_meeting(county, review_round, held_on=held_on)
    meeting.bulk_approve(review_round, county.clerk)
    meeting.submit_to_higher(review_round, county.secretary)
    # a publicity in the past: the filing is recorded after the fact, dated the day the publicity began
    filed_on = publicity_start if publicity_start and publicity_start < local_today() else None
    filing.file_round(review_round, county.reviewer, publicity_start=publicity_start, filed_on=filed_on)
    return review_round, declaration


def test_deadline_spans_national_day_and_make_up_working_days(county):
    # The calendar facts this test relies on (国务院办公厅 2025 holiday notice).
    assert is_working_day(datetime.date(2025, 9, 28))  # Sunday, make-up working day
    assert not is_working_day(datetime.date(2025, 10, 1))
    assert not is_working_day(datetime.date(2025, 10, 8))
    assert is_working_day(datetime.date(2025, 10, 11))  # Saturday, make-up working day
    review_round, declaration = filed_round(county, publicity_start=datetime.date(2025, 9, 26), **NATIONAL_DAY_ROUND)
    publicity = review_round.current_publicity()
    assert (publicity.start_on, publicity.end_on) == (datetime.date(2025, 9, 26), datetime.date(2025, 10, 10))

    # Received on the make-up Sunday: 9-29, 9-30, (holiday 10-1..10-8), 10-9, 10-10, 10-11 (Sat), 10-13, 10-14.
    before_holiday = objections.lodge_objection(
        declaration, objector_name="赵大伟", objector_contact="13800000000", reason="不实",
        received_on=datetime.date(2025, 9, 28), received_by=county.clerk)
    assert before_holiday.due_on == datetime.date(2025, 10, 14)
    # Received just after the holiday: 10-10, 10-11 (make-up Saturday), 10-13 .. 10-17.
    after_holiday = objections.lodge_objection(
        declaration, objector_name="钱多多", objector_contact="13900000000", reason="不实",
        received_on=datetime.date(2025, 10, 9), received_by=county.clerk)
    assert after_holiday.due_on == datetime.date(2025, 10, 17)

    boundary = Task.objects.get(process_id=before_holiday.process.pk, flow_task=ObjectionFlow.answer__timeout)
    assert boundary.status == STATUS.SCHEDULED
    assert boundary.scheduled == start_of_day(datetime.date(2025, 10, 15))


def test_overdue_answer_raises_a_task_for_the_higher_committee(county, django_capture_on_commit_callbacks):
    review_round, declaration = filed_round(county, publicity_start=datetime.date(2025, 9, 26), **NATIONAL_DAY_ROUND)
    objection = objections.lodge_objection(
        declaration, objector_name="赵大伟", objector_contact="13800000000", reason="不实",
        received_on=datetime.date(2025, 9, 28), received_by=county.clerk)
    # Today is long after 2025-10-14: the sweep closes the window and escalates the objection.
    result = fire_timers()
    assert result["timers"] == 2
    objection.refresh_from_db()
    assert objection.escalated_at is not None and objection.is_overdue()
    supervise = Task.objects.get(process_id=objection.process.pk, flow_task=ObjectionFlow.supervise_overdue)
    assert supervise.status == STATUS.ASSIGNED and supervise.owner == county.reviewer  # the one reviewer above
    assert higher_reviewer(county.reviewer, objection.process)
    assert not higher_reviewer(county.secretary, objection.process)
    # The branch still owns the answer; the round waits for it.
    answer = Task.objects.get(process_id=objection.process.pk, flow_task=ObjectionFlow.answer)
    assert answer.status == STATUS.NEW
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.AWAITING_ANSWERS
    assert fire_timers()["timers"] == 0

    with pytest.raises(PermissionDenied):
        objections.supervise_overdue(objection, county.secretary, "请尽快答复")
    with pytest.raises(ValidationError, match="督办意见"):
        objections.supervise_overdue(objection, county.reviewer, "")
    objections.supervise_overdue(objection, county.reviewer, "请支部三日内答复异议人")
    answered = objections.answer_objection(objection, county.clerk, ObjectionOutcome.DISMISSED, "经核实申报属实")
    assert answered.is_overdue()  # answered after the deadline: still shown as late
    with django_capture_on_commit_callbacks(execute=False) as queued:
        fire_timers()
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.POSTING
    assert not LedgerEntry.objects.exists()
    for callback in queued:  # what the worker does once the sweep has committed
        callback()
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.FINAL
    assert LedgerEntry.objects.filter(member=declaration.member).count() == 1
    objections.file_explanation(objection, county.reviewer)
    objection.process.refresh_from_db()
    assert objection.process.status == STATUS.DONE


def test_answer_in_time_cancels_the_escalation_timer(county):
    review_round, declaration = filed_round(county)
    objection = objections.lodge_objection(declaration, objector_name="赵大伟", objector_contact="138", reason="不实")
    boundary = Task.objects.get(process_id=objection.process.pk, flow_task=ObjectionFlow.answer__timeout)
    just_before = objection.answer_deadline - datetime.timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=just_before):
        fire_timers()
    objection.refresh_from_db()
    assert objection.escalated_at is None
    objections.answer_objection(objection, county.clerk, ObjectionOutcome.DISMISSED, "经核实申报属实")
    boundary.refresh_from_db()
    assert boundary.status == STATUS.CANCELED
    with mock.patch("django.utils.timezone.now", return_value=objection.answer_deadline + datetime.timedelta(days=3)):
        fire_timers()
    objection.refresh_from_db()
    assert objection.escalated_at is None
    assert not Task.objects.filter(process_id=objection.process.pk, flow_task=ObjectionFlow.supervise_overdue).exists()


def test_answer_input_and_permissions(county):
    review_round, declaration = filed_round(county)
    objection = objections.lodge_objection(declaration, objector_name="赵大伟", objector_contact="138", reason="不实")
    with pytest.raises(PermissionDenied):
        objections.answer_objection(objection, county.west_secretary, ObjectionOutcome.DISMISSED, "理由")
    with pytest.raises(ValidationError, match="更正后的分值"):
        objections.answer_objection(objection, county.clerk, ObjectionOutcome.UPHELD, "理由")
    with pytest.raises(ValidationError, match="相同"):
        objections.answer_objection(objection, county.clerk, ObjectionOutcome.UPHELD, "理由", corrected_points="2")
    with pytest.raises(ValidationError, match="不能填写更正分值"):
        objections.answer_objection(objection, county.clerk, ObjectionOutcome.DISMISSED, "理由", corrected_points="1")
    with pytest.raises(ValidationError, match="说明"):
        objections.answer_objection(objection, county.clerk, ObjectionOutcome.DISMISSED, " ")
    objections.answer_objection(objection, county.clerk, ObjectionOutcome.DISMISSED, "理由")
    with pytest.raises(StepConflict, match="已于"):
        objections.answer_objection(objection, county.secretary, ObjectionOutcome.DISMISSED, "理由")
    with pytest.raises(PermissionDenied):
        objections.file_explanation(objection, county.secretary)


def test_objections_need_name_contact_reason_and_a_published_item(county):
    review_round, declaration = filed_round(county)
    with pytest.raises(ValidationError, match="姓名"):
        objections.lodge_objection(declaration, objector_name="", objector_contact="138", reason="不实")
    with pytest.raises(ValidationError, match="联系方式"):
        objections.lodge_objection(declaration, objector_name="赵", objector_contact=" ", reason="不实")
    with pytest.raises(ValidationError, match="理由"):
        objections.lodge_objection(declaration, objector_name="赵", objector_contact="138", reason="")
    unpublished = declare(county, member=county.members[3])
    with pytest.raises(ValidationError, match="未在公示中"):
        objections.lodge_objection(unpublished, objector_name="赵", objector_contact="138", reason="不实")
    with pytest.raises(ValidationError, match="不在公示期内"):
        objections.lodge_objection(declaration, objector_name="赵", objector_contact="138", reason="不实",
                                   received_on=review_round.current_publicity().start_on - datetime.timedelta(days=1),
                                   received_by=county.clerk)
