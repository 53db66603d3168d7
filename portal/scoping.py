"""Which tasks and processes a user sees: the organisation-tree scoping of every task list.

Shared by the Site (``portal.site``) and the portal's task pages: ``scope_tasks`` narrows a
task queryset to the user's organisations; ``inbox_for`` / ``queue_for`` / ``archive_for`` are
one flow's 待办 / 待领取 / 已办; ``task_url`` is where a task is worked on.
"""
import logging

from django.db.models import ForeignKey, Q
from django.urls import reverse
from viewflow.workflow import STATUS

from organisations.models import Organisation
from organisations.permissions import active_delegations, organisations_for, roles_cached

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


def _scope_key(process_model):
    """The task lookup from ``Task`` to the organisation of a ``process_model`` (``…__in``), or None."""
    lookup = organisation_lookup(process_model)
    if lookup is None:
        return None
    # Task.process points at the base Process; the concrete process is a child table.
    child = process_model._meta.model_name
    if process_model._meta.proxy or process_model._meta.concrete_model._meta.model_name == "process":
        return f"process__{lookup}__in"
    return f"process__{child}__{lookup}__in"


def scope_tasks(queryset, user, process_model):
    """Tasks of processes whose organisation lies in the user's organisations."""
    if user.is_superuser:
        return queryset
    key = _scope_key(process_model)
    if key is None:
        return queryset.none()
    return queryset.filter(**{key: organisations_for(user)})


def _scope_flows(queryset, user, flow_classes):
    """Tasks of the ``flow_classes`` whose process lies in the user's organisations: :func:`scope_tasks`
    of every flow at once (one query over all flows, each flow's tasks by its own organisation rule)."""
    if user.is_superuser:
        return queryset.filter(process__flow_class__in=flow_classes)
    orgs = organisations_for(user)
    scoped = Q(pk__in=[])
    for flow_class in flow_classes:
        key = _scope_key(flow_class.process_class)
        if key is not None:
            scoped |= Q(process__flow_class=flow_class, **{key: orgs})
    return queryset.filter(scoped)


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


def with_processes(tasks):
    """``tasks`` (a list) with each ``task.process`` replaced by its concrete process, the rows its
    organisation rule reads (``organisation_lookup``) joined in: one query per flow, not one per task."""
    by_flow = {}
    for task in tasks:
        process_class = getattr(getattr(task.flow_task, "flow_class", None), "process_class", None)
        if process_class is not None:
            by_flow.setdefault(process_class, []).append(task)
    for process_class, flow_tasks in by_flow.items():
        lookup = organisation_lookup(process_class)
        queryset = process_class._default_manager.filter(pk__in={t.process_id for t in flow_tasks})
        if lookup:
            queryset = queryset.select_related(lookup)
        processes = queryset.in_bulk()
        for task in flow_tasks:
            if task.process_id in processes:
                task.process = processes[task.process_id]
    return tasks


def takeable(queryset, user):
    """Only the tasks whose node lets this user take them (RoleView.can_assign: the tree's rule).

    A constant number of queries whatever the number of tasks: the tasks, their concrete
    processes with the organisations (``with_processes``), the user's roles once (``roles_cached``).
    """
    return queryset.filter(pk__in=_takeable_ids(queryset, user))


def _takeable_ids(queryset, user):
    """The ids of :func:`takeable`'s tasks (a list)."""
    allowed = []
    with roles_cached():
        for task in with_processes(list(queryset.select_related("process"))):
            node = task.flow_task
            can_assign = getattr(node, "can_assign", None)
            try:
                ok = can_assign(user, task) if can_assign is not None else True
            except Exception:  # noqa: BLE001 - a node without the method or a broken process: not offered
                ok = False
            if ok:
                allowed.append(task.pk)
    return allowed


def _unclaimed(manager, user):
    """New human tasks of any flow nobody holds that viewflow offers the user (``user_queue``)."""
    return manager.all().user_queue(user).filter(status=STATUS.NEW)


def _held(manager, user):
    """Tasks of any flow held by the user, or by someone who delegated to the user now (委派)."""
    principals = list(active_delegations().filter(deputy=user).values_list("principal_id", flat=True))
    return manager.filter(owner__in=[user.pk, *principals], status__in=(STATUS.ASSIGNED, STATUS.STARTED))


def queue_for(flow_class, user):
    """Unassigned tasks of ``flow_class`` in the user's organisations that the user may take."""

    qs = _unclaimed(flow_class.task_class._default_manager, user).filter(process__flow_class=flow_class)
    return takeable(scope_tasks(qs, user, flow_class.process_class), user).order_by("-created")


def task_counts(user, flow_classes):
    """``(inbox, queue)``: how many tasks of the ``flow_classes`` :func:`inbox_for` and :func:`queue_for`
    list for the user, over all flows at once: one aggregate query for the inbox; the queue's tasks
    are read once and checked against each node's rule (:func:`takeable`), a constant number of
    queries whatever the number of tasks or flows."""
    manager = flow_classes[0].task_class._default_manager
    inbox = _scope_flows(_held(manager, user), user, flow_classes).count()
    queue = _scope_flows(_unclaimed(manager, user), user, flow_classes)
    return inbox, len(_takeable_ids(queue, user))


def inbox_for(flow_class, user):
    """Tasks of ``flow_class`` assigned to the user, or to someone who delegated to the user now (委派).

    viewflow's ``inbox()`` asks for model perms; this does not.
    """

    qs = _held(flow_class.task_class._default_manager, user).filter(process__flow_class=flow_class)
    return scope_tasks(qs, user, flow_class.process_class).order_by("-created")


def archive_for(flow_class, user):
    """Human tasks of ``flow_class`` the user completed."""
    manager = flow_class.task_class._default_manager
    return manager.all().user_archive(user, flow_class=flow_class).order_by("-finished")
