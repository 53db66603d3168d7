"""Who the logged-in user is in the tree: a member, branch staff, a higher reviewer."""
from members.models import Member
from organisations.models import Role, RoleKind
from organisations.permissions import BRANCH_STAFF, active_delegations, organisations_for


def member_of(user):
    """The ``members.Member`` linked to this login, or None."""
    if not getattr(user, "is_authenticated", False):
        return None

    return Member.objects.filter(user=user, is_active=True).select_related("organisation").first()


def has_any_role(user):
    if not getattr(user, "is_authenticated", False):
        return False
    return (user.is_superuser or Role.objects.filter(user=user, organisation__is_active=True).exists()
            or active_delegations().filter(deputy=user).exists())


def staff_organisations(user):
    """Organisations where the user may run branch work (secretary, committee member, clerk)."""
    return organisations_for(user, BRANCH_STAFF)


def reviewer_organisations(user):
    return organisations_for(user, (RoleKind.REVIEWER,))


def visible_organisations(user):
    """Every organisation the user may read (any role, whole subtree)."""
    return organisations_for(user)
