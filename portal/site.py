"""The viewflow frontend shell: one ``Site`` with every flow's inbox, queue and archive.

Four flow apps (``FlowAppViewset``) are registered: the review chain
(``reviews.flows.ReviewRoundFlow``, ``ObjectionFlow``) and the year-end evaluation
(``appraisals.flows.YearEndFlow``, ``DisposalFlow``). Their inbox, queue and archive are
narrowed to the processes of organisations the user holds a role on
(``organisations.permissions.organisations_for``): a task that viewflow would offer by
permission alone never shows up for another branch.
"""
import functools
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import ForeignKey, Q
from django.template.response import TemplateResponse
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from viewflow.middleware import SiteMiddleware
from viewflow.urls import Application, Site
from viewflow.workflow import STATUS, chart
from viewflow.workflow.fields import get_task_ref
from viewflow.workflow.flow import FlowAppViewset
from viewflow.workflow.flow import views as flow_views

from appraisals.flows import DisposalFlow, YearEndFlow
from organisations.models import Organisation
from organisations.permissions import organisations_for
from reviews.flows import ObjectionFlow, ReviewRoundFlow

log = logging.getLogger(__name__)


def organisation_lookup(model, depth=3, _prefix=""):
    """The ORM path from ``model`` to an ``Organisation`` (``round__organisation``), or None.

    Looks for a field named ``organisation`` first, then follows foreign keys and
    one-to-one links breadth-first, at most ``depth`` hops.
    """
    queue = [(model, _prefix, 0)]
    seen = set()
    while queue:
        current, prefix, level = queue.pop(0)
        if current in seen:
            continue
        seen.add(current)
        fks = [f for f in current._meta.get_fields() if isinstance(f, ForeignKey) and f.concrete]
        fks.sort(key=lambda f: (f.name != "organisation", f.name))
        for field in fks:
            if field.related_model is Organisation:
                return f"{prefix}{field.name}"
        if level + 1 < depth:
            for field in fks:
                if field.related_model is not None and field.related_model._meta.app_label not in (
                    "auth", "contenttypes", "viewflow", "workflow",
                ):
                    queue.append((field.related_model, f"{prefix}{field.name}__", level + 1))
    return None


def scope_tasks(queryset, user, process_model):
    """Tasks of processes whose organisation lies in the user's organisations."""
    if user.is_superuser:
        return queryset
    lookup = organisation_lookup(process_model)
    if lookup is None:
        return queryset.none()
    orgs = organisations_for(user)
    # Task.process points at the base Process; the concrete process is a child table.
    child = process_model._meta.model_name
    if process_model._meta.proxy or process_model._meta.concrete_model._meta.model_name == "process":
        key = f"process__{lookup}__in"
    else:
        key = f"process__{child}__{lookup}__in"
    return queryset.filter(**{key: orgs})


#: Human tasks that have a full screen outside viewflow:
#: (flow class name, node name) → (URL name, concrete process → object pk).
#: The year-end tasks are all done on the evaluation's page (``appraisals.views.evaluation_detail``),
#: where the step buttons call ``appraisals.services``, which complete the task.
PORTAL_SCREENS = {
    ("ReviewRoundFlow", "branch_meeting"): ("reviews:branch_meeting", lambda p: p.review_round_id),
    ("ReviewRoundFlow", "higher_review"): ("reviews:filing", lambda p: p.review_round_id),
    ("ObjectionFlow", "answer"): ("reviews:answer_objection", lambda p: p.objection_id),
    ("ObjectionFlow", "file_explanation"): ("reviews:objection_review", lambda p: p.objection_id),
    ("ObjectionFlow", "supervise_overdue"): ("reviews:objection_review", lambda p: p.objection_id),
    ("YearEndFlow", "appraisal"): ("appraisals:detail", lambda p: p.evaluation_id),
    ("YearEndFlow", "branch_proposal"): ("appraisals:detail", lambda p: p.evaluation_id),
    ("YearEndFlow", "higher_approval"): ("appraisals:detail", lambda p: p.evaluation_id),
    ("DisposalFlow", "branch_decision"): ("appraisals:detail", lambda p: p.disposition.evaluation_id),
    ("DisposalFlow", "higher_decision"): ("appraisals:detail", lambda p: p.disposition.evaluation_id),
    ("DisposalFlow", "rectification_review"): ("appraisals:detail", lambda p: p.disposition.evaluation_id),
}


def _screen_for(node):
    flow_class = getattr(node, "flow_class", None)
    return PORTAL_SCREENS.get((getattr(flow_class, "__name__", ""), getattr(node, "name", "")))


