"""撤回 and 催办 as flow operations, domain-free.

``take_back``: the sender of a step withdraws it before the next person acts — the open task
of ``open_node`` is cancelled, the completed task of ``back_node`` that led to it is undone and
revived, and the revived task goes back to the one who withdrew. ``urge``: a nudge on an open
task, recorded, and announced after commit (``workflow.signals.task_urged``; the notice itself is
the notifications app's). Both write a ``TaskEvent``.
The caller holds the flow lock (``workflow.steps.locked_process``) and checks who may do it.
"""
from django.db import transaction
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from . import history
from .models import EventKind
from .signals import task_urged
from .steps import StepConflict, active_task


def take_back(process, open_node, back_node, user, reason):
    """Withdraw ``process`` from ``open_node`` to ``back_node``; returns the revived task (owned by ``user``).

    Raises StepConflict(code="already_acted") when ``open_node``'s task was started or is gone.
    """
    task = active_task(process, open_node)
    if task is None or task.status not in (STATUS.NEW, STATUS.ASSIGNED):
        raise StepConflict(_("对方已开始办理，不能撤回。"), code="already_acted")
    open_node.activation_class(task).cancel()
    done = (Task.objects.filter(process_id=process.pk, flow_task=back_node, status=STATUS.DONE)
            .order_by("-finished", "-pk").first())
    if done is None:
        raise StepConflict(_("没有可以撤回的上一步。"), code="already_acted")
    activation = back_node.activation_class(done)
    activation.undo()
    revived = activation.revive()
    revived.owner = user
    revived.status = STATUS.ASSIGNED
    revived.save(update_fields=["owner", "status"])
    history.record(EventKind.WITHDRAWN, process, task=revived, actor=user, reason=reason)
    return revived


def urge(task, user, reason=""):
    """催办: record a nudge on an open task. Raises StepConflict(code="step_closed") on a closed one."""
    if task.status not in (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED):
        raise StepConflict(_("该任务已办结，无需催办。"), code="step_closed")
    event = history.record(EventKind.URGED, task.process, task=task, actor=user, target=task.owner, reason=reason)
    process = task.process
    transaction.on_commit(lambda: task_urged.send(sender=task.flow_task.flow_class, task=task, process=process,
                                                  by=user, reason=reason), robust=True)
    return event
