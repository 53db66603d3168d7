"""Who may see who objected (异议人).

The member objected against may learn that an objection was lodged, how it was answered and
the corrected value, never who objected, how to reach them or what they wrote. Only the staff
who answer it (the branch's secretary, committee members and clerks) and the higher committee
that reviews it see the objector, and not when they are themselves the member objected against.

``may_see_objector(user, declaration)`` is the rule; ``history_for(declaration, user)`` is the
declaration's audit trail as that user may read it (the 操作记录 of the declaration page and of
我的积分); ``objection_watchers(declaration, users)`` drops the member from a notice's recipients.
"""
import copy

from django.utils.translation import gettext as _

from organisations.permissions import BRANCH_STAFF, can_act_on, can_review

from .audit import AuditAction

#: Values of an audit entry that would say who objected or what they wrote.
OBJECTOR_KEYS = ("reason", "objector_name", "objector_contact")


def objected_member(record):
    """The member a declaration is about, or an objection is against (its declaration's member, or
    the ``member`` of an objection to another record such as a year-end result)."""
    return getattr(record, "objected_member", None) or record.member


def is_objected_member(user, record):
    """Whether ``user`` is the member ``record`` (a declaration or an objection) is about."""
    member = objected_member(record)
    return user is not None and getattr(user, "pk", None) is not None and member.user_id == user.pk


def may_see_objector(user, declaration):
    """Branch staff of the declaration's organisation and its reviewers, unless it is their own declaration."""
    if user is None or not getattr(user, "is_authenticated", False) or is_objected_member(user, declaration):
        return False
    organisation = declaration.organisation
    return user.is_superuser or can_act_on(user, organisation, BRANCH_STAFF) or can_review(user, organisation)


def masked(entry):
    """A copy of an ``OBJECTION_LODGED`` audit entry without the objector: "异议人" as the actor (unless
    staff recorded it on paper) and no reason. Other entries are returned as they are."""
    if entry.action != AuditAction.OBJECTION_LODGED:
        return entry
    shown = copy.copy(entry)
    if shown.actor_id is None:
        shown.actor_label = _("异议人")
    shown.before = {k: v for k, v in (entry.before or {}).items() if k not in OBJECTOR_KEYS}
    shown.after = {k: v for k, v in (entry.after or {}).items() if k not in OBJECTOR_KEYS}
    shown.object_repr = ""
    return shown


def history_for(declaration, user, entries=None):
    """The declaration's audit entries (oldest first) as ``user`` may read them."""
    if entries is None:
        entries = declaration.audit_entries.select_related("actor").order_by("at", "pk")
    if may_see_objector(user, declaration):
        return list(entries)
    return [masked(e) for e in entries]


def objection_watchers(record, users):
    """``users`` without the member objected against (a notice naming the objector is not for them);
    ``record``: the declaration or the objection."""
    member_user = objected_member(record).user_id
    return [u for u in users if u.pk != member_user]
