"""Dispositions after the results (结果运用): talks, rectification, disposal approval, rectification outcome.

Sequence::

    issue_talk_notice | start_rectification | confirm_disposition        (the branch alone)
    decide_disposal → review_disposal (higher committee, DisposalFlow)
      → [限期改正 approved: rectification period timer] → record_rectification_outcome

2024 rules: 限期改正 normally 6 months, at most 1 year; the branch meeting needs more than
half of those entitled present and more than half of the full members voting yes.
Refusals are ``ValidationError``s keyed by input with an ``appraisals.errors.AppraisalErrorCode``.
"""
import calendar
import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.kinds import (
    disposal_approval,
    disposal_request,
    probation_cancellation,
    rectification_notice,
    talk_notice,
)
from documents.models import GeneratedDocument
from organisations.permissions import can_review, require
from reviews import audit
from reviews.audit import AuditAction
from workdays.clock import local_today, start_of_day
from workflow.steps import StepConflict, complete_human_task

from .. import flows
from ..errors import AppraisalErrorCode as Code
from ..models import (
    DisposalMeasure,
    DisposalProcess,
    Disposition,
    DispositionAction,
    DispositionStatus,
    RectificationOutcome,
)
from ._shared import (
    OWNERS,
    blank,
    count_input,
    invalid,
    locked_disposition,
    person_name,
    request_document,
    require_reviewer,
    reviewer_organisation,
)
from workdays.wording import join_list

DEFAULT_RECTIFICATION_MONTHS = 6
MAX_RECTIFICATION_MONTHS = 12
#: Dispositions that are talks, and the talk each one is (the talk notice's wording).
TALK_TYPES = talk_notice.TALK_TYPES


