"""上级审查备案: the higher committee files a round (publicity starts) or returns it to the branch."""
import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.kinds import filing_report
from organisations.models import Role, RoleKind
from organisations.permissions import can_review
from workdays.clock import SHANGHAI
from workflow.steps import complete_human_task

from .. import announce, audit, flows
from .. import integration as docs
from ..audit import AuditAction
from ..errors import ReviewErrorCode as Code
from ..errors import error, step_conflict
from ..models import FilingDecision, FilingOutcome, RoundStatus, local_today
from .common import locked_round, set_round_status
from .publicity import publicity_end

#: How far ahead the reviewer may schedule the publicity (days from today).
MAX_PUBLICITY_DELAY_DAYS = 30


def _require_reviewer(by, rr):
    if not can_review(by, rr.organisation):
        raise PermissionDenied(
            _("您不是“%(org)s”上级党组织的审查人，不能审查备案该批次（支部不能自行备案）。") % {"org": rr.organisation}
        )


def _reviewer_org(by, rr):
    for org in reversed(rr.organisation.ancestors()):
        if Role.objects.filter(user=by, organisation=org, kind=RoleKind.REVIEWER).exists():
            return org
    return rr.organisation.parent


def _record_filing(rr, process, by, outcome, comments, filed_on=None):
    if rr.status != RoundStatus.HIGHER_REVIEW:
        raise step_conflict(Code.ROUND_NOT_AT_HIGHER_REVIEW,
                            _("审核批次“%(round)s”当前状态为“%(status)s”，不在上级审查阶段。"),
                            round=rr, status=rr.get_status_display())
    filing = FilingDecision.objects.create(
        review_round=rr, review_pass=rr.review_pass, reviewer=by, reviewer_organisation=_reviewer_org(by, rr),
        outcome=outcome, comments=comments,
        # a filing recorded after the fact is dated its day (at this moment's time of day, Asia/Shanghai)
        **({"decided_at": datetime.datetime.combine(filed_on, timezone.localtime(timezone.now(), SHANGHAI).timetz())}
           if filed_on else {}),
    )
    action = AuditAction.ROUND_FILED if outcome == FilingOutcome.FILED else AuditAction.ROUND_RETURNED
    audit.record(action, filing, actor=by, review_round=rr,
                 after={"outcome": outcome, "comments": comments, "review_pass": rr.review_pass})
    task = complete_human_task(
        process, flows.ReviewRoundFlow.higher_review, by,
        _("审核批次“%(round)s”已由他人审查。") % {"round": rr},
    )
    return filing, task


def file_round(review_round, by, comments="", publicity_start=None, filed_on=None):
    """The higher committee approves and files the round; publicity starts on ``publicity_start`` (default: the
    filing day). Publicity follows filing (备案后公示, DOMAIN.md): it never starts before the filing day.

    ``filed_on``: the day the committee filed it, for a round recorded after the fact (补录, e.g. a paper
    round of an earlier quarter); default today. The filing is dated that day, so the 备案报告 and the
    汇总表 state it.

    Requests the filing report (备案报告, ``documents.kinds.filing_report``). Returns the ``FilingDecision``.

    Raises:
        PermissionDenied: ``by`` reviews no organisation above the branch.
        StepConflict: ``round_not_at_higher_review``; ``step_closed`` when someone else reviewed.
        ValidationError: ``publicity_start_before_meeting`` / ``publicity_start_too_late`` /
            ``publicity_start_before_filing`` (publicity_start); ``filed_on_out_of_range`` (filed_on).
    """
    _require_reviewer(by, review_round)
    today = local_today()
    filed_on = filed_on or today
    publicity_start = publicity_start or filed_on
    with locked_round(review_round) as (rr, process):
        meeting = rr.latest_meeting()
        if filed_on > today or (meeting is not None and filed_on < meeting.held_on):
            raise error("filed_on", Code.FILED_ON_OUT_OF_RANGE,
                        _("备案日期 %(d)s 须在支部会议日期之后、不晚于今天。"), d=filed_on)
        if meeting is not None and publicity_start < meeting.held_on:
            raise error("publicity_start", Code.PUBLICITY_START_BEFORE_MEETING,
                        _("公示开始日期 %(d)s 早于支部会议日期 %(m)s。"), d=publicity_start, m=meeting.held_on)
        if publicity_start > local_today() + datetime.timedelta(days=MAX_PUBLICITY_DELAY_DAYS):
            raise error("publicity_start", Code.PUBLICITY_START_TOO_LATE,
                        _("公示开始日期 %(d)s 距今超过30天，请在备案后及时公示。"), d=publicity_start)
        if publicity_start < filed_on:
            raise error("publicity_start", Code.PUBLICITY_START_BEFORE_FILING,
                        _("公示开始日期 %(d)s 早于备案日期 %(f)s：公示须在上级备案之后。"), d=publicity_start, f=filed_on)
        process.data = {**(process.data or {}), "publicity_start": publicity_start.isoformat(), "filed_by": by.pk}
        process.save(update_fields=["data"])
        filing, task = _record_filing(rr, process, by, FilingOutcome.FILED, (comments or "").strip(),
                                      filed_on=None if filed_on == today else filed_on)
        docs.anchor_ledger(rr.organisation, filing.anchor_reason)  # the head the report prints
        docs.request_document(
            docs.DOC_FILING_REPORT,
            organisation=rr.organisation,
            context=filing_report.build_context(filing, publicity_start=publicity_start,
                                                publicity_end=publicity_end(rr, publicity_start)),
            triggered_by=by,
            process=process,
            task=task,
            subject_key=f"round:{rr.pk}:filing",
        )
        return filing


def return_round(review_round, by, comments):
    """The higher committee returns the round with comments; it goes back to the branch meeting.

    Raises:
        PermissionDenied: ``by`` reviews no organisation above the branch.
        StepConflict: ``round_not_at_higher_review``.
        ValidationError: ``comments_missing`` (comments).
    """
    _require_reviewer(by, review_round)
    comments = (comments or "").strip()
    if not comments:
        raise error("comments", Code.COMMENTS_MISSING, _("退回须填写审查意见，说明需要修改的内容。"))
    with locked_round(review_round) as (rr, process):
        filing, _task = _record_filing(rr, process, by, FilingOutcome.RETURNED, comments)
        rr.review_pass += 1
        set_round_status(rr, RoundStatus.RETURNED, actor=by, action=AuditAction.ROUND_RETURNED)
        announce.round_returned(rr, filing)
        return filing
