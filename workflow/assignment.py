"""Who a human task goes to, and the acts that move it between people.

* ``responsible(node, process)``: the users responsible for a ``RoleView`` task — those of
  the nearest organisation (the process's own, then up the tree) where anyone holding a
  role passes the node's predicate. A principal away on a delegation (委派) is replaced by
  the deputy.
* ``RoleView.calc_owner`` assigns a new task to that person when there is exactly one.
* ``claim`` (领取, one click), ``release`` (退回待领取) and ``reassign`` (转交, with a reason,
  to someone else the predicate allows) change the owner and write a ``TaskEvent``.

Domain-free: the organisation tree (``organisations``) is the only thing it reads.
"""
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from organisations.models import Role
from organisations.permissions import active_delegations

from . import history
from .models import EventKind

#: A task in one of these states may still be claimed, released or transferred.
OPEN = (STATUS.NEW, STATUS.ASSIGNED)


def _candidates(organisation):
    """Users holding any role on ``organisation``, grouped by the nearest organisation first."""
    User = get_user_model()
    chain = [organisation, *reversed(organisation.ancestors())]
    for org in chain:
        ids = set(Role.objects.filter(organisation=org, user__is_active=True).values_list("user_id", flat=True))
        if ids:
            yield list(User.objects.filter(pk__in=ids).order_by("pk"))


def _away(users):
    """``{principal_id: deputy}`` for the users who delegated a role to someone now."""
    rows = active_delegations().filter(principal__in=users).select_related("deputy")
    return {d.principal_id: d.deputy for d in rows}


def responsible(node, process):
    """The users a ``RoleView`` task of ``process`` is for (see the module docstring); may be empty."""
    process = history.concrete(process)
    organisation = getattr(process, "organisation", None)
    if organisation is None or not hasattr(node, "user_allowed"):
        return []
    for group in _candidates(organisation):
        allowed = [u for u in group if node.user_allowed(u, process)]
        if allowed:
            away = _away(allowed)
            people = []
            for user in allowed:
                chosen = away.get(user.pk, user)
                if chosen not in people:
                    people.append(chosen)
            return people
    return []


def single_owner(node, activation):
    """The one responsible user of a new task, or None (then it waits to be claimed)."""
    people = responsible(node, activation.process)
    return people[0] if len(people) == 1 else None


def eligible(node, process, exclude=None):
    """Everyone the node's predicate allows among the role holders of the process's organisation tree.

    The choices of a transfer (转交): within the organisation (and above it), holding the role.
    """
    process = history.concrete(process)
    organisation = process.organisation
    ids = Role.objects.filter(organisation__in=[organisation, *organisation.ancestors()], user__is_active=True)
    users = get_user_model().objects.filter(pk__in=ids.values("user_id")).order_by("first_name", "username")
    return [u for u in users if u != exclude and node.user_allowed(u, process)]


def _activation(task):
    return task.flow_task.activation_class(task)


def _check_open(task):
    if task.status not in OPEN:
        raise ValidationError(_("该任务已办理或已撤销，不能再操作。"), code="task_closed")


def claim(task, user):
    """领取: the user takes an unassigned task they may do. Returns the task.

    Raises PermissionDenied (the node's predicate refuses the user) or ValidationError
    (``task_closed``, ``task_taken`` when someone else has it).
    """
    with transaction.atomic():
        task = type(task)._default_manager.select_for_update().get(pk=task.pk)
        _check_open(task)
        if task.owner_id == user.pk:
            return task
        if task.owner_id is not None:
            raise ValidationError(_("该任务已由%(who)s领取。") % {"who": history.person(task.owner)}, code="task_taken")
        if not task.flow_task.can_assign(user, task):
            raise PermissionDenied(_("您不能办理这项任务。"))
        _activation(task).assign(user)
        history.record(EventKind.CLAIMED, task.process, task=task, actor=user, target=user)
    return task


def release(task, user, reason=""):
    """退回待领取: the owner gives a task back to the shared queue. Raises PermissionDenied or ValidationError."""
    with transaction.atomic():
        task = type(task)._default_manager.select_for_update().get(pk=task.pk)
        _check_open(task)
        if task.owner_id != user.pk and not user.is_superuser:
            raise PermissionDenied(_("只有任务的办理人可以退回。"))
        if task.status == STATUS.ASSIGNED:
            _activation(task).unassign()
        history.record(EventKind.RELEASED, task.process, task=task, actor=user, reason=reason)
    return task


def reassign(task, user, to, reason):
    """转交: the owner (or anyone who may do the task, for an unassigned one) hands it to ``to``.

    ``to`` must be allowed by the node's predicate; ``reason`` is required.
    Raises PermissionDenied or ValidationError on ``to`` (``target_not_allowed``, ``same_person``)
    or ``reason`` (``reason_required``), or ``task_closed``.
    """
    if not (reason or "").strip():
        raise ValidationError({"reason": ValidationError(_("请写明转交理由。"), code="reason_required")})
    with transaction.atomic():
        task = type(task)._default_manager.select_for_update().get(pk=task.pk)
        _check_open(task)
        node = task.flow_task
        mine = task.owner_id == user.pk
        if not (mine or user.is_superuser or (task.owner_id is None and node.user_allowed(user, task.process))):
            raise PermissionDenied(_("只有任务的办理人可以转交。"))
        if to is None or to.pk == task.owner_id:
            raise ValidationError({"to": ValidationError(_("请选择另一位办理人。"), code="same_person")})
        if not node.user_allowed(to, task.process):
            raise ValidationError({"to": ValidationError(
                _("%(who)s没有办理这项任务的角色。") % {"who": history.person(to)}, code="target_not_allowed")})
        previous = task.owner
        if task.status == STATUS.NEW:
            task.owner = to
            task.status = STATUS.ASSIGNED
            task.save(update_fields=["owner", "status"])
        else:
            _activation(task).reassign(to)
        event = history.record(EventKind.REASSIGNED, task.process, task=task, actor=user, target=to, reason=reason)
        event.previous_owner = previous
    return task
