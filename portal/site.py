"""The viewflow frontend shell: one ``Site`` with every flow's pages, in the portal's look.

Four flow apps (``FlowAppViewset``) are registered: the review chain
(``reviews.flows.ReviewRoundFlow``, ``ObjectionFlow``) and the year-end evaluation
(``appraisals.flows.YearEndFlow``, ``DisposalFlow``). Their index, process list, process page
and chart are the portal's views (``portal.views.flows``); their inbox, queue and archive lead
to the portal's task page; the task pages viewflow draws use the templates under
``templates/viewflow/workflow/``. Every list is narrowed to the processes of organisations the
user holds a role on (``portal.scoping``): a task that viewflow would offer by permission alone
never shows up for another branch.
"""
import functools

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from viewflow.middleware import SiteMiddleware
from viewflow.urls import Application, Site
from viewflow.workflow.flow import FlowAppViewset
from viewflow.workflow.flow import views as flow_views

from appraisals.flows import DisposalFlow, YearEndFlow
from reviews.flows import ObjectionFlow, ReviewRoundFlow
from workflow import assignment

from .scoping import (  # noqa: F401  (re-exported: the Site's lists and the portal's task pages share them)
    PORTAL_SCREENS,
    archive_for,
    inbox_for,
    organisation_lookup,
    queue_for,
    scope_tasks,
    takeable,
    task_url,
)
from .views import flows as flow_pages


class _ScopedBulkMixin(LoginRequiredMixin):
    """viewflow's bulk claim/release pages list ``Task.objects.all()`` (all flows, every branch) when
    ``select_all=1`` is posted; here they list only the tasks the portal's own lists show the user."""

    flow_class = None

    def scoped_tasks(self):
        raise NotImplementedError

    def get_queryset(self):
        queryset = self.scoped_tasks().select_related("process", "owner")
        pks = self.request.POST.getlist("pk")
        if not self.request.POST.get("select_all") and pks:
            queryset = queryset.filter(pk__in=[pk for pk in pks if str(pk).isdigit()])
        self.object_list = queryset
        return queryset


    act = None

    def form_valid(self, form):
        """Each task through ``workflow.assignment`` (checked and recorded as on the portal), all or none."""
        with transaction.atomic():
            for task in self.get_queryset():
                type(self).act(task, self.request.user)
        self.message_user()
        return HttpResponseRedirect(self.get_success_url())


class ScopedBulkAssignView(_ScopedBulkMixin, flow_views.BulkAssignTasksActionView):
    """领取所选任务: only tasks of this flow in the user's 待领取 (``queue_for``)."""

    act = assignment.claim

    def scoped_tasks(self):
        return queue_for(self.flow_class, self.request.user)


class ScopedBulkUnassignView(_ScopedBulkMixin, flow_views.BulkUnassignTasksActionView):
    """退回所选任务: only tasks of this flow the user holds (``inbox_for``, the user's own)."""

    act = assignment.release

    def scoped_tasks(self):
        return inbox_for(self.flow_class, self.request.user).filter(owner=self.request.user)


class ScopedFlowApp(FlowAppViewset):
    """A flow's inbox/queue/archive for anyone holding a role in the tree, scoped to their subtree.

    Who may see the flow and a process at all is the flow's own ``has_view_permission``
    (``reviews.flows.TreeViewPermission``: the tree's roles, not Django model permissions).
    """

    # The portal's own pages (portal.views.flows), in the portal's look.
    inbox_view_class = flow_pages.InboxRedirect
    queue_view_class = flow_pages.QueueRedirect
    archive_view_class = flow_pages.ArchiveRedirect
    process_list_view_class = flow_pages.FlowIndexView
    task_list_view_class = flow_pages.FlowIndexView
    chart_view_class = flow_pages.FlowChartView
    dashboard_view_class = flow_pages.FlowIndexView
    process_detail_view_class = flow_pages.ProcessDetailView
    # viewflow's bulk claim/release confirmation pages, scoped like the lists above.
    tasks_assign_view_class = ScopedBulkAssignView
    tasks_unassign_view_class = ScopedBulkUnassignView

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
