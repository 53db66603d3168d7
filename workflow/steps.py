"""Completing a flow's human task from a service, and the one flow-locking helper.

Services (``reviews.services``, ``appraisals.services``) check the organisation-tree
permission themselves and then complete the task here, under the flow lock they already
hold (``locked_process``). A task that is no longer open means someone else got there
first: that is a ``StepConflict``, which views show as a message rather than an error page.
"""
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.utils.translation import gettext as _
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from organisations.permissions import active_delegations

#: A human task in one of these states can still be completed.
ACTIVE_TASK = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


class StepConflict(ValidationError):
    """The step is not (or no longer) open: someone else completed it, or it comes later.

    Raised with ``code="step_closed"`` (the task is gone), ``code="busy"`` (the flow lock
    is held by another request) or ``code="task_claimed"`` (someone else holds the task).
    """


def active_task(process, node):
    """The open task of ``node`` in ``process``, newest first, or None."""
    return (
        Task.objects.filter(process_id=process.pk, flow_task=node, status__in=ACTIVE_TASK)
        .order_by("-pk")
        .first()
    )


def holds_for(task, user):
    """Whether ``user`` may act on ``task`` as its holder: nobody holds it, ``user`` does, or its
    holder delegated to ``user`` now (委派)."""
    if task.owner_id is None or task.owner_id == user.pk:
        return True
    return active_delegations().filter(principal_id=task.owner_id, deputy_id=user.pk).exists()


def check_holder(task, user):
    """Raise ``StepConflict(code="task_claimed")`` when someone other than ``user`` holds ``task``.

    A claim (领取, or the task given to its one responsible person) holds until its holder
    releases it (退回待领取) or hands it on (转交, recorded with a reason): nobody else completes
    it in the meantime, on the portal's screens or on viewflow's pages.
    """
    if task is not None and not holds_for(task, user):
        owner = task.owner
        name = (owner.get_full_name() or owner.get_username()) if owner is not None else ""
        raise StepConflict(
            _("该任务已由%(who)s领取，只能由其办理；需要时请其退回待领取或转交。") % {"who": name},
            code="task_claimed",
        )


def complete_human_task(process, node, user, conflict_message):
    """Complete the human task ``node`` of ``process`` as ``user`` (permission already checked).

    Assigns the task to ``user`` first when it waits in the queue (or to the deputy of a
    holder away on a delegation), so the history names who acted.

    Raises:
        StepConflict(code="step_closed"): ``node`` has no open task in ``process``.
        StepConflict(code="task_claimed"): another user holds the task (``check_holder``).
    """
    task = active_task(process, node)
    if task is None:
        raise StepConflict(conflict_message, code="step_closed")
    check_holder(task, user)
    activation = node.activation_class(task)
    if task.status == STATUS.NEW:
        activation.assign(user)
    elif task.status == STATUS.ASSIGNED and task.owner_id != user.pk:
        activation.reassign(user)
    if task.status == STATUS.ASSIGNED:
        activation.start(None)
    activation.execute()
    return task


@contextmanager
def locked_process(flow_class, subject, *, subject_field, select_related=(), missing_message, busy_message):
    """Hold ``flow_class``'s lock on the process of ``subject``; yield fresh ``(subject, process)``.

    ``subject`` is the domain row a process belongs to (a review round, an objection, an
    evaluation...); ``subject_field`` names the process's one-to-one column pointing at it
    (``"review_round_id"``). The subject is re-read ``select_for_update`` with
    ``select_related``, and the process refreshed, inside the lock.

    Raises:
        ValidationError(code="no_process"): the subject has no process (``missing_message``).
        StepConflict(code="busy"): another request holds the lock (``busy_message``), or, on
            SQLite, the database's write lock for longer than the connection's ``timeout``.
    """
    process_class = flow_class.process_class
    process = process_class.objects.filter(**{subject_field: subject.pk}).first()
    if process is None:
        raise ValidationError(missing_message, code="no_process")
    try:
        with flow_class.lock(process.pk):
            fresh = (
                type(subject)._default_manager.select_for_update(of=("self",))
                .select_related(*select_related)
                .get(pk=subject.pk)
            )
            process.refresh_from_db()
            yield fresh, process
    except FlowLockFailed:
        raise StepConflict(busy_message, code="busy") from None
    except OperationalError as exc:
        # SQLite: another request held the database's write lock past the connection's
        # timeout. The same answer as a held flow lock, not a 500 (issue 13, item 6).
        if "database is locked" not in str(exc):
            raise
        raise StepConflict(busy_message, code="busy") from None
