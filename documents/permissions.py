"""Who may see a generated document.

Built on the one subtree rule in ``organisations.permissions``: a user with any role on the
issuing organisation or one of its ancestors may view its documents (the branch's own staff
and the higher committees above it). The user who triggered a document may always fetch
it, and so may the member a document is addressed to (``GeneratedDocument.member``: a
result notice, a registration card…) through that member's own user account.
"""
from organisations.permissions import ANY_ROLE, BRANCH_STAFF, can_act_on

from . import services
from .models import DocumentStatus, GeneratedDocument


def can_view(user, document):
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if user.is_superuser:
        return True
    if document.triggered_by_id is not None and document.triggered_by_id == user.pk:
        return True
    if document.member_id is not None and getattr(document.member, "user_id", None) == user.pk:
        return True
    return can_act_on(user, document.organisation, ANY_ROLE)


def can_view_bulk(user, job):
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if user.is_superuser or (job.triggered_by_id is not None and job.triggered_by_id == user.pk):
        return True
    return can_act_on(user, job.organisation, ANY_ROLE)


def can_regenerate(user, document):
    """Issuing a new version is the issuing organisation's staff's work (secretary, committee, clerk)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return user.is_superuser or can_act_on(user, document.organisation, BRANCH_STAFF)


def mark_retryable(documents, user):
    """Set ``may_retry`` on each document: failed (or pending long after its worker should have
    finished), the latest version of its subject, and the user may retry it."""
    for d in documents:
        d.may_retry = (
            (d.status == DocumentStatus.FAILED or services.is_stale(d))
            and can_regenerate(user, d)
            and not GeneratedDocument.objects.filter(
                kind=d.kind, organisation=d.organisation_id, subject_key=d.subject_key, version__gt=d.version
            ).exists()
        )
    return documents
