"""The simulated clock: time moves by setting it forward, never by waiting.

Everything in jifen reads the time through ``django.utils.timezone.now`` (dates through
``workdays.clock.local_today``, viewflow's timers through ``timezone.now``), so the walk sets
that one function to a chosen moment — the way the tests make time pass — and moves it
forward step by step: to the day after a review period to hold its meeting, past a publicity
window's close to let its timer fire.

The timers, conditions and background steps fired here are only those of the processes the
walk started (:class:`Clock` keeps their ids): a simulation run on a live database never moves
anyone else's deadline, even inside its own, rolled-back, transaction.
"""
import datetime
from unittest import mock

from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from workdays.clock import SHANGHAI
from workflow.nodes import QueuedHandle
from workflow.tasks import run_queued_handle

#: The hour of the day the simulated staff act (Asia/Shanghai).
OFFICE_HOUR = datetime.time(10, 0)


class Clock:
    """A settable ``timezone.now`` and the sweep of the walk's own processes.

    Use as a context manager; :meth:`set_day` and :meth:`advance_to` only ever move forward.
    """

    def __init__(self, day):
        self.now = datetime.datetime.combine(day, OFFICE_HOUR, tzinfo=SHANGHAI)
        self.processes = set()
        self._patch = None

    def __enter__(self):
        self._patch = mock.patch("django.utils.timezone.now", side_effect=lambda: self.now)
        self._patch.start()
        return self

    def __exit__(self, *exc):
        self._patch.stop()
        return False

    @property
    def today(self):
        """The simulated date in Asia/Shanghai."""
        return self.now.astimezone(SHANGHAI).date()

    def set_day(self, day):
        """Move to ``day`` at office hours (never backwards: an earlier day leaves the clock where it is)."""
        moment = datetime.datetime.combine(day, OFFICE_HOUR, tzinfo=SHANGHAI)
        if moment > self.now:
            self.now = moment

    def advance_to(self, moment):
        """Move to the aware datetime ``moment`` (never backwards)."""
        if moment > self.now:
            self.now = moment

    def watch(self, process):
        """Count ``process`` (a viewflow Process) among the walk's own."""
        self.processes.add(process.pk)

    def sweep(self):
        """What Celery beat and the worker would do now, for the walk's processes only.

        Fires due timers and conditions (``workflow.tasks.fire_timers``' work) and runs queued
        background steps (``workflow.tasks.run_queued_handle``: their Celery message is only
        sent on commit, which a rolled-back walk never reaches). Repeats until nothing moves;
        returns how many nodes were run. Errors are raised, never logged away.
        """
        moved = 0
        while True:
            step = self._fire("TIMER", STATUS.SCHEDULED, due=True) + self._fire("CONDITION", STATUS.NEW)
            for task in Task.objects.filter(process_id__in=self.processes, flow_task_type="FUNCTION",
                                            status=STATUS.NEW).order_by("pk"):
                if isinstance(task.flow_task, QueuedHandle):
                    run_queued_handle(task.pk)
                    step += 1
            if not step:
                return moved
            moved += step

    def _fire(self, task_type, status, due=False):
        tasks = Task.objects.filter(process_id__in=self.processes, flow_task_type=task_type, status=status)
        if due:
            tasks = tasks.filter(scheduled__lte=self.now)
        fired = 0
        for task in tasks.order_by("scheduled", "pk"):
            with task.activation() as activation:
                start = activation.start
                if not start.can_proceed():
                    continue
                if task_type == "CONDITION" and not activation.condition_met():
                    continue
                activation.start()
                activation.execute()
                fired += 1
        return fired