def add_months(day, months):
    """``day`` plus ``months`` calendar months, clipped to the month's last day (1月31日 + 1 → 2月28日)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _require_branch(by, disposition):
    require(by, disposition.evaluation.organisation, OWNERS)


def _wrong_action(disposition, message):
    return invalid(message, Code.WRONG_DISPOSITION_ACTION, a=disposition.get_action_display())


def _pending(disposition_id, *related):
    """The disposition, locked; raises StepConflict(``disposition_handled``) unless still pending."""
    rows = Disposition.objects.select_for_update(of=("self",))
    d = (rows.select_related(*related) if related else rows).get(pk=disposition_id)
    if d.status != DispositionStatus.PENDING:
        raise StepConflict(_("该事项已办理（%(s)s）。"), code=Code.DISPOSITION_HANDLED,
                           params={"s": d.get_status_display()})
    return d


def issue_talk_notice(disposition, by, *, talk_time, place, talker=""):
    """谈心谈话/诫勉谈话: the secretary fixes the talk; the talk notice is issued to the member.

    Raises PermissionDenied, StepConflict (``disposition_handled``) or ValidationError:
    ``wrong_disposition_action``, or ``required`` on ``talk_time`` / ``place``.
    """
    _require_branch(by, disposition)
    if disposition.action not in TALK_TYPES:
        raise _wrong_action(disposition, _("“%(a)s”不是谈话类处理。"))
    for field, value, label in (("talk_time", talk_time, _("谈话时间")), ("place", place, _("谈话地点"))):
        if blank(value):
            raise invalid(_("请填写%(label)s。"), Code.REQUIRED, field=field, label=label)
    with transaction.atomic():
        d = _pending(disposition.pk, "evaluation__organisation", "result", "member")
        ev = d.evaluation
        doc = request_document("talk_notice", organisation=ev.organisation, by=by,
                               context=talk_notice.build_context(d, talk_time=talk_time.strip(), place=place.strip(),
                                                                 talker=(talker or "").strip() or person_name(by)),
                               subject_key=f"disposition:{d.pk}:talk", member=d.member)
        d.status, d.decided_by, d.decided_at = DispositionStatus.DONE, by, timezone.now()
        d.note = _("谈话时间：%(t)s；地点：%(p)s") % {"t": talk_time.strip(), "p": place.strip()}
        d.save(update_fields=["status", "decided_by", "decided_at", "note"])
        audit.record(AuditAction.TALK_NOTICE_ISSUED, d, actor=by, organisation=ev.organisation,
                     after={"status": d.status, "document": doc.pk})
    return d


def _rectification_months(months):
    """1 ≤ ``months`` ≤ 12; raises ValidationError on ``months``."""
    try:
        months = int(months)
    except (TypeError, ValueError):
        raise invalid(_("整改期限“%(m)s”不是整数（月）。"), Code.NOT_AN_INTEGER, field="months", m=months) from None
    if months < 1 or months > MAX_RECTIFICATION_MONTHS:
        raise invalid(_("限期改正的期限为 %(m)s 个月；按规定一般为6个月，最长不超过1年。"),
                      Code.RECTIFICATION_PERIOD_OUT_OF_RANGE, field="months", m=months)
    return months


def _issue_rectification(d, by, months, problems=None):
    """The period starts today and lasts ``months``; the rectification notice goes to the member."""
    start = local_today()
    d.rectification_start = start
    d.rectification_end = add_months(start, months)
    d.status = DispositionStatus.IN_RECTIFICATION
    return request_document(
        "rectification_notice", organisation=d.evaluation.organisation, by=by,
        context=rectification_notice.build_context(d, problems=problems),
        subject_key=f"disposition:{d.pk}:rectification", member=d.member,
    )


def start_rectification(disposition, by, *, requirements, months=DEFAULT_RECTIFICATION_MONTHS, problems=None):
    """限期整改 (action ``rectify``): the branch sets the requirements; the notice names the period end.

    Raises PermissionDenied, StepConflict (``disposition_handled``) or ValidationError:
    ``wrong_disposition_action``, ``required`` on ``requirements``, or on ``months``
    (``not_an_integer``, ``rectification_period_out_of_range``).
    """
    _require_branch(by, disposition)
    if disposition.action != DispositionAction.RECTIFY:
        raise _wrong_action(disposition, _("“%(a)s”不是限期整改事项。"))
    if blank(requirements):
        raise invalid(_("请填写整改要求。"), Code.REQUIRED, field="requirements")
    months = _rectification_months(months)
    with transaction.atomic():
        d = _pending(disposition.pk, "evaluation__organisation", "member")
        d.decided_by, d.decided_at = by, timezone.now()
        d.requirements, d.rectification_months = requirements.strip(), months
        doc = _issue_rectification(d, by, months, problems)
        d.save(update_fields=["status", "decided_by", "decided_at", "requirements", "rectification_months",
                              "rectification_start", "rectification_end"])
        audit.record(AuditAction.RECTIFICATION_STARTED, d, actor=by, organisation=d.evaluation.organisation,
                     after={"status": d.status, "end": d.rectification_end, "document": doc.pk})
    return d


def confirm_disposition(disposition, by, note=""):
    """The branch records a disposition that needs no document of its own (e.g. extended probation).

    Raises PermissionDenied, StepConflict (``disposition_handled``) or ValidationError
    (``wrong_disposition_action``).
    """
    _require_branch(by, disposition)
    if disposition.action not in (DispositionAction.EXTEND_PROBATION,):
        raise _wrong_action(disposition, _("“%(a)s”须按其专门程序办理。"))
    with transaction.atomic():
        d = _pending(disposition.pk)
        d.status, d.decided_by, d.decided_at, d.note = DispositionStatus.DONE, by, timezone.now(), note
        d.save(update_fields=["status", "decided_by", "decided_at", "note"])
        audit.record(AuditAction.DISPOSITION_CONFIRMED, d, actor=by, organisation=d.evaluation.organisation,
                     after={"status": d.status})
    return d


def _check_vote(entitled, present, votes_for, full_members):
    """The branch meeting's counts, checked (2024 rules); returns them as ints."""
    entitled = count_input(entitled, _("应到人数"), field="entitled")
    present = count_input(present, _("实到人数"), field="present")
    votes_for = count_input(votes_for, _("赞成票"), field="votes_for")
    if full_members in (None, ""):
        full_members = entitled
    else:
        full_members = count_input(full_members, _("正式党员人数"), field="full_members")
    if entitled == 0:
        raise invalid(_("应到人数不能为 0。"), Code.NO_ONE_ENTITLED, field="entitled")
    if present > entitled:
        raise invalid(_("实到人数 %(p)s 多于应到人数 %(e)s。"), Code.MORE_PRESENT_THAN_ENTITLED, field="present",
                      p=present, e=entitled)
    if votes_for > present:
        raise invalid(_("赞成票 %(v)s 多于实到人数 %(p)s。"), Code.MORE_VOTES_THAN_PRESENT, field="votes_for",
                      v=votes_for, p=present)
    if present * 2 <= entitled:
        raise invalid(_("实到 %(p)s 人，未超过应到 %(e)s 人的半数，会议不能表决。"), Code.NO_QUORUM, field="present",
                      p=present, e=entitled)
    if votes_for * 2 <= full_members:
        raise invalid(_("赞成票 %(v)s 票，未超过正式党员 %(f)s 人的半数，处置意见未获通过。"), Code.NO_MAJORITY,
                      field="votes_for", v=votes_for, f=full_members)
    return entitled, present, votes_for


