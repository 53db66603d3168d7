"""One declaration walked from creation to its ledger entry through every step."""
import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from documents.models import GeneratedDocument
from ledger.models import LedgerEntry
from ledger.services import balance
from reviews.flows import ReviewRoundFlow
from reviews.models import (
    AuditEntry,
    DeclarationStatus,
    FilingOutcome,
    ObjectionOutcome,
    Publicity,
    PublicityKind,
    RoundStatus,
    local_today,
)
from reviews.services import declarations, meeting, objections
from reviews.services import filing as filing_service
from tests.world import D, declare, open_round, quorate_meeting
from workflow.tasks import fire_timers


def kinds_for(process_pk):
    return sorted(GeneratedDocument.objects.filter(process_id=process_pk).values_list("kind", flat=True))


def at(moment):
    """Pretend the clock reads ``moment`` (for the beat sweep and everything it calls)."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


@pytest.mark.django_db(transaction=True)
def test_declaration_walks_every_step_to_the_ledger(county):
    today = local_today()
    declaration = declare(county, points="3")
    other = declare(county, member=county.members[2], points="2")
    review_round = open_round(county)
    process = review_round.process
    declaration.refresh_from_db()
    other.refresh_from_db()
    assert declaration.review_round == review_round and other.review_round == review_round
    assert review_round.status == RoundStatus.BRANCH_MEETING

    # Branch meeting, pass 1: quorum, bulk approve everything, report upward.
    quorate_meeting(county, review_round)
    assert len(meeting.bulk_approve(review_round, county.clerk)) == 2
    meeting.submit_to_higher(review_round, county.secretary)
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.HIGHER_REVIEW
    assert kinds_for(process.pk) == ["meeting_record"]

    # The higher level returns it: back to the branch meeting, pass 2.
    filing_service.return_round(review_round, county.reviewer, "志愿服务加分缺少签到记录，请核实后调整。")
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.RETURNED and review_round.review_pass == 2
    active = Task.objects.filter(process_id=process.pk, status=STATUS.NEW).values_list("flow_task", flat=True)
    assert list(active) == [ReviewRoundFlow.branch_meeting]

    # Pass 2: a new meeting adjusts the declaration, then files.
    quorate_meeting(county, review_round, attendee_count=3, attendee_names="李建国、赵丽娜、孙丽", absentee_names="")
    meeting.decide_declaration(declaration, county.clerk, DeclarationStatus.ADJUSTED, points="2",
                               reason="按签到记录核减1分")
    meeting.submit_to_higher(review_round, county.secretary)
    filing = filing_service.file_round(review_round, county.reviewer, "同意备案")
    assert filing.outcome == FilingOutcome.FILED
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.PUBLICITY
    passes = list(review_round.filings.values_list("review_pass", "outcome"))
    assert passes == [(1, FilingOutcome.RETURNED), (2, FilingOutcome.FILED)]
    assert list(review_round.meetings.values_list("review_pass", flat=True)) == [1, 2]
    assert kinds_for(process.pk) == ["filing_report", "meeting_record", "meeting_record", "publicity_notice"]
    publicity = review_round.current_publicity()
    assert (publicity.start_on, publicity.days) == (today, 7)

    # An objection during the window, upheld by the branch.
    objection = objections.lodge_objection(declaration, objector_name="赵大伟", objector_contact="13800000000",
                                           reason="该同志当月只参加了一次巡查。")
    objection_process = objection.process
    assert kinds_for(objection_process.pk) == ["objection_receipt"]
    objections.answer_objection(objection, county.clerk, ObjectionOutcome.UPHELD, "核实后只参加一次，按1分计。",
                                corrected_points="1")
    assert kinds_for(objection_process.pk) == ["explanation", "objection_answer", "objection_receipt"]
    objections.file_explanation(objection, county.reviewer)
    objection_process.refresh_from_db()
    assert objection_process.status == STATUS.DONE

    # Nothing happens before the window closes.
    assert fire_timers()["timers"] == 0
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.PUBLICITY

    # Window over: the corrections are published again for the scheme's days.
    after_window = publicity.closes_at + datetime.timedelta(minutes=1)
    with at(after_window):
        fire_timers()
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.REPUBLICATION
    republication = review_round.current_publicity()
    assert republication.kind == PublicityKind.CORRECTIONS and republication.days == 7
    assert list(republication.declarations.all()) == [declaration]
    assert kinds_for(process.pk).count("publicity_notice") == 1
    assert kinds_for(process.pk).count("correction_notice") == 1
    assert not LedgerEntry.objects.exists()

    with at(republication.closes_at + datetime.timedelta(minutes=1)):
        fire_timers()
    review_round.refresh_from_db()
    process.refresh_from_db()
    assert review_round.status == RoundStatus.FINAL
    assert process.status == STATUS.DONE
    assert "summary_table" in kinds_for(process.pk)

    # The ledger: one entry per approved declaration, the objection as a correction entry.
    entries = list(LedgerEntry.objects.filter(member=declaration.member).order_by("seq"))
    assert [(e.kind, e.points) for e in entries] == [("posted", D("2.00")), ("correction", D("-1.00"))]
    assert entries[1].corrects_id == entries[0].pk
    assert balance(declaration.member, review_round.cycle_start) == D("1.00")
    assert balance(other.member, review_round.cycle_start) == D("2.00")

    # The member sees the full history of that score.
    actions = list(declarations.declaration_history(declaration).values_list("action", flat=True))
    for expected in ("declaration_created", "declaration_collected", "declaration_decided",
                     "objection_lodged", "objection_answered", "explanation_filed"):
        assert expected in actions
    decided = AuditEntry.objects.filter(declaration=declaration, action="declaration_decided").order_by("pk")
    assert [(e.before["status"], e.after["status"]) for e in decided] == [
        ("submitted", "approved"), ("approved", "adjusted")]
    assert decided[1].after["decided_points"] == "2.00"


@pytest.mark.django_db(transaction=True)
def test_window_closes_exactly_once_and_waits_for_unanswered_objections(county):
    declaration = declare(county)
    review_round = open_round(county)
    quorate_meeting(county, review_round)
    meeting.bulk_approve(review_round, county.clerk)
    meeting.submit_to_higher(review_round, county.secretary)
    filing_service.file_round(review_round, county.reviewer)
    publicity = review_round.current_publicity()
    objection = objections.lodge_objection(declaration, objector_name="钱某", objector_contact="139",
                                           reason="不实")

    later = publicity.closes_at + datetime.timedelta(hours=2)
    with at(later):
        first = fire_timers()
        second = fire_timers()
    assert first["timers"] == 1 and second["timers"] == 0
    publicity.refresh_from_db()
    assert publicity.closed_at is not None
    assert AuditEntry.objects.filter(action="publicity_closed").count() == 1
    review_round.refresh_from_db()
    # The window is closed but the round cannot finish while the objection is unanswered.
    assert review_round.status == RoundStatus.AWAITING_ANSWERS
    waiting = Task.objects.get(process_id=review_round.process.pk, flow_task=ReviewRoundFlow.objections_answered)
    assert waiting.status == STATUS.NEW
    # Objections are no longer accepted once the window has closed.
    with pytest.raises(ValidationError, match="不在公示期内"):
        objections.lodge_objection(declaration, objector_name="孙某", objector_contact="137", reason="不实")

    objections.answer_objection(objection, county.clerk, ObjectionOutcome.DISMISSED, "经核实，申报属实。")
    with at(later + datetime.timedelta(minutes=1)):
        result = fire_timers()
    assert result["conditions"] == 1
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.FINAL
    assert LedgerEntry.objects.filter(member=declaration.member).count() == 1
    assert Publicity.objects.filter(review_round=review_round).count() == 1
    with at(later + datetime.timedelta(minutes=2)):
        assert fire_timers() == {"timers": 0, "conditions": 0, "requeued": 0}
    assert LedgerEntry.objects.filter(member=declaration.member).count() == 1
