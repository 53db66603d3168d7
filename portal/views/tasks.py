"""待办 / 待领取 / 已办 across every flow, limited to the user's organisations.

viewflow's own per-flow inbox, queue and archive stay available under /workflow/; this page
lists the tasks of all flows together and links each to the screen where it is done.
"""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from members import roles
from reviews.deadlines import panel_for

from ..site import FLOW_CLASSES, archive_for, flow_url, inbox_for, queue_for, task_url

TABS = ("inbox", "queue", "archive")


@login_required
def tasks(request):
    if not roles.has_any_role(request.user):
        raise PermissionDenied(_("任务列表只对担任书记、支委、专人记分员、审查人或网格员的用户开放。"))
    tab = request.GET.get("tab", "inbox")
    if tab not in TABS:
        tab = "inbox"
    source = {"inbox": inbox_for, "queue": queue_for, "archive": archive_for}[tab]
    rows = []
    for flow_class in FLOW_CLASSES:
        for task in source(flow_class, request.user).select_related("process")[:200]:
            process = task.process.coerced if hasattr(task.process, "coerced") else task.process
            rows.append({
                "task": task,
                "flow": flow_class.process_title,
                "title": task.flow_task.task_title or str(task.flow_task),
                "brief": getattr(process, "brief", "") or str(process),
                "url": task_url(task),
                "when": task.finished if tab == "archive" else task.created,
            })
    rows.sort(key=lambda r: r["when"] or r["task"].created, reverse=True)
    return render(request, "portal/tasks.html", {
        "tab": tab,
        "rows": rows,
        "tabs": [("inbox", _("待办")), ("queue", _("待领取")), ("archive", _("已办"))],
        "flow_links": [(cls.process_title, flow_url(tab, flow_class=cls)) for cls in FLOW_CLASSES],
        "deadlines": panel_for(request.user, roles.visible_organisations(request.user)),
    })