def decide_disposal(disposition, by, *, measure=None, entitled, present, votes_for, full_members=None,
                    requirements="", months=DEFAULT_RECTIFICATION_MONTHS):
    """The branch meeting decides a disposal (or cancelled probation) and asks the higher committee.

    2024 rules: more than half of those entitled present, and more than half of the full
    members voting yes (``full_members`` defaults to ``entitled``). A disposal names its
    ``measure`` (``DisposalMeasure``); 限期改正 also needs ``requirements`` and ``months``.
    Issues the 请示 (``disposal_request``) for a disposal.

    Raises PermissionDenied, StepConflict (``disposition_handled``) or ValidationError:
    ``wrong_disposition_action``; on ``entitled`` / ``present`` / ``votes_for`` /
    ``full_members`` (``not_an_integer``, ``negative``, ``no_one_entitled``,
    ``more_present_than_entitled``, ``more_votes_than_present``, ``no_quorum``,
    ``no_majority``); on ``measure`` (``invalid_measure``); on ``requirements`` (``required``);
    on ``months``.
    """
    _require_branch(by, disposition)
    entitled, present, votes_for = _check_vote(entitled, present, votes_for, full_members)
    if disposition.action == DispositionAction.DISPOSE:
        if measure not in DisposalMeasure.values:
            raise invalid(_("请选择处置方式：%(c)s。"), Code.INVALID_MEASURE, field="measure",
                          c=join_list(DisposalMeasure.values))
        if measure == DisposalMeasure.RECTIFY:
            _rectification_months(months)
            if blank(requirements):
                raise invalid(_("限期改正须写明整改要求。"), Code.REQUIRED, field="requirements")
    elif disposition.action == DispositionAction.CANCEL_PROBATION:
        measure = ""
    else:
        raise _wrong_action(disposition, _("“%(a)s”不需要上级审批。"))
    with locked_disposition(disposition) as (d, process):
        if d.status != DispositionStatus.PENDING:
            raise StepConflict(_("该事项已由支部决定（%(s)s）。"), code=Code.DISPOSITION_HANDLED,
                               params={"s": d.get_status_display()})
        ev = d.evaluation
        d.measure, d.entitled, d.present, d.votes_for = measure, entitled, present, votes_for
        d.decided_by, d.decided_at = by, timezone.now()
        d.status = DispositionStatus.AWAITING_APPROVAL
        if measure == DisposalMeasure.RECTIFY:
            d.requirements, d.rectification_months = requirements.strip(), int(months)
        d.save()
        doc = None
        if d.action == DispositionAction.DISPOSE:
            doc = request_document(
                "disposal_request", organisation=ev.organisation, by=by, process=process,
                context=disposal_request.build_context(d),
                subject_key=disposal_request.subject_key(d), member=d.member,
            )
        audit.record(AuditAction.DISPOSAL_DECIDED, d, actor=by, organisation=ev.organisation,
                     after={"status": d.status, "measure": measure, "entitled": entitled, "present": present,
                            "votes_for": votes_for, "document": doc.pk if doc else None})
        complete_human_task(process, flows.DisposalFlow.branch_decision, by, _("当前不在支部决定环节。"))
    return d


def _issue_approval(d, by, process):
    """The higher committee's 批复 on the branch's 请示 (``disposal_approval``)."""
    request = GeneratedDocument.objects.filter(
        kind="disposal_request", subject_key=disposal_request.subject_key(d)).order_by("-version").first()
    return request_document(
        "disposal_approval", organisation=reviewer_organisation(by, d.evaluation.organisation), by=by,
        process=process, context=disposal_approval.build_context(d, request=request),
        subject_key=f"disposition:{d.pk}:approval", member=d.member,
    )


