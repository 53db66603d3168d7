"""Timers that ask the domain again before they fire, and moving a timer when its date moves.

A viewflow database timer stores its due moment once, when it is armed. The domain's own
date can move afterwards (a calendar import adds a holiday to an objection's seven working
days) or the row can be wrong (edited by hand, restored from an old backup). ``DueTimer`` and
``DueTimerBoundary`` (what ``RoleView.OnTimeout`` builds) therefore call their delay callable
again when the sweep finds them due: if the domain's moment is still in the future, the task
is rescheduled to it and nothing else happens; the process moves on only once the domain
agrees. A delay given as a plain ``timedelta`` has no domain date and is not re-checked.

``reschedule(process, node, when)`` moves the armed timer(s) of ``node`` in ``process``;
the apps call it when they change a date a timer waits for.
"""
import datetime
import logging

from django.utils import timezone
from viewflow.workflow.activation import Activation
from viewflow.workflow.flow import nodes as flow_nodes
from viewflow.workflow.nodes.boundary import TimerBoundaryActivation
from viewflow.workflow.nodes.timer import TimerActivation
from viewflow.workflow.status import STATUS

logger = logging.getLogger(__name__)


def _domain_moment(activation):
    """The due moment the flow's delay callable gives now, or None when it has no domain date."""
    delay = activation.flow_task._delay
    if not callable(delay):
        return None
    moment = delay(activation)
    return moment if isinstance(moment, datetime.datetime) else None


def due_now(activation):
    """Transition condition of ``start``: True when the domain's moment has come.

    When it has not, the task is rescheduled to that moment (the sweep then leaves it alone
    until it is due again) and False is returned; nothing else changes.
    """
    moment = _domain_moment(activation)
    if moment is None or moment <= timezone.now():
        return True
    task = activation.task
    if task.scheduled != moment:
        logger.info("Timer task %s was due at %s but its domain date says %s: rescheduled",
                    task.pk, task.scheduled, moment)
        type(task)._default_manager.filter(pk=task.pk).update(scheduled=moment)
        task.scheduled = moment
    return False


class DueTimerActivation(TimerActivation):
    @Activation.status.transition(source=STATUS.SCHEDULED, target=STATUS.STARTED, conditions=[due_now])
    def start(self):
        """Claim the due timer, once the domain's own date says it is due."""
        super().start.original()


class DueTimerBoundaryActivation(TimerBoundaryActivation):
    @Activation.status.transition(source=STATUS.SCHEDULED, target=STATUS.STARTED, conditions=[due_now])
    def start(self):
        """Claim the due boundary timer, once the domain's own date says it is due."""
        super().start.original()


class DueTimer(flow_nodes.Timer):
    """``flow.Timer(callable)`` whose callable is asked again before the timer fires."""

    activation_class = DueTimerActivation


class DueTimerBoundary(flow_nodes.TimerBoundary):
    """The boundary timer of ``RoleView.OnTimeout``; re-checks its callable like ``DueTimer``."""

    activation_class = DueTimerBoundaryActivation


def reschedule(process, node, when):
    """Move every armed (SCHEDULED) timer task of ``node`` in ``process`` to ``when``; returns the count.

    ``when`` is an aware datetime. A timer that already fired is left alone; a moment in the
    past makes the timer due at the next sweep (where the domain is asked again).
    """
    return node.flow_class.task_class._default_manager.filter(
        process_id=process.pk, flow_task=node, status=STATUS.SCHEDULED,
    ).update(scheduled=when)
