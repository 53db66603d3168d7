"""What several stages of the review chain share: the workflow locks, the round's status change
and the audited field lists."""
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.models import RoleKind
from workflow.steps import locked_process

from .. import audit, flows
from ..audit import AuditAction
from ..models import RoundStatus

#: Who opens a round and reports it upward.
ROUND_OWNERS = (RoleKind.SECRETARY,)
#: How far from today a round's period and a declaration's date may lie (issue 13): a round is
#: opened at most one month ahead, and nothing older than ten years is declared or reviewed.
YEARS_BACK = 10
DAYS_AHEAD = 31


def earliest_day(today):
    """The first day a declaration or a round's period may start: 1 January ten years back."""
    return today.replace(year=today.year - YEARS_BACK, month=1, day=1)

#: Fields whose before/after values the audit trail keeps, per record.
DECLARATION_FIELDS = ("status", "points", "decided_points", "decision_reason", "decided_at_meeting", "review_round")
ROUND_FIELDS = ("status", "review_pass", "finalised_at")
OBJECTION_FIELDS = ("outcome", "answered_on", "answer_reason", "corrected_points", "escalated_at", "explanation_filed_on")


def locked_round(review_round):
    """Hold the round's workflow lock and yield fresh ``(round, process)`` rows.

    Raises ``StepConflict(code="busy")`` when someone else holds it and
    ``ValidationError(code="no_process")`` for a round without a process (``workflow.steps``).
    """
    return locked_process(
        flows.ReviewRoundFlow, review_round, subject_field="review_round_id", select_related=("organisation",),
        missing_message=_("审核批次“%(round)s”没有对应的审核流程。") % {"round": review_round},
        busy_message=_("审核批次“%(round)s”正由他人处理，请稍后再试。") % {"round": review_round},
    )


def locked_objection(objection):
    """Hold the objection's workflow lock and yield fresh ``(objection, process)`` rows."""
    return locked_process(
        flows.ObjectionFlow, objection, subject_field="objection_id",
        select_related=("declaration__review_round__organisation", "declaration__member", "organisation"),
        missing_message=_("该异议没有对应的处理流程。"),
        busy_message=_("该异议正由他人处理，请稍后再试。"),
    )


def set_round_status(review_round, status, actor=None, action=AuditAction.ROUND_STATUS):
    """Move the round to ``status`` (stamping ``finalised_at`` for FINAL) and audit it as ``action``."""
    before = audit.snapshot(review_round, ROUND_FIELDS)
    review_round.status = status
    if status == RoundStatus.FINAL:
        review_round.finalised_at = timezone.now()
    review_round.save(update_fields=["status", "review_pass", "finalised_at"])
    audit.record(action, review_round, actor=actor, before=before, after=audit.snapshot(review_round, ROUND_FIELDS))