def task_url(task):
    """Where a task is worked on: the portal's screen for it when there is one, else viewflow's page."""

    node = task.flow_task
    screen = _screen_for(node)
    if screen is not None:
        process = task.process.coerced if hasattr(task.process, "coerced") else task.process
        try:
            return reverse(screen[0], args=[screen[1](process)])
        except Exception:  # noqa: BLE001 - a process of another shape: fall back to viewflow
            log.warning("no portal screen for task %s", task.pk, exc_info=True)
    try:
        return node.reverse("index", args=[task.process_id, task.pk])
    except Exception:  # noqa: BLE001 - the flow is not mounted here
        return ""


def takeable(queryset, user):
    """Only the tasks whose node lets this user take them (RoleView.can_assign: the tree's rule)."""
    allowed = []
    for task in queryset.select_related("process"):
        node = task.flow_task
        can_assign = getattr(node, "can_assign", None)
        try:
            ok = can_assign(user, task) if can_assign is not None else True
        except Exception:  # noqa: BLE001 - a node without the method or a broken process: not offered
            ok = False
        if ok:
            allowed.append(task.pk)
    return queryset.filter(pk__in=allowed)


def queue_for(flow_class, user):
    """Unassigned tasks of ``flow_class`` in the user's organisations that the user may take."""

    manager = flow_class.task_class._default_manager
    qs = manager.all().user_queue(user, flow_class=flow_class).filter(status=STATUS.NEW)
    return takeable(scope_tasks(qs, user, flow_class.process_class), user).order_by("-created")


def inbox_for(flow_class, user):
    """Tasks of ``flow_class`` assigned to the user (viewflow's ``inbox()`` asks for model perms; this does not)."""

    manager = flow_class.task_class._default_manager
    qs = manager.filter(process__flow_class=flow_class, owner=user, status=STATUS.ASSIGNED)
    return scope_tasks(qs, user, flow_class.process_class).order_by("-created")


def archive_for(flow_class, user):
    """Human tasks of ``flow_class`` the user completed."""
    manager = flow_class.task_class._default_manager
    return manager.all().user_archive(user, flow_class=flow_class).order_by("-finished")


class _ScopedMixin:
    columns = ("task_id", "task_title", "process_summary", "created")

    def task_id(self, task):
        # data-turbo="false": the portal's screens are full pages, not viewflow's Turbo frames.
        return format_html('<a href="{}" data-turbo="false">#{}/{}</a>', task_url(task), task.process_id, task.pk)

    task_id.short_description = _("编号")

    def get_queryset(self):
        qs = super().get_queryset()
        return scope_tasks(qs, self.request.user, self.flow_class.process_class)

    def process_summary(self, task):
        process = task.process.coerced if hasattr(task.process, "coerced") else task.process
        label = getattr(process, "brief", "") or str(process)
        try:
            url = self.request.resolver_match.flow_viewset.reverse("process_detail", args=[task.process_id])
        except Exception:  # noqa: BLE001 - listing must not fail on a link
            return label
        return format_html('<a href="{}">{}</a>', url, label)

    process_summary.short_description = _("审核事项")


class ScopedInboxView(_ScopedMixin, flow_views.FlowInboxListView):
    pass


class ScopedQueueView(_ScopedMixin, flow_views.FlowQueueListView):
    def get_queryset(self):
        return takeable(super().get_queryset(), self.request.user)


class ScopedArchiveView(_ScopedMixin, flow_views.FlowArchiveListView):
    columns = ("task_id", "task_title", "process_summary", "created", "finished")

    def task_title(self, obj):
        return obj.title

    task_title.short_description = _("任务")


class ScopedProcessListView(flow_views.DashboardProcessListView):
    def get_queryset(self):
        qs = super().get_queryset()
        user = self.request.user
        if user.is_superuser:
            return qs.order_by("-created")
        lookup = organisation_lookup(self.flow_class.process_class)
        if lookup is None:
            return qs.none()
        return qs.filter(**{f"{lookup}__in": organisations_for(user)}).order_by("-created")


class ScopedChartView(flow_views.FlowChartView):
    """The chart for anyone the flow lets see it; a process's chart only for those who may see that process."""

    def dispatch(self, request, *args, **kwargs):
        process_pk = kwargs.get("process_pk")
        if process_pk is not None:
            process = self.flow_class.process_class._default_manager.filter(pk=process_pk).first()
            if process is None or not self.flow_class.instance.has_view_permission(request.user, process):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ScopedTaskListView(flow_views.DashboardTaskListView):
    def get_queryset(self):
        return scope_tasks(super().get_queryset(), self.request.user, self.flow_class.process_class)


