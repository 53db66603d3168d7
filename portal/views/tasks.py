"""待办 / 待领取 / 抄送我的 / 已办 across every flow, limited to the user's organisations.

待办 is what the user can act on now: tasks assigned to them (a task with a single responsible
person is assigned on creation, ``workflow.assignment``), claimed or transferred to them, and
those of someone who delegated to them (委派). 待领取 are the shared tasks they may claim in one
click. 抄送我的 are the filings and results copied to them (``portal.cc``). ``?flow=`` narrows
the page to one flow (the Site's per-flow 待办/待领取/已办 lead here).
"""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from members import roles
from organisations.permissions import roles_cached
from reviews.deadlines import panel_for
from workflow import history
from workflow.models import EventKind, TaskEvent

from ..scoping import archive_for, inbox_for, queue_for, task_url, with_processes
from ..site import FLOW_CLASSES
from ..taskview import task_actions

TABS = ("inbox", "queue", "cc", "archive")


def task_rows(source, user, flow_classes=FLOW_CLASSES, archive=False, limit=200):
    """One row per task of ``source(flow_class, user)``: title, what it is about, where, when, actions."""
    with roles_cached():  # the same roles checked for every row: read once
        return _task_rows(source, user, flow_classes, archive, limit)


def _task_rows(source, user, flow_classes, archive, limit):
    rows = []
    for flow_class in flow_classes:
        tasks = with_processes(list(source(flow_class, user).select_related("process", "owner")[:limit]))
        for task in tasks:
            process = history.concrete(task.process)
            rows.append({
                "task": task,
                "flow": flow_class.process_title,
                "title": task.flow_task.task_title or str(task.flow_task),
                "brief": getattr(process, "brief", "") or str(process),
                "url": task_url(task),
                "process_url": flow_class.instance.reverse("process_detail", args=[task.process_id]),
                "when": task.finished if archive else task.created,
                "owner": history.person(task.owner),
                "for_other": task.owner_id not in (None, user.pk),
                "actions": [] if archive else task_actions(task, user),
            })
    rows.sort(key=lambda r: r["when"] or r["task"].created, reverse=True)
    return rows


def copied_rows(user, flow_classes=FLOW_CLASSES, limit=200):
    """The copies (抄送) sent to the user, newest first."""
    labels = {cls.instance.flow_label: cls for cls in flow_classes}
    rows = []
    events = TaskEvent.objects.filter(kind=EventKind.COPIED, target=user).select_related("actor", "process")
    for event in events.order_by("-at", "-pk")[:limit]:
        flow_class = event.process.flow_class
        if flow_class.instance.flow_label not in labels:
            continue
        process = history.concrete(event.process)
        rows.append({
            "title": history.event_note(event), "flow": flow_class.process_title,
            "brief": getattr(process, "brief", "") or str(process),
            "url": flow_class.instance.reverse("process_detail", args=[event.process_id]),
            "when": event.at, "owner": history.person(event.actor), "actions": [],
        })
    return rows


@login_required
def tasks(request):
    if not roles.has_any_role(request.user):
        raise PermissionDenied(_("任务列表只对担任书记、支委、专人记分员、审查人或网格员的用户开放。"))
    tab = request.GET.get("tab", "inbox")
    if tab not in TABS:
        tab = "inbox"
    flow = request.GET.get("flow", "")
    flow_classes = [c for c in FLOW_CLASSES if c.instance.flow_label == flow] or list(FLOW_CLASSES)
    if tab == "cc":
        rows = copied_rows(request.user, flow_classes)
    else:
        source = {"inbox": inbox_for, "queue": queue_for, "archive": archive_for}[tab]
        rows = task_rows(source, request.user, flow_classes, archive=tab == "archive")
    chosen = flow_classes[0] if len(flow_classes) == 1 else None
    return render(request, "portal/tasks.html", {
        "tab": tab,
        "rows": rows,
        "flow": chosen.instance.flow_label if chosen else "",
        "flow_title": chosen.process_title if chosen else "",
        "tabs": [("inbox", _("我的待办")), ("queue", _("待领取")), ("cc", _("抄送我的")), ("archive", _("已办"))],
        "flow_links": [(cls.process_title, cls.instance.reverse("index")) for cls in FLOW_CLASSES],
        "deadlines": panel_for(request.user, roles.visible_organisations(request.user)),
    })
