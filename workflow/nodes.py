"""Two small node types on top of viewflow's own.

``RoleView``: a human task offered by the organisation tree (organisations.permissions),
not by Django model permissions; its ``OnTimeout`` boundary re-checks the domain's date
before firing (``workflow.timers``), and each new task of it is announced with
``workflow.signals.task_offered`` unless the node says ``.Quiet()``. ``QueuedHandle``: a ``flow.Handle`` whose work is done by
a Celery task queued with ``transaction.on_commit`` when the node is reached, so the work
runs only once the step that led to it has committed.
"""
from django.db import transaction
from django.utils.module_loading import import_string
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.nodes.handle import HandleActivation
from viewflow.workflow.nodes.view import ViewActivation

from . import assignment, views
from .signals import task_offered
from .timers import DueTimerBoundary


class RoleViewActivation(ViewActivation):
    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        """viewflow's ``create``; a task assigned on creation (one responsible person) is announced here,
        as viewflow does not ``activate`` an assigned task."""
        activation = super().create(flow_task, prev_activation, token, data=data, seed=seed)
        if activation.task.owner_id is not None:
            activation.announce()
        return activation

    @Activation.status.super()
    def activate(self):
        """Arm the task as viewflow does, then announce it after the commit."""
        super().activate.original()
        self.announce()

    def announce(self):
        if self.flow_task._announce:
            task, process = self.task, self.process
            transaction.on_commit(
                lambda: task_offered.send(sender=self.flow_task.flow_class, task=task, process=process),
                robust=True,
            )


class RoleView(flow.View):
    """A View task offered to users for whom ``predicate(user, process)`` holds."""

    activation_class = RoleViewActivation
    # viewflow's claim/release pages go through workflow.assignment, as the portal's buttons do.
    assign_view_class = views.ClaimTaskView
    unassign_view_class = views.ReleaseTaskView

    def __init__(self, view, **kwargs):
        super().__init__(view, **kwargs)
        self._allowed = None
        self._announce = True

    def Allowed(self, predicate):
        self._allowed = predicate
        return self

    def Quiet(self):
        """Do not announce new tasks of this node (the domain sends its own, fuller notice)."""
        self._announce = False
        return self

    @property
    def predicate(self):
        """The ``(user, process)`` predicate given to ``Allowed``."""
        return self._allowed

    def OnTimeout(self, delay, then, interrupting=True, title=None):
        """viewflow's ``OnTimeout``, with a boundary that re-checks ``delay`` before it fires."""
        boundary = DueTimerBoundary(None, delay=delay, interrupting=interrupting).Next(then)
        if title is not None:
            boundary.Annotation(title=title)
        self._boundary_specs.append(("timeout", boundary))
        return self

    def user_allowed(self, user, process):
        if user is None or not getattr(user, "is_authenticated", False):
            return False
        return bool(self._allowed and self._allowed(user, process.coerced))

    def can_assign(self, user, task):
        return task.owner_id is None and self.user_allowed(user, task.process)

    def can_execute(self, user, task):
        return task.owner_id == getattr(user, "pk", None) and self.user_allowed(user, task.process)

    def can_unassign(self, user, task):
        """Only the holder (or a superuser) gives a task back, as ``assignment.release`` says."""
        if task.owner_id is None or user is None or not getattr(user, "is_authenticated", False):
            return False
        return task.owner_id == user.pk or user.is_superuser

    def calc_owner(self, activation):
        """A new task goes straight to its one responsible person (``workflow.assignment``);
        with several it waits to be claimed."""
        return assignment.single_owner(self, activation)


class QueuedHandleActivation(HandleActivation):
    @Activation.status.super()
    def activate(self):
        """Queue the Celery task that completes this node, after the commit."""
        celery_task = self.flow_task.celery_task
        task_pk = self.task.pk
        if self.flow_task._on_queue is not None:
            self.flow_task._on_queue(self)
        transaction.on_commit(lambda: celery_task.delay(task_pk), robust=True)


class QueuedHandle(flow.Handle):
    """``flow.Handle`` completed in the background by ``celery_task(task_pk)``."""

    activation_class = QueuedHandleActivation

    def __init__(self, func, celery_task_path="workflow.tasks.run_queued_handle", on_queue=None, **kwargs):
        super().__init__(func, **kwargs)
        self._celery_task_path = celery_task_path
        self._on_queue = on_queue

    def _resolve(self, instance):
        super()._resolve(instance)
        self._on_queue = this.resolve(instance, self._on_queue)

    @property
    def celery_task(self):
        return import_string(self._celery_task_path)
