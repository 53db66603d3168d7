"""撤回: the branch takes back a round it reported upward, before the higher committee acts on it."""
from django.utils.translation import gettext as _

from organisations.permissions import require
from workflow.withdraw import take_back

from .. import flows
from ..errors import ReviewErrorCode as Code
from ..errors import error, step_conflict
from ..models import RoundStatus
from .common import ROUND_OWNERS, locked_round, set_round_status


def withdraw_report(review_round, by, reason):
    """The branch secretary withdraws the round from higher review back to the branch meeting.

    Possible while the reviewer has not filed or returned it (the higher-review task is not
    started). The withdrawal and its reason are in the process history and the audit trail.
    Returns the round.

    Raises:
        PermissionDenied: ``by`` is not the branch secretary.
        ValidationError: ``reason_required`` (reason).
        StepConflict: ``round_not_at_higher_review``; ``already_acted`` when the reviewer started.
    """
    require(by, review_round.organisation, ROUND_OWNERS)
    if not (reason or "").strip():
        raise error("reason", Code.REASON_REQUIRED, _("请写明撤回理由。"))
    with locked_round(review_round) as (rr, process):
        if rr.status != RoundStatus.HIGHER_REVIEW:
            raise step_conflict(Code.ROUND_NOT_AT_HIGHER_REVIEW,
                                _("审核批次“%(round)s”当前状态为“%(status)s”，不在上级审查阶段，不能撤回。"),
                                round=rr, status=rr.get_status_display())
        take_back(process, flows.ReviewRoundFlow.higher_review, flows.ReviewRoundFlow.branch_meeting, by, reason)
        set_round_status(rr, RoundStatus.BRANCH_MEETING, actor=by)
    return rr
