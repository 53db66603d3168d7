"""Writing and reading a process's history: viewflow's tasks plus the acts of ``TaskEvent``.

``record(kind, process, ...)`` writes one ``TaskEvent`` and sends ``task_event`` (in the same
transaction, so a receiver that fails rolls the act back); the domain's audit trail listens
(``reviews.apps``). ``process_history(process)`` merges the tasks and the events, oldest first,
for the process page.
"""
import json

from django.dispatch import Signal
from django.utils import translation
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from workdays.wording import join_clauses

from .models import EventKind, TaskEvent

#: Sent after a TaskEvent is written. Sender: the flow class; kwargs ``event``, ``process``
#: (the concrete process; ``process.organisation`` is its organisation).
task_event = Signal()


def concrete(process):
    return process.coerced if hasattr(process, "coerced") else process


def msgid(label):
    """A (lazy) label as its msgid, the Chinese source text: the form a clause param is stored in, so that
    :func:`event_note` words it in the reader's language."""
    with translation.override(None):
        return str(label)


def record(kind, process, *, task=None, actor=None, target=None, reason="", clauses=None):
    """Write a ``TaskEvent`` of ``kind`` (an ``EventKind``) and announce it; returns the event.

    ``reason``: what a person typed. ``clauses`` (for the kinds in :data:`WORDED`): the note as
    ``[(msgid, params), ...]``, kept untranslated and worded in the reader's language by
    :func:`event_note` (each string param is translated too: a label's msgid reads in English).
    """
    process = concrete(process)
    if clauses is not None:
        reason = json.dumps([[msgid, params] for msgid, params in clauses], ensure_ascii=False, default=str)
    event = TaskEvent.objects.create(
        process_id=process.pk, task=task, kind=EventKind(kind).value, actor=actor, target=target,
        reason=(reason or "").strip(),
    )
    task_event.send(sender=process.flow_class, event=event, process=process)
    return event


#: Node types that only choose the next step (If, Switch, splits and joins): not listed as steps.
GATES = ("EXCLUSIVE_GATEWAY", "SWITCH", "PARALLEL_GATEWAY", "JOIN")


def person(user):
    """A user as people read them: full name, else the login name; "" for None."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def status_label(status):
    """How a task state reads in the history (viewflow's own labels are English)."""
    return {
        STATUS.NEW: _("待领取"), STATUS.ASSIGNED: _("待办理"), STATUS.STARTED: _("办理中"),
        STATUS.DONE: _("已完成"), STATUS.CANCELED: _("已撤销"), STATUS.ERROR: _("出错"),
        STATUS.REVIVED: _("已重新开始"), STATUS.SCHEDULED: _("等待中"),
    }.get(status, status)


def process_history(process):
    """The process's steps and acts, oldest first: ``[{"when", "title", "who", "state", "note", "kind"}]``.

    A step row is a viewflow task (its node's title, its owner, its state) other than a gate
    (:data:`GATES`: "是否备案" is the flow's decision, not a step); an act row is a ``TaskEvent``
    (claim, transfer with its reason, copy, withdrawal, nudge, a meeting recorded, decisions, a correction).
    """
    rows = []
    for task in process.task_set.select_related("owner").order_by("created", "pk"):
        node = task.flow_task
        if getattr(node, "task_type", "") in GATES:  # a decision of the flow, not a step anyone takes
            continue
        title = getattr(node, "task_title", "") or str(node)
        rows.append({
            "when": task.created, "finished": task.finished, "title": title, "who": person(task.owner),
            "state": status_label(task.status), "status": task.status, "note": "", "kind": "task",
            "task": task, "human": getattr(node, "task_type", "") == "HUMAN",
        })
    for event in TaskEvent.objects.filter(process_id=process.pk).select_related("actor", "target", "task"):
        rows.append({
            "when": event.at, "finished": None, "title": event.get_kind_display(),
            "who": person(event.actor), "target": person(event.target), "state": "", "status": "",
            "note": event_note(event), "kind": event.kind, "task": event.task, "human": False,
        })
    rows.sort(key=lambda r: (r["when"], 0 if r["kind"] == "task" else 1))
    return rows


#: Kinds whose note the system words (``record(..., clauses=...)``), in the reader's language.
WORDED = (EventKind.RECORDED, EventKind.DECIDED, EventKind.CORRECTED)


def _worded(reason):
    try:
        clauses = json.loads(reason)
    except ValueError:
        return None
    if not isinstance(clauses, list):
        return None
    texts = []
    for msgid, params in clauses:
        params = {k: _(v) if isinstance(v, str) and v else v for k, v in params.items()}
        texts.append(_(msgid) % params)
    return join_clauses(texts)


def event_note(event):
    """An event's note as the reader reads it: a copy's (抄送) note is stored as its msgid and
    translated here; the system's own notes (:data:`WORDED`) are worded here; any other note is
    what a person typed."""
    if event.kind == EventKind.COPIED and event.reason:
        return _(event.reason)
    if event.kind in WORDED and event.reason.startswith("["):
        worded = _worded(event.reason)
        if worded is not None:
            return worded
    return event.reason
