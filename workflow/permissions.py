"""Who sees and who does a process's steps, by the organisation tree (organisations.permissions).

Every flow of jifen subclasses ``TreeFlow``. Its pages are visible by the tree, not by
Django model permissions; it locks with ``select_for_update_lock``; and it is registered so
that the timer sweep (``workflow.tasks.fire_timers``) evaluates its conditions.

The predicates take ``(user, process)``; ``process.organisation`` is the organisation the
process belongs to (every Process model of jifen defines that property). Each also names who
is responsible, ``predicate.holders(process)`` (a user queryset), for announcing new tasks.
"""
from viewflow.workflow import flow, lock

from organisations.models import RoleKind
from organisations.permissions import (
    BRANCH_STAFF,
    can_act_on,
    can_review,
    organisations_for,
    reviewers_of,
    role_holders,
)

#: Who may open a process of a branch and report it upward (the branch secretary signs).
PROCESS_OWNERS = (RoleKind.SECRETARY,)

#: Every concrete TreeFlow subclass, in definition order (filled by ``__init_subclass__``).
_REGISTRY = []


def _holders(function):
    """Decorator: attach ``holders(process)`` to a predicate."""
    def wrap(predicate):
        predicate.holders = function
        return predicate
    return wrap


@_holders(lambda process: role_holders(process.organisation, PROCESS_OWNERS))
def branch_secretary(user, process):
    """The secretary of the process's organisation (or of an organisation above it)."""
    return can_act_on(user, process.organisation, PROCESS_OWNERS)


@_holders(lambda process: role_holders(process.organisation, BRANCH_STAFF))
def branch_staff(user, process):
    """Branch staff (secretary, committee member, clerk) of the process's organisation."""
    return can_act_on(user, process.organisation, BRANCH_STAFF)


@_holders(lambda process: reviewers_of(process.organisation))
def higher_reviewer(user, process):
    """A reviewer of the higher-level committee over the process's organisation."""
    return can_review(user, process.organisation)


class TreeFlow(flow.Flow):
    """Base of every jifen flow.

    viewflow's default ``has_view_permission`` asks for the ``view_process`` model permission,
    which no role in the tree holds. Here: superusers; without a process, anyone holding a
    role; for a process, anyone with a role on its organisation or above it (the subtree
    rule), including its higher-level reviewers.
    """

    lock_impl = lock.select_for_update_lock

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls not in _REGISTRY:
            _REGISTRY.append(cls)

    def has_view_permission(self, user, obj=None):
        if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
            return False
        if user.is_superuser:
            return True
        if obj is None:
            return organisations_for(user).exists()
        process = obj.coerced if hasattr(obj, "coerced") else obj
        organisation = getattr(process, "organisation", None)
        return organisation is not None and (can_act_on(user, organisation) or can_review(user, organisation))


def registered_flows():
    """Every TreeFlow subclass imported so far (each process app imports its flows in ``ready``)."""
    return list(_REGISTRY)
