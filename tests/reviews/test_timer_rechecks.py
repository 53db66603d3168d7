"""The review chain's timers ask their own date again before firing: early, they wait; due, they fire."""
import datetime

from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from reviews.services import objections
from reviews.flows import ObjectionFlow, ReviewRoundFlow
from reviews.models import AuditEntry, RoundStatus
from tests.world import at, round_in_publicity, sweep_after
from workflow.tasks import fire_timers


def _fired_early(task):
    """The row says "due a minute ago" (edited, restored, or moved by hand): run the sweep now."""
    Task.objects.filter(pk=task.pk).update(scheduled=timezone.now() - datetime.timedelta(minutes=1))
    return fire_timers()


def test_publicity_window_called_early_waits_then_closes_after_its_last_day(county):
    review_round = round_in_publicity(county)
    publicity = review_round.current_publicity()
    timer = Task.objects.get(process_id=review_round.process.pk, flow_task=ReviewRoundFlow.publicity_window)

    assert _fired_early(timer)["timers"] == 0
    timer.refresh_from_db()
    publicity.refresh_from_db()
    review_round.refresh_from_db()
    assert timer.status == STATUS.SCHEDULED and timer.scheduled == publicity.closes_at
    assert publicity.closed_at is None and review_round.status == RoundStatus.PUBLICITY
    assert not AuditEntry.objects.filter(action="publicity_closed").exists()

    # On the last day of the window (23:59) it is still open; just after midnight it closes.
    assert sweep_after(timer, after=-datetime.timedelta(minutes=1))["timers"] == 0
    assert sweep_after(timer)["timers"] == 1
    publicity.refresh_from_db()
    review_round.refresh_from_db()
    assert publicity.closed_at is not None and review_round.status != RoundStatus.PUBLICITY


def test_objection_escalates_only_after_its_answer_date(county):
    review_round = round_in_publicity(county)
    declaration = review_round.declarations.first()
    objection = objections.lodge_objection(declaration, objector_name="赵大伟", objector_contact="138", reason="不实")
    boundary = Task.objects.get(process_id=objection.process.pk, flow_task=ObjectionFlow.answer__timeout)

    assert _fired_early(boundary)["timers"] == 0
    boundary.refresh_from_db()
    objection.refresh_from_db()
    assert boundary.status == STATUS.SCHEDULED and boundary.scheduled == objection.answer_deadline
    assert objection.escalated_at is None
    assert not Task.objects.filter(process_id=objection.process.pk, flow_task=ObjectionFlow.supervise_overdue).exists()

    # The answer date moves later (a holiday was added): the armed timer follows the domain.
    objection.due_on += datetime.timedelta(days=2)
    objection.save(update_fields=["due_on"])
    with at(boundary.scheduled + datetime.timedelta(minutes=1)):
        fire_timers()
    boundary.refresh_from_db()
    objection.refresh_from_db()
    assert objection.escalated_at is None and boundary.scheduled == objection.answer_deadline

    assert sweep_after(boundary)["timers"] >= 1
    objection.refresh_from_db()
    assert objection.escalated_at is not None
    supervise = Task.objects.get(process_id=objection.process.pk, flow_task=ObjectionFlow.supervise_overdue)
    assert supervise.status == STATUS.ASSIGNED and supervise.owner == county.reviewer  # the one reviewer above