def review_disposal(disposition, by, *, approve, comments=""):
    """The higher committee approves or rejects; the approval (批复) is issued by the higher committee.

    An approved 限期改正 starts the rectification period (notice to the member). Raises
    PermissionDenied (not a higher reviewer), StepConflict (``disposition_wrong_status``) or
    ValidationError on ``comments`` (``comments_required`` when rejecting).
    """
    require_reviewer(by, disposition.evaluation.organisation)
    if not approve and blank(comments):
        raise invalid(_("不予批准须写明理由。"), Code.COMMENTS_REQUIRED, field="comments")
    with locked_disposition(disposition) as (d, process):
        if d.status != DispositionStatus.AWAITING_APPROVAL:
            raise StepConflict(_("该事项当前状态为“%(s)s”，不在上级审批环节。"), code=Code.DISPOSITION_WRONG_STATUS,
                               params={"s": d.get_status_display()})
        d.approved_by, d.approved_at, d.approval_comments = by, timezone.now(), (comments or "").strip()
        d.status = DispositionStatus.APPROVED if approve else DispositionStatus.REJECTED
        rect_doc = None
        if approve and d.measure == DisposalMeasure.RECTIFY:
            rect_doc = _issue_rectification(d, by, d.rectification_months)
        elif approve:
            d.status = DispositionStatus.DONE
        d.save()
        if d.action == DispositionAction.DISPOSE:
            _issue_approval(d, by, process)
        elif d.action == DispositionAction.CANCEL_PROBATION and approve:
            request_document("probation_cancellation", organisation=d.evaluation.organisation, by=by,
                             process=process, context=probation_cancellation.build_context(d),
                             subject_key=f"disposition:{d.pk}:cancellation", member=d.member)
        audit.record(AuditAction.DISPOSAL_APPROVED if approve else AuditAction.DISPOSAL_REJECTED, d, actor=by,
                     organisation=d.evaluation.organisation,
                     after={"status": d.status, "comments": d.approval_comments,
                            "rectification_end": d.rectification_end, "document": rect_doc.pk if rect_doc else None})
        complete_human_task(process, flows.DisposalFlow.higher_decision, by, _("当前不在上级审批环节。"))
    return d


def rectification_due(disposition):
    """The period is over once its last day has passed: local midnight after ``rectification_end``."""
    return start_of_day(disposition.rectification_end + datetime.timedelta(days=1))


def record_rectification_outcome(disposition, by, outcome, note=""):
    """整改期满: the branch records whether the member improved (the period must be over).

    Raises PermissionDenied, StepConflict (``not_in_rectification``, ``step_closed``) or
    ValidationError: ``invalid_outcome`` on ``outcome``, ``rectification_not_over``.
    """
    _require_branch(by, disposition)
    if outcome not in (RectificationOutcome.IMPROVED, RectificationOutcome.NOT_IMPROVED):
        raise invalid(_("整改结果应为“整改到位”或“整改期满仍无明显转变”。"), Code.INVALID_OUTCOME, field="outcome")

    def _record(d, process):
        if d.status != DispositionStatus.IN_RECTIFICATION:
            raise StepConflict(_("该事项不在整改期中。"), code=Code.NOT_IN_RECTIFICATION)
        if local_today() <= d.rectification_end:
            raise invalid(_("整改期至 %(d)s 截止，期满后才能记录整改结果。"), Code.RECTIFICATION_NOT_OVER,
                          d=d.rectification_end)
        d.rectification_outcome, d.outcome_recorded_at = outcome, timezone.now()
        d.status = DispositionStatus.DONE
        if note:
            d.note = f"{d.note}\n{note}".strip()
        d.save(update_fields=["rectification_outcome", "outcome_recorded_at", "status", "note"])
        audit.record(AuditAction.RECTIFICATION_OUTCOME, d, actor=by, organisation=d.evaluation.organisation,
                     after={"outcome": outcome, "status": d.status})
        if process is not None:
            complete_human_task(process, flows.DisposalFlow.rectification_review, by,
                                _("整改期的计时尚未到期，请稍后再记录整改结果。"))
        return d

    if DisposalProcess.objects.filter(disposition_id=disposition.pk).exists():
        with locked_disposition(disposition) as (d, process):
            return _record(d, process)
    with transaction.atomic():
        d = Disposition.objects.select_for_update(of=("self",)).select_related("evaluation__organisation").get(
            pk=disposition.pk)
        return _record(d, None)


def pending_for_higher(user):
    """Dispositions awaiting ``user``'s approval as a higher reviewer."""
    rows = Disposition.objects.filter(status=DispositionStatus.AWAITING_APPROVAL).select_related(
        "evaluation__organisation", "member")
    return [d for d in rows if can_review(user, d.evaluation.organisation)]
