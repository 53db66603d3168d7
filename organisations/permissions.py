"""The one subtree permission rule, written once.

A user may act on an organisation when they hold one of the required roles on that
organisation or on one of its ancestors. Superusers may act everywhere. Code that
completes workflow tasks without HTTP calls the same functions, so a transition cannot
bypass the rule by being called from a shell or a Celery task.
"""
import contextlib
import contextvars

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from workdays.wording import join_list

from .models import Delegation, Organisation, Role, RoleKind

#: Roles that may manage a branch's own work (declarations, meetings, notices).
BRANCH_STAFF = (RoleKind.SECRETARY, RoleKind.COMMITTEE_MEMBER, RoleKind.CLERK)
#: Every role; used for read access.
ANY_ROLE = tuple(RoleKind.values)


def _kinds(kinds):
    """Accept one kind or an iterable of kinds; a bare string is one kind, not its letters."""
    if kinds is None:
        return None
    if isinstance(kinds, str):
        return (kinds,)
    return tuple(kinds)


def _active(user):
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "is_active", True)


def active_delegations(now=None):
    """Delegations in force at ``now`` (default: now): not revoked, started, not yet ended."""
    now = now or timezone.now()
    return Delegation.objects.filter(revoked_at__isnull=True, starts_at__lte=now, ends_at__gt=now)


_ROLES_CACHE = contextvars.ContextVar("jifen_roles_cache", default=None)


@contextlib.contextmanager
def roles_cached():
    """Within the block, each user's roles are read once, whatever the kinds asked for (a page checking the
    same rule for a thousand tasks asks the database once, not per task). Roles granted inside
    the block are not seen by it: use it around read-only checks."""
    token = _ROLES_CACHE.set({}) if _ROLES_CACHE.get() is None else None
    try:
        yield
    finally:
        if token is not None:
            _ROLES_CACHE.reset(token)


def _roles(user, kinds):
    """The user's own roles of ``kinds`` plus those delegated to them now (委派), as a list."""
    cache = _ROLES_CACHE.get()
    if cache is None:
        return _read_roles(user, kinds)
    # Every role read once (two queries), then narrowed to each set of kinds asked for.
    if user.pk not in cache:
        cache[user.pk] = _read_roles(user, None)
    kinds = _kinds(kinds)
    if kinds is None:
        return cache[user.pk]
    return [role for role in cache[user.pk] if role.kind in kinds]


def _read_roles(user, kinds):
    qs = Role.objects.filter(user=user, organisation__is_active=True).select_related("organisation")
    kinds = _kinds(kinds)
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    roles = list(qs)
    pairs = list(active_delegations().filter(deputy=user).values_list("principal_id", "organisation_id", "kind"))
    if pairs:
        query = Q()
        for principal, organisation, kind in pairs:
            if kinds is None or kind in kinds:
                query |= Q(user_id=principal, organisation_id=organisation, kind=kind)
        if query:
            roles += list(Role.objects.filter(query, organisation__is_active=True).select_related("organisation"))
    return roles


def organisations_for(user, kinds=None):
    """Organisations the user may act on with one of ``kinds`` (all roles when None)."""
    if not _active(user):
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    paths = {r.organisation.path for r in _roles(user, kinds)}
    if not paths:
        return Organisation.objects.none()
    query = Q()
    for p in paths:
        query |= Q(path__startswith=p)
    return Organisation.objects.filter(query)


def can_act_on(user, organisation, kinds=None):
    """True when ``user`` holds one of ``kinds`` on ``organisation`` or an ancestor."""
    if organisation is None or not organisation.path or not _active(user):
        return False
    if user.is_superuser:
        return True
    return any(organisation.path.startswith(r.organisation.path) for r in _roles(user, kinds))


def require(user, organisation, kinds=None):
    """Raise PermissionDenied with a message naming the organisation unless allowed."""
    if not can_act_on(user, organisation, kinds):
        wanted = join_list(str(RoleKind(k).label) for k in (_kinds(kinds) or ANY_ROLE))
        raise PermissionDenied(
            _("您在“%(org)s”没有所需角色（%(roles)s），不能执行此操作。")
            % {"org": organisation, "roles": wanted}
        )


def can_review(user, organisation):
    """Higher-level review (审查备案): a reviewer role on a *strict* ancestor of the organisation.

    A branch cannot file its own round: the role must sit above it.
    """
    if organisation is None or not organisation.path or not _active(user):
        return False
    if user.is_superuser:
        return True
    return any(
        organisation.path.startswith(r.organisation.path) and organisation.pk != r.organisation_id
        for r in _roles(user, (RoleKind.REVIEWER,))
    )


def role_holders(organisation, kinds, *, strictly_above=False):
    """Active users holding one of ``kinds`` on the nearest organisation that has any, as a queryset.

    Looks at ``organisation`` itself (unless ``strictly_above``), then up the tree; this is
    who is *responsible* for a step (whom to tell), not everyone allowed to do it. Empty when
    nobody holds the role anywhere above.
    """
    users = get_user_model().objects.filter(is_active=True)
    chain = list(reversed(organisation.ancestors())) if organisation else []
    if organisation is not None and not strictly_above:
        chain.insert(0, organisation)
    for org in chain:
        found = users.filter(org_roles__organisation=org, org_roles__kind__in=list(_kinds(kinds))).distinct()
        if found.exists():
            return found
    return users.none()


def reviewers_of(organisation):
    """The reviewers (审查人) of the nearest higher committee over ``organisation`` that has any."""
    return role_holders(organisation, (RoleKind.REVIEWER,), strictly_above=True)
