"""Celery tasks of the workflow.

``fire_timers`` runs from Celery beat every minute (settings.CELERY_BEAT_SCHEDULE). It is the
only thing that moves a process forward in time: publicity windows and objection answer
deadlines are viewflow *database* timers (``flow.Timer`` and the ``.OnTimeout`` boundary on
the answer task), so a lost or duplicated broker message cannot lose or double a deadline.
The same sweep evaluates the "every objection answered" condition and re-queues background
steps (``QueuedHandle``) whose message was lost.
"""
import datetime
import logging

from celery import shared_task
from django.utils import timezone
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS
from viewflow.workflow.timers import fire_due_conditions, fire_due_timers

logger = logging.getLogger(__name__)

#: A queued background step still NEW after this long is queued again by the sweep.
STALE_HANDLE_AFTER = datetime.timedelta(minutes=5)


def requeue_stale_handles(now=None):
    """Queue again every QueuedHandle task left NEW (its message lost or its run failed)."""
    from .nodes import QueuedHandle

    now = now or timezone.now()
    count = 0
    for task in Task.objects.filter(status=STATUS.NEW, flow_task_type="FUNCTION", created__lt=now - STALE_HANDLE_AFTER):
        node = task.flow_task
        if isinstance(node, QueuedHandle):
            node.celery_task.delay(task.pk)
            count += 1
    return count


def overdue_objection_sweep():
    """Objection answer deadlines are ``.OnTimeout`` database timers on the answer task; they
    fire in ``fire_due_timers``. This reports what is overdue and still unanswered, for the log."""
    from reviews.services import overdue_objections

    return overdue_objections().count()


@shared_task(name="flows.tasks.fire_timers")
def fire_timers():
    """Fire due workflow timers, then due conditions; requeue lost background steps."""
    from .flows import ObjectionFlow, ReviewRoundFlow

    timers = fire_due_timers()
    conditions = fire_due_conditions(flows=[ReviewRoundFlow, ObjectionFlow])
    requeued = requeue_stale_handles()
    overdue = overdue_objection_sweep()
    result = {"timers": timers, "conditions": conditions, "requeued": requeued, "overdue_unanswered": overdue}
    if timers or conditions or requeued:
        logger.info("fire_timers: %s", result)
    return result


@shared_task(name="flows.tasks.run_queued_handle", acks_late=True)
def run_queued_handle(task_pk):
    """Complete one QueuedHandle task; a second delivery of the same message does nothing."""
    task = Task.objects.filter(pk=task_pk).first()
    if task is None or task.status != STATUS.NEW:
        return "skipped"
    try:
        task.flow_task.run(task)
    except TransitionNotAllowed:
        return "skipped"
    except FlowLockFailed:
        logger.info("Queued handle %s is locked; the beat sweep will retry it", task_pk)
        return "locked"
    return "done"
