"""抄送: the higher committee is copied on filings (备案) and year-end results.

Listens to the audit trail (``reviews.AuditEntry``, connected in ``PortalConfig.ready``): when a
round is filed or an evaluation's results are approved or published, every reviewer of the
committees above the acting one receives a copy (``TaskEvent`` of kind ``copied``), which shows
in their task page under 抄送我的, in the process history and in the audit trail.
"""
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_noop as _

from organisations.models import Role, RoleKind
from reviews.audit import AuditAction
from workflow import history
from workflow.models import EventKind

#: The note of each copy, stored as its msgid and translated where it is shown (``workflow.history``,
#: 抄送我的), so a copy reads in the reader's language whoever's action sent it.
COPIED_ACTIONS = {
    AuditAction.ROUND_FILED: _("上级已审查备案"),
    AuditAction.RESULTS_APPROVED: _("年终评定结果已经上级同意"),
    AuditAction.RESULTS_PUBLISHED: _("年终评定结果已公布"),
}


def _process_of(entry):
    if entry.review_round_id:
        return getattr(entry.review_round, "process", None)
    return getattr(entry.target, "process", None)


def recipients(organisation, actor=None):
    """The reviewers of the nearest committee above ``organisation`` that has reviewers, the acting
    reviewer's own committee skipped (its higher committee is copied instead)."""
    User = get_user_model()
    for org in reversed(organisation.ancestors()):
        ids = set(Role.objects.filter(organisation=org, kind=RoleKind.REVIEWER).values_list("user_id", flat=True))
        if actor is not None and actor.pk in ids:
            continue
        users = list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))
        if users:
            return users
    return []


def copy_to_higher(sender, instance, created, **kwargs):
    """``post_save`` receiver on AuditEntry: copy filings and results to the committee above."""
    if not created or instance.action not in COPIED_ACTIONS or instance.organisation_id is None:
        return
    process = _process_of(instance)
    if process is None:
        return
    note = COPIED_ACTIONS[instance.action]
    for user in recipients(instance.organisation, instance.actor):
        history.record(EventKind.COPIED, process, actor=instance.actor, target=user, reason=note)