class ScopedDashboardView(flow_views.DashboardView):
    """viewflow's kanban, with tasks limited to the user's organisations (not Django model perms)."""

    def get_context_data(self, **kwargs):
        sorted_nodes, _unused = chart.topsort(self.flow_class)
        nodes = [n for n in sorted_nodes if n.task_type in ["HUMAN", "JOB", "SUBPROCESS"]]
        end_nodes = [n for n in sorted_nodes if n.task_type in ["END"]]
        manager = self.flow_class.task_class._default_manager
        tasks = scope_tasks(
            manager.filter(process__flow_class=self.flow_class).select_related("process"),
            self.request.user, self.flow_class.process_class,
        )
        columns = [
            {
                "node": node,
                "node_ref": get_task_ref(node),
                "tasks": tasks.filter(Q(finished__isnull=True) | Q(status=STATUS.ERROR), flow_task=node)[: self.MAX_ROWS],
            }
            for node in nodes
        ]
        finished = tasks.filter(finished__isnull=False, flow_task__in=end_nodes)[: self.MAX_ROWS]
        return super(flow_views.DashboardView, self).get_context_data(
            columns=columns, start_nodes=[], end_nodes=end_nodes, finished=finished, **kwargs
        )


class ScopedFlowApp(FlowAppViewset):
    """A flow's inbox/queue/archive for anyone holding a role in the tree, scoped to their subtree.

    Who may see the flow and a process at all is the flow's own ``has_view_permission``
    (``reviews.flows.TreeViewPermission``: the tree's roles, not Django model permissions).
    """

    inbox_view_class = ScopedInboxView
    queue_view_class = ScopedQueueView
    archive_view_class = ScopedArchiveView
    process_list_view_class = ScopedProcessListView
    task_list_view_class = ScopedTaskListView
    chart_view_class = ScopedChartView
    dashboard_view_class = ScopedDashboardView

    def get_context_data(self, request):
        return {
            "user_inbox": inbox_for(self._flow_class, request.user),
            "user_queue": queue_for(self._flow_class, request.user),
        }


class PortalApp(Application):
    """积分工作台: the project's own pages, listed in the viewflow drawer."""

    app_name = "workbench"
    title = _("积分工作台")
    icon = "home"
    menu_template_name = "portal/vf_app_menu.html"

    @property
    def index_path(self):
        return path("", RedirectView.as_view(pattern_name="home"), name="index")


#: Every flow of the project, in the order the task lists and the drawer show them.
FLOW_CLASSES = (ReviewRoundFlow, ObjectionFlow, YearEndFlow, DisposalFlow)
FLOW_ICONS = {
    "ReviewRoundFlow": "fact_check",
    "ObjectionFlow": "feedback",
    "YearEndFlow": "event_available",
    "DisposalFlow": "gavel",
}
#: The main flow: the nav's inbox/queue/archive point at it.
FLOW_CLASS = ReviewRoundFlow


def build_site():
    viewsets = [PortalApp()]
    for cls in FLOW_CLASSES:
        viewsets.append(ScopedFlowApp(cls, icon=FLOW_ICONS.get(cls.__name__, "assignment")))
    return Site(
        title=_("积分制管理"),
        viewsets=viewsets,
        primary_color="#a40000",
        secondary_color="#7a0000",
        menu_template_name="portal/vf_site_menu.html",
    )


site = build_site()


def _site_middleware_installed():
    return "viewflow.middleware.SiteMiddleware" in settings.MIDDLEWARE


def _with_site(view):
    """Apply viewflow's SiteMiddleware to one view when settings do not install it."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if _site_middleware_installed():
            return view(request, *args, **kwargs)
        middleware = SiteMiddleware(lambda r: None)
        middleware.process_view(request, view, args, kwargs)
        response = view(request, *args, **kwargs)
        if isinstance(response, TemplateResponse) and not response.is_rendered:
            response = middleware.process_template_response(request, response)
        return response

    return wrapped


def _wrap_patterns(patterns):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            _wrap_patterns(entry.url_patterns)
        elif isinstance(entry, URLPattern) and not getattr(entry.callback, "_jifen_site", False):
            entry.callback = _with_site(entry.callback)
            entry.callback._jifen_site = True


def site_urls():
    """``site.urls`` with viewflow's site middleware applied per view."""
    urls = site.urls
    _wrap_patterns(urls[0])
    return urls


def flow_url(name, *args, flow_class=None):
    """Reverse a flow app URL (``inbox``, ``queue``, ``archive``, ...) or None without the flow."""
    flow_class = flow_class or FLOW_CLASS
    if flow_class is None:
        return None
    try:
        return flow_class.instance.reverse(name, args=args)
    except Exception:  # noqa: BLE001 - the flow may not be mounted (e.g. in a bare test urlconf)
        return None
