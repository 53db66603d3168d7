"""The Site's pages of each flow, drawn in the portal's own look (viewflow's Material pages are not used).

Mounted by ``portal.site.ScopedFlowApp`` in place of viewflow's list, dashboard, detail and chart
views. The per-flow 待办/待领取/已办 lists are the portal's task page filtered to the flow; the
task pages (detail, assign, unassign, cancel, undo, revive) are viewflow's views with the
templates under ``templates/viewflow/workflow/``. Every list is narrowed to the user's
organisations (``portal.site.scope_tasks``, ``organisations_for``).
"""
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from viewflow.workflow import chart
from viewflow.workflow.status import PROCESS, STATUS

from organisations.permissions import organisations_for
from workdays.wording import join_list
from workflow import history

from ..scoping import organisation_lookup, task_url
from ..taskview import may_open, process_actions, subject_link

#: One line per flow: its steps, for the flow's index page.
FLOW_DESCRIPTIONS = {
    "reviewround": _lazy("支部会议审核 → 上级审查备案 → 公示 → 异议处理 → 记入台账。"),
    "objection": _lazy("受理异议 → 支部7个工作日内答复 → 情况说明报上级备案；逾期未答复由上级督办。"),
    "yearend": _lazy("民主评议 → 计算结果 → 支部提出等次 → 上级审批 → 公示 → 结果运用。"),
    "disposal": _lazy("支部决定并请示 → 上级党组织批复 → 限期改正的，整改期满记录结果。"),
}


def process_status(process):
    return {PROCESS.NEW: _("进行中"), PROCESS.DONE: _("已完成"), PROCESS.CANCELED: _("已撤销")}.get(
        process.status, process.status)


def scoped_processes(flow_class, user):
    """The flow's processes whose organisation lies in the user's organisations, newest first."""
    qs = flow_class.process_class._default_manager.filter(flow_class=flow_class)
    if not user.is_superuser:
        lookup = organisation_lookup(flow_class.process_class)
        if lookup is None:
            return qs.none()
        qs = qs.filter(**{f"{lookup}__in": organisations_for(user)})
    return qs.order_by("-created")


def _current_steps(process):
    # an armed timer (SCHEDULED) waits for its date: it is no step anyone is at, and not yet overdue
    open_tasks = process.task_set.filter(status__in=(STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED))
    return join_list(str(t.flow_task.task_title or t.flow_task) for t in open_tasks)


class FlowIndexView(View):
    """一个流程的全部事项: what is open and where it stands, what is finished."""

    flow_class = None
    viewset = None

    def get(self, request, *args, **kwargs):
        flow_class = self.flow_class
        if not flow_class.instance.has_view_permission(request.user):
            raise PermissionDenied(_("您没有查看该流程的权限。"))
        done = request.GET.get("status") == "done"
        processes = scoped_processes(flow_class, request.user)
        processes = processes.exclude(status=PROCESS.NEW) if done else processes.filter(status=PROCESS.NEW)
        rows = []
        for process in processes[:200]:
            concrete = history.concrete(process)
            rows.append({
                "brief": getattr(concrete, "brief", "") or str(concrete),
                "url": flow_class.instance.reverse("process_detail", args=[process.pk]),
                "steps": _current_steps(process),
                "status": process_status(process),
                "created": process.created,
                "finished": process.finished,
            })
        return render(request, "portal/flow/index.html", {
            "flow_class": flow_class, "title": flow_class.process_title,
            "description": FLOW_DESCRIPTIONS.get(flow_class.instance.flow_label, ""),
            "rows": rows, "done": done,
            "chart_url": flow_class.instance.reverse("chart"),
        })


class FlowTasksRedirect(View):
    """The flow's 待办/待领取/已办 are the portal's task page, filtered to this flow."""

    flow_class = None
    viewset = None
    tab = "inbox"

    def get(self, request, *args, **kwargs):
        return redirect(f"{reverse('portal:tasks')}?tab={self.tab}&flow={self.flow_class.instance.flow_label}")


class InboxRedirect(FlowTasksRedirect):
    tab = "inbox"


class QueueRedirect(FlowTasksRedirect):
    tab = "queue"


class ArchiveRedirect(FlowTasksRedirect):
    tab = "archive"


class ProcessDetailView(View):
    """一个事项: its subject, its history (steps and acts on them) and what the user may do now."""

    flow_class = None
    viewset = None

    def get(self, request, process_pk, *args, **kwargs):
        flow_class = self.flow_class
        process = get_object_or_404(flow_class.process_class, pk=process_pk, flow_class=flow_class)
        if not flow_class.instance.has_view_permission(request.user, process):
            raise PermissionDenied(_("您没有查看该事项的权限。"))
        concrete = history.concrete(process)
        rows = history.process_history(process)
        for row in rows:
            task = row.get("task")
            # a step's screen is linked only for those its rule lets in (a clerk is not sent to the reviewer's)
            row["url"] = task_url(task) if row["kind"] == "task" and row["human"] and may_open(task, request.user) else ""
        return render(request, "portal/flow/process_detail.html", {
            "flow_class": flow_class, "process": process, "status": process_status(process),
            "brief": getattr(concrete, "brief", "") or str(concrete),
            "subject": subject_link(concrete), "history": rows,
            "actions": process_actions(process, request.user),
            "index_url": flow_class.instance.reverse("index"),
            "chart_url": flow_class.instance.reverse("process_chart", args=[process.pk]),
        })


def _node_kind(node):
    return {
        "HUMAN": _("人工办理"), "START": _("开始"), "END": _("结束"), "FUNCTION": _("系统处理"),
        "JOB": _("后台处理"), "TIMER": _("等待期限"), "EXCLUSIVE_GATEWAY": _("判断"),
        "CONDITION": _("等待条件"),
    }.get(getattr(node, "task_type", ""), _("系统处理"))


class FlowChartView(View):
    """流程图: the flow's steps in order; for one process, which are done, open or not reached."""

    flow_class = None
    viewset = None

    def get(self, request, process_pk=None, *args, **kwargs):
        flow_class = self.flow_class
        process = None
        if process_pk is not None:
            process = flow_class.process_class._default_manager.filter(pk=process_pk).first()
            if process is None or not flow_class.instance.has_view_permission(request.user, process):
                raise PermissionDenied(_("您没有查看该事项的权限。"))
        elif not flow_class.instance.has_view_permission(request.user):
            raise PermissionDenied(_("您没有查看该流程的权限。"))
        nodes, _edges = chart.topsort(flow_class)
        states = {}
        if process is not None:
            for task in process.task_set.all():
                states[task.flow_task] = task.status
        steps = []
        for node in nodes:
            status = states.get(node)
            if status is None:
                state, state_label = "pending", (_("未到达") if process is not None else "")
            elif status in (STATUS.DONE, STATUS.CANCELED, STATUS.REVIVED):
                state, state_label = "done", history.status_label(status)
            else:
                state, state_label = "current", history.status_label(status)
            nexts = [str(edge.dst.task_title or edge.dst) for edge in node._outgoing()]
            steps.append({
                "title": str(node.task_title or node), "kind": _node_kind(node),
                "description": str(getattr(node, "task_description", "") or ""),
                "state": state, "state_label": state_label, "next": join_list(dict.fromkeys(nexts)),
            })
        return render(request, "portal/flow/chart.html", {
            "flow_class": flow_class, "process": process, "steps": steps,
            "brief": (getattr(history.concrete(process), "brief", "") or str(history.concrete(process))) if process else "",
            "index_url": flow_class.instance.reverse("index"),
            "process_url": flow_class.instance.reverse("process_detail", args=[process.pk]) if process else "",
        })
