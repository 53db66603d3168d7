"""Completing a flow's human task from a service function, shared by every process.

Services (``reviews.services``, ``appraisals.services``) check the organisation-tree
permission themselves and then complete the task here, under the flow lock they already
hold. A task that is no longer open means someone else got there first: that is a
``StepConflict``, which views show as a message rather than an error page.
"""
from django.core.exceptions import ValidationError
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

#: A human task in one of these states can still be completed.
ACTIVE_TASK = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


class StepConflict(ValidationError):
    """The step is not (or no longer) open: someone else completed it, or it comes later."""


def active_task(process, node):
    """The open task of ``node`` in ``process``, newest first, or None."""
    return (
        Task.objects.filter(process_id=process.pk, flow_task=node, status__in=ACTIVE_TASK)
        .order_by("-pk")
        .first()
    )


def complete_human_task(process, node, user, conflict_message):
    """Complete the human task ``node`` of ``process`` as ``user`` (permission already checked).

    Assigns (or reassigns) the task to ``user`` first, so the history names who acted.
    """
    task = active_task(process, node)
    if task is None:
        raise StepConflict(conflict_message)
    activation = node.activation_class(task)
    if task.status == STATUS.NEW:
        activation.assign(user)
    elif task.status == STATUS.ASSIGNED and task.owner_id != user.pk:
        activation.reassign(user)
    if task.status == STATUS.ASSIGNED:
        activation.start(None)
    activation.execute()
    return task
