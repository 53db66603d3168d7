"""Celery tasks of the workflow.

``fire_timers`` runs from Celery beat every minute (settings.CELERY_BEAT_SCHEDULE). It is the
only thing that moves a process forward in time: publicity windows and objection answer
deadlines are viewflow *database* timers (``flow.Timer`` and ``.OnTimeout`` boundaries),
so a lost or duplicated broker message cannot lose or double a deadline.
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

from .nodes import QueuedHandle
from .permissions import registered_flows

logger = logging.getLogger(__name__)

#: A queued background step still NEW after this long is queued again by the sweep.
STALE_HANDLE_AFTER = datetime.timedelta(minutes=5)


def requeue_stale_handles(now=None):
    """Queue again every QueuedHandle task left NEW (its message lost or its run failed)."""
    now = now or timezone.now()
    count = 0
    for task in Task.objects.filter(status=STATUS.NEW, flow_task_type="FUNCTION", created__lt=now - STALE_HANDLE_AFTER):
        node = task.flow_task
        if isinstance(node, QueuedHandle):
            node.celery_task.delay(task.pk)
            count += 1
    return count


@shared_task(name="workflow.tasks.fire_timers")
def fire_timers():
    """Fire due workflow timers, then due conditions of every registered flow; requeue lost
    background steps. Returns ``{"timers": n, "conditions": n, "requeued": n}``."""
    timers = fire_due_timers()
    conditions = fire_due_conditions(flows=registered_flows())
    requeued = requeue_stale_handles()
    result = {"timers": timers, "conditions": conditions, "requeued": requeued}
    if timers or conditions or requeued:
        logger.info("fire_timers: %s", result)
    return result


@shared_task(name="workflow.tasks.run_queued_handle", acks_late=True)
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
