"""The main navigation, computed per user (shared by base.html and the viewflow drawer)."""
from django.urls import reverse
from django.utils.translation import gettext as _

from market.views.common import villages_for
from members import roles
from notifications.services import unread_count
from organisations.models import RoleKind
from organisations.permissions import BRANCH_STAFF, organisations_for

from .scoping import task_counts
from .site import FLOW_CLASSES, inbox_for, queue_for


#: The roles of the party's review chain (not a village's grid workers and cashiers).
PARTY_ROLES = BRANCH_STAFF + (RoleKind.REVIEWER,)


def user_tasks(user):
    """``(inbox, queue)`` task lists over every flow, scoped to the user's organisations."""
    inbox, queue = [], []
    for flow_class in FLOW_CLASSES:
        inbox.extend(inbox_for(flow_class, user).select_related("process"))
        queue.extend(queue_for(flow_class, user).select_related("process"))
    inbox.sort(key=lambda t: t.created, reverse=True)
    queue.sort(key=lambda t: t.created, reverse=True)
    return inbox, queue


def _task_counts(request):
    """``(inbox, queue)`` counts for the menu, computed once per request (the menu is drawn by
    several templates): one aggregate query over every flow for the inbox; the queue's tasks are
    checked against the tree's rule with a constant number of queries (``portal.scoping.task_counts``)."""
    cached = getattr(request, "_jifen_task_counts", None)
    if cached is None:
        cached = request._jifen_task_counts = task_counts(request.user, FLOW_CLASSES)
    return cached


class RoleFlags:
    """What the user's roles open, each asked at most once per request (the menu and the home
    page both ask): ``party`` (the review chain), ``market`` (a village's supermarket),
    ``cashier``, ``grid`` (a grid worker), ``branch`` (branch staff: the clerks' recording page)."""

    QUERIES = {
        "party": lambda user: organisations_for(user, PARTY_ROLES).exists(),
        "market": lambda user: villages_for(user).exists(),
        "cashier": None,  # asked only when ``market`` holds: a cashier's role is on a village
        "grid": lambda user: organisations_for(user, (RoleKind.GRID_WORKER,)).exists(),
        "branch": lambda user: organisations_for(user, BRANCH_STAFF).exists(),
    }

    def __init__(self, user):
        self.user, self.known = user, {}

    def __getitem__(self, name):
        if name not in self.known:
            if name == "cashier":
                self.known[name] = self["market"] and villages_for(self.user, (RoleKind.CASHIER,)).exists()
            else:
                self.known[name] = self.QUERIES[name](self.user)
        return self.known[name]


def role_flags(request):
    """The request's :class:`RoleFlags`."""
    flags = getattr(request, "_jifen_role_flags", None)
    if flags is None:
        flags = request._jifen_role_flags = RoleFlags(request.user)
    return flags


def nav_items(request):
    user = request.user
    if not user.is_authenticated:
        return []
    items = [{"key": "home", "label": _("工作台"), "url": reverse("home")}]
    member = roles.member_of(user)
    if member is not None:
        items.append({"key": "my_points", "label": _("我的积分"), "url": reverse("reviews:my_points")})
        items.append({"key": "my_declarations", "label": _("我的申报"), "url": reverse("reviews:my_declarations")})
        items.append({"key": "my_results", "label": _("我的年终评定"), "url": reverse("appraisals:mine")})
    staff = roles.has_any_role(user)
    if staff:
        inbox_count, queue_count = _task_counts(request)
        tasks = reverse("portal:tasks")
        for key, label, count in (
            ("inbox", _("我的待办"), inbox_count),
            ("queue", _("待领取"), queue_count),
            ("archive", _("已办"), None),
        ):
            items.append({"key": key, "label": label, "url": f"{tasks}?tab={key}", "count": count})
        # the review chain's pages mean nothing to a grid worker or a cashier (households, not members)
        flags = role_flags(request)
        party_staff = flags["party"]
        if party_staff:
            items.append({"key": "rounds", "label": _("审核批次"), "url": reverse("reviews:rounds")})
            items.append({"key": "appraisals", "label": _("年终评定"), "url": reverse("appraisals:list")})
            items.append({"key": "roster", "label": _("党员名册"), "url": reverse("members:index")})
        items.append({"key": "dashboard", "label": _("统计"), "url": reverse("portal:dashboard")})
        if flags["market"]:
            items.append({"key": "market", "label": _("积分超市"), "url": reverse("market:index")})
        if flags["branch"]:
            items.append({"key": "record_points", "label": _("专人记分"), "url": reverse("reviews:record")})
        if flags["grid"]:
            items.append({"key": "record", "label": _("网格员记分"), "url": reverse("market:record")})
        if party_staff:
            items.append({"key": "delegations", "label": _("委派"), "url": reverse("portal:delegations")})
    items.append({"key": "notifications", "label": _("通知"), "url": reverse("notifications:list"),
                  "count": unread_count(user)})
    items.append({"key": "downloads", "label": _("下载"), "url": reverse("portal:downloads")})
    items.append({"key": "public", "label": _("公示栏"), "url": reverse("public_index")})
    path = request.get_full_path()
    best = None
    for item in items:
        url = item["url"]
        if path == url or (url != "/" and "?" not in url and path.startswith(url)):
            if best is None or len(url) > len(best["url"]):
                best = item
    if best is None and request.path == reverse("portal:tasks"):
        best = next((i for i in items if i["key"] == "inbox"), None)  # /tasks/ without ?tab=
    for item in items:
        item["current"] = item is best
    return items
