"""支部会议审核: the branch meeting of a round, its decision on each declaration, the report upward."""
import datetime
import hashlib
import re
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from documents.kinds import meeting_record
from organisations.permissions import BRANCH_STAFF, require
from workflow import history
from workflow.models import EventKind
from workflow.steps import active_task, complete_human_task
from workdays.wording import join_clauses, signed_points_text

from .. import audit, flows
from .. import integration as docs
from ..audit import AuditAction
from ..errors import NON_FIELD_ERRORS, error, step_conflict
from ..errors import ReviewErrorCode as Code
from ..models import DECIDED, BranchMeeting, Declaration, DeclarationStatus, MeetingKind, RoundStatus, local_today
from . import quorum, roll_call
from .common import DECLARATION_FIELDS, ROUND_OWNERS, locked_round, set_round_status
from .points import check_decided_points, parse_points, signed_points

#: The stored length of a decision's reason (``Declaration.decision_reason``).
REASON_MAX = Declaration._meta.get_field("decision_reason").max_length


def _chair_attended(chair, attendees, attendee_names):
    """Whether ``chair`` is among those present: the Member rows ticked, else the names written
    (``、``-separated, a name may carry a note in brackets); with neither, nothing to check."""
    names = [m.name for m in attendees] or [n.strip() for n in re.split(r"[、，,；;]", attendee_names or "") if n.strip()]
    return not names or any(n == chair or n.startswith(chair + "（") for n in names)


def _require_branch_meeting_step(rr):
    if not rr.is_at_branch_meeting:
        raise step_conflict(Code.ROUND_NOT_AT_BRANCH_MEETING,
                            _("审核批次“%(round)s”当前状态为“%(status)s”，不在支部会议审核阶段。"),
                            round=rr, status=rr.get_status_display())


def record_meeting(review_round, by, *, kind, held_on, minute_taker, entitled_count=None, attendee_count=None,
                   attendees=(), attendee_names="", guide_signatory="", observers="", place="", chair="",
                   absentee_names="", present_keys=None):
    """Record the 支部会议/支委会 that reviews the round (this pass); returns the ``BranchMeeting``.

    ``attendees``: Member rows present (their count is the attendee count when none is given).
    ``entitled_count`` (应到人数) defaults to the number on record and must equal it
    (``reviews.services.quorum``: full members for a 党员大会, the committee for a 支委会).
    ``place`` (会议地点) is required; ``chair`` defaults to the branch secretary in the minutes;
    ``absentee_names`` (缺席人员及原因) is required when fewer attended than were entitled,
    so the minutes name who was absent (issue 11). ``present_keys``: a roll call of the entitled
    people on record (``quorum.Person.key``); with it the absent are those not ticked, the typed
    absentees only give their reasons (``roll_call.take``). A chair given must be among those present
    (the attendee rows, else the names): whoever chaired attended. A meeting recorded wrongly is
    corrected with :func:`~reviews.services.meeting_correction.correct_meeting`.

    Raises:
        PermissionDenied: ``by`` is not branch staff.
        StepConflict: ``round_not_at_branch_meeting``.
        ValidationError: ``meeting_kind_invalid`` (kind), ``meeting_date_invalid`` /
            ``meeting_before_period`` (held_on), ``attendance_not_integer`` /
            ``entitled_count_too_small`` / ``entitled_below_record`` / ``entitled_above_record``
            (entitled_count), ``attendance_exceeds_entitled``
            (attendee_count), ``attendee_list_mismatch`` / ``attendee_not_entitled`` (attendees),
            ``minute_taker_missing``
            (minute_taker), ``guide_signatory_missing`` (guide_signatory), ``meeting_place_missing``
            (place), ``absentees_missing`` / ``absentee_also_present`` (absentee_names),
            ``chair_not_present`` (chair).
    """
    require(by, review_round.organisation, BRANCH_STAFF)
    values, attendees = checked_meeting(
        review_round, kind=kind, held_on=held_on, minute_taker=minute_taker, entitled_count=entitled_count,
        attendee_count=attendee_count, attendees=attendees, attendee_names=attendee_names,
        guide_signatory=guide_signatory, observers=observers, place=place, chair=chair,
        absentee_names=absentee_names, present_keys=present_keys)
    with locked_round(review_round) as (rr, process):
        _require_branch_meeting_step(rr)
        check_in_round(rr, values, attendees)
        meeting = BranchMeeting.objects.create(review_round=rr, review_pass=rr.review_pass, recorded_by=by, **values)
        if attendees:
            meeting.attendees.set(attendees)
        audit.record(AuditAction.MEETING_RECORDED, meeting, actor=by, review_round=rr, after={
            "kind": kind, "held_on": held_on, "entitled_count": values["entitled_count"],
            "attendee_count": values["attendee_count"], "has_quorum": meeting.has_quorum,
            "review_pass": rr.review_pass,
        })
        _history(process, EventKind.RECORDED, by, [(gettext_noop("%(kind)s，应到 %(e)s 人、实到 %(a)s 人"), {
            "kind": history.msgid(MeetingKind(kind).label), "e": values["entitled_count"], "a": values["attendee_count"]})])
        return meeting


def checked_meeting(review_round, *, kind, held_on, minute_taker, entitled_count=None, attendee_count=None,
                    attendees=(), attendee_names="", guide_signatory="", observers="", place="", chair="",
                    absentee_names="", present_keys=None):
    """``(values, attendees)``: a meeting record's fields as stored (a dict for ``BranchMeeting``)
    and the Member rows present, after the checks that need no lock (:func:`record_meeting`'s
    arguments and errors; the round's own checks are :func:`check_in_round`)."""
    if kind not in MeetingKind.values:
        raise error("kind", Code.MEETING_KIND_INVALID, _("会议类型“%(kind)s”无效，应为支部党员大会或支委会。"), kind=kind)
    if not isinstance(held_on, datetime.date) or held_on > local_today():
        raise error("held_on", Code.MEETING_DATE_INVALID, _("会议日期无效或在今天之后。"))
    attendees = list(attendees)
    typed_absentees = (absentee_names or "").strip()  # as typed: a correction starts from it
    if present_keys is not None:
        present, absentee_names = roll_call.take(review_round.organisation, kind, present_keys, absentee_names)
        attendee_names = "、".join(p.name for p in present)
        whole = attendee_count in (None, len(present)) and all(p.member is not None for p in present)
        attendees = [p.member for p in present] if whole else []
        attendee_count = len(present) if attendee_count is None else attendee_count
    if attendee_count is None:
        attendee_count = len(attendees)
    try:
        attendee_count = int(attendee_count)
        entitled_count = int(entitled_count) if entitled_count not in (None, "") else None
    except (TypeError, ValueError):
        raise error("entitled_count", Code.ATTENDANCE_NOT_INTEGER, _("应到人数和实到人数必须是整数。")) from None
    if entitled_count is not None and entitled_count <= 0:
        raise error("entitled_count", Code.ENTITLED_COUNT_TOO_SMALL, _("应到人数必须大于0。"))
    entitled_count = quorum.check_entitled(review_round.organisation, kind, entitled_count)
    if entitled_count <= 0:
        raise error("entitled_count", Code.ENTITLED_COUNT_TOO_SMALL, _("应到人数必须大于0。"))
    if attendee_count < 0 or attendee_count > entitled_count:
        raise error("attendee_count", Code.ATTENDANCE_EXCEEDS_ENTITLED, _("实到人数 %(a)s 不能超过应到人数 %(e)s。"),
                    a=attendee_count, e=entitled_count)
    if attendees and len(attendees) != attendee_count:
        raise error("attendees", Code.ATTENDEE_LIST_MISMATCH, _("实到人员名单 %(n)s 人与实到人数 %(a)s 不符。"),
                    n=len(attendees), a=attendee_count)
    quorum.check_attendees(review_round.organisation, kind, attendees)
    if not minute_taker or not minute_taker.strip():
        raise error("minute_taker", Code.MINUTE_TAKER_MISSING, _("请填写会议记录人。"))
    values = {
        "kind": kind, "held_on": held_on, "entitled_count": entitled_count, "attendee_count": attendee_count,
        "attendee_names": attendee_names or "、".join(m.name for m in attendees),
        "absentee_names": (absentee_names or "").strip(), "absentee_reasons": typed_absentees,
        "place": (place or "").strip(), "chair": (chair or "").strip(),
        "minute_taker": minute_taker.strip(), "guide_signatory": (guide_signatory or "").strip(),
        "observers": observers or "",
    }
    return values, attendees


def check_in_round(rr, values, attendees):
    """The checks of a meeting record against its round (``rr``, locked): date, guide, place, chair, absentees."""
    if values["held_on"] < rr.period_start:
        raise error("held_on", Code.MEETING_BEFORE_PERIOD, _("会议日期 %(d)s 早于审核期起始日 %(s)s。"),
                    d=values["held_on"], s=rr.period_start)
    if rr.requires_guide_signatory and not values["guide_signatory"]:
        raise error("guide_signatory", Code.GUIDE_SIGNATORY_MISSING,
                    _("农村积分方案要求党建指导员到会并签字，请填写党建指导员。"))
    if not values["place"]:
        raise error("place", Code.MEETING_PLACE_MISSING, _("请填写会议地点。"))
    chair = values["chair"]
    if chair and not _chair_attended(chair, attendees, values["attendee_names"]):
        raise error("chair", Code.CHAIR_NOT_PRESENT,
                    _("主持人“%(chair)s”不在实到人员名单中：主持会议的人出席了会议，请把主持人计入实到人员。"),
                    chair=chair)
    if values["attendee_count"] < values["entitled_count"] and not values["absentee_names"]:
        raise error("absentee_names", Code.ABSENTEES_MISSING,
                    _("应到 %(e)s 人、实到 %(a)s 人，请填写缺席人员姓名（及缺席原因）。"),
                    e=values["entitled_count"], a=values["attendee_count"])


def _quorate_meeting(rr):
    meeting = rr.latest_meeting()
    if meeting is None:
        raise error(NON_FIELD_ERRORS, Code.MEETING_NOT_RECORDED, _("本轮（第%(n)s次）尚未记录支部会议，不能认定申报。"),
                    n=rr.review_pass)
    if not meeting.has_quorum:
        raise error(NON_FIELD_ERRORS, Code.MEETING_WITHOUT_QUORUM,
                    _("%(date)s 的会议应到 %(e)s 人、实到 %(a)s 人，未超过应到人数的一半，会议决定无效，不能认定申报。"),
                    date=meeting.held_on, e=meeting.entitled_count, a=meeting.attendee_count)
    return meeting


#: The fields a decision sets.
DECIDED_FIELDS = ["status", "decided_points", "decision_reason", "decided_at_meeting", "decided_by"]


def _apply_decision(rr, meeting, declaration, by, outcome, points, reason):
    """Check and set one decision on ``declaration`` (unsaved); returns its unsaved audit entry."""
    if declaration.review_round_id != rr.pk:
        raise error(NON_FIELD_ERRORS, Code.DECLARATION_NOT_IN_ROUND, _("申报“%(d)s”不属于审核批次“%(round)s”。"),
                    d=declaration, round=rr)
    if declaration.status == DeclarationStatus.WITHDRAWN:
        raise error(NON_FIELD_ERRORS, Code.DECLARATION_WITHDRAWN, _("申报“%(d)s”已撤回。"), d=declaration)
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise error("reason", Code.DECISION_REASON_TOO_LONG, _("理由最多 %(max)s 字，收到 %(n)s 字。"),
                    max=REASON_MAX, n=len(reason))
    if outcome == DeclarationStatus.APPROVED:
        new_points = declaration.points
    elif outcome == DeclarationStatus.ADJUSTED:
        if points is None:
            raise error("decided_points", Code.DECIDED_POINTS_MISSING, _("调整认定须填写调整后的分值。"))
        new_points = check_decided_points(declaration, parse_points(points, field="decided_points",
                                                                    label=_("调整后的分值")))
        if new_points == declaration.points:
            raise error("decided_points", Code.DECIDED_POINTS_UNCHANGED, _("调整后的分值与申报分值相同，请选择“认定”。"))
        if not reason:
            raise error("reason", Code.DECISION_REASON_MISSING, _("调整认定须说明理由。"))
    elif outcome == DeclarationStatus.REJECTED:
        if not reason:
            raise error("reason", Code.DECISION_REASON_MISSING, _("不予认定须说明理由。"))
        new_points = Decimal("0.00")
    else:
        raise error("outcome", Code.OUTCOME_INVALID, _("认定结果“%(o)s”无效，应为认定、调整认定或不予认定。"), o=outcome)
    before = audit.snapshot(declaration, DECLARATION_FIELDS)
    declaration.status = outcome
    declaration.decided_points = new_points
    declaration.decision_reason = reason
    declaration.decided_at_meeting = meeting
    declaration.decided_by = by
    return audit.entry(AuditAction.DECLARATION_DECIDED, declaration, actor=by, before=before,
                       after=audit.snapshot(declaration, DECLARATION_FIELDS), review_round=rr,
                       organisation=rr.organisation)


def _history(process, kind, by, clauses):
    """One act of the branch meeting step in the process history (``workflow.history``)."""
    task = active_task(process, flows.ReviewRoundFlow.branch_meeting)
    history.record(kind, process, task=task, actor=by, clauses=clauses)


def _decide(rr, process, meeting, declaration, by, outcome, points, reason):
    entry = _apply_decision(rr, meeting, declaration, by, outcome, points, reason)
    declaration.save(update_fields=DECIDED_FIELDS)
    audit.record_many([entry])
    shown = "" if outcome == DeclarationStatus.REJECTED else signed_points_text(signed_points(declaration,
                                                                                              declaration.decided_points))
    _history(process, EventKind.DECIDED, by, [(gettext_noop("%(member)s：%(outcome)s %(points)s"), {
        "member": declaration.member.name, "outcome": history.msgid(DeclarationStatus(outcome).label), "points": shown})])
    return declaration


def decision_token(declaration):
    """The decision a screen showed, as a short token (optimistic concurrency): it changes
    whenever anyone decides or revises the declaration, so a form carrying an older token is stale."""
    raw = "|".join(str(v) for v in (declaration.pk, declaration.status, declaration.decided_points,
                                    declaration.decision_reason, declaration.decided_at_meeting_id,
                                    declaration.decided_by_id))
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _conflict(declaration):
    who = declaration.decided_by.get_full_name() or declaration.decided_by.username if declaration.decided_by else ""
    return (_("申报“%(d)s”已在您打开本页后由%(who)s改为“%(status)s”，您的认定未保存，请核对后重新填写。"),
            {"d": declaration, "who": who or _("他人"), "status": declaration.get_status_display()})


def decision_conflict(declaration):
    """The ``conflict`` answer to a stale form (a ``StepConflict``): who decided what meanwhile."""
    message, params = _conflict(declaration)
    return step_conflict(Code.CONFLICT, message, **params)


def decide_declaration(declaration, by, outcome, *, points=None, reason="", expected=None):
    """Approve, adjust (new points + reason) or reject (reason) one declaration at the meeting.

    ``outcome``: ``DeclarationStatus.APPROVED`` / ``ADJUSTED`` / ``REJECTED``; ``points``: the
    adjusted points (Decimal-like). ``expected``: the :func:`decision_token` the form showed;
    when given, the decision is refused if the declaration changed since (checked under the
    row lock). Returns the decided ``Declaration``.

    Raises:
        PermissionDenied: ``by`` is not branch staff.
        StepConflict: ``round_not_at_branch_meeting``; ``conflict`` (a stale ``expected``).
        ValidationError: ``declaration_not_collected``, ``meeting_not_recorded``,
            ``meeting_without_quorum``, ``declaration_withdrawn`` (whole step);
            ``decided_points_missing`` / ``decided_points_unchanged`` / ``points_*``
            (decided_points), ``decision_reason_missing`` (reason), ``outcome_invalid`` (outcome).
    """
    declaration = Declaration.objects.select_related("review_round__organisation").get(pk=declaration.pk)
    if declaration.review_round_id is None:
        raise error(NON_FIELD_ERRORS, Code.DECLARATION_NOT_COLLECTED, _("申报“%(d)s”尚未纳入审核批次。"), d=declaration)
    require(by, declaration.review_round.organisation, BRANCH_STAFF)
    with locked_round(declaration.review_round) as (rr, process):
        _require_branch_meeting_step(rr)
        meeting = _quorate_meeting(rr)
        fresh = Declaration.objects.select_for_update().select_related("member").get(pk=declaration.pk)
        if expected is not None and decision_token(fresh) != expected:
            message, params = _conflict(fresh)
            raise step_conflict(Code.CONFLICT, message, **params)
        return _decide(rr, process, meeting, fresh, by, outcome, points, reason)


def bulk_approve(review_round, by, declarations=None):
    """Approve every listed (default: every undecided) declaration of the round as declared.

    Refuses the whole batch when one of the listed declarations was meanwhile decided by
    someone else, so nothing is applied twice. Returns the approved declarations.

    Raises:
        StepConflict: ``round_not_at_branch_meeting``, ``declarations_already_decided``,
            ``nothing_to_approve``.
        ValidationError: ``declaration_not_in_round``, ``meeting_not_recorded``, ``meeting_without_quorum``.
    """
    require(by, review_round.organisation, BRANCH_STAFF)
    with locked_round(review_round) as (rr, process):
        _require_branch_meeting_step(rr)
        meeting = _quorate_meeting(rr)
        qs = rr.declarations.select_for_update(of=("self",)).select_related("member").order_by("pk")
        if declarations is None:
            chosen = list(qs.filter(status=DeclarationStatus.SUBMITTED))
        else:
            ids = {d.pk if hasattr(d, "pk") else int(d) for d in declarations}
            chosen = list(qs.filter(pk__in=ids))
            missing = ids - {d.pk for d in chosen}
            if missing:
                raise error(NON_FIELD_ERRORS, Code.DECLARATION_NOT_IN_ROUND, _("申报 %(ids)s 不属于审核批次“%(round)s”。"),
                            ids=sorted(missing), round=rr)
            already = [d for d in chosen if d.status != DeclarationStatus.SUBMITTED]
            if already:
                raise step_conflict(Code.DECLARATIONS_ALREADY_DECIDED, _("以下申报已被认定或撤回，请刷新后重试：%(list)s。"),
                                    list=join_clauses(str(d) for d in already))
        if not chosen:
            raise step_conflict(Code.NOTHING_TO_APPROVE, _("审核批次“%(round)s”没有待认定的申报。"), round=rr)
        # A constant number of queries for any batch: one UPDATE per 500 rows, one audit insert.
        entries = [_apply_decision(rr, meeting, d, by, DeclarationStatus.APPROVED, None, "") for d in chosen]
        Declaration.objects.bulk_update(chosen, DECIDED_FIELDS, batch_size=500)
        audit.record_many(entries)
        _history(process, EventKind.DECIDED, by, [(gettext_noop("批量认定 %(n)s 项：%(names)s"), {
            "n": len(chosen), "names": roll_call.MINUTES_LIST_MARK.join(dict.fromkeys(d.member.name for d in chosen))})])
        return chosen


def submit_to_higher(review_round, by):
    """Complete the branch meeting step: every declaration decided, quorum met → report upward.

    Requests the meeting record (会议记录, ``documents.kinds.meeting_record``) and moves the round
    to higher review.

    Raises:
        PermissionDenied: ``by`` is not the branch secretary.
        StepConflict: ``round_not_at_branch_meeting``; ``step_closed`` when someone else submitted.
        ValidationError (whole step): ``meeting_not_recorded``, ``meeting_without_quorum``,
            ``guide_signatory_not_recorded``, ``nothing_decided``, ``declarations_undecided``.
    """
    require(by, review_round.organisation, ROUND_OWNERS)
    flow_class = flows.ReviewRoundFlow
    with locked_round(review_round) as (rr, process):
        _require_branch_meeting_step(rr)
        meeting = _quorate_meeting(rr)
        if rr.requires_guide_signatory and not meeting.guide_signatory:
            raise error(NON_FIELD_ERRORS, Code.GUIDE_SIGNATORY_NOT_RECORDED,
                        _("农村积分方案要求党建指导员到会签字，本次会议未记录党建指导员。"))
        if not rr.declarations.filter(status__in=DECIDED).exists():
            raise error(NON_FIELD_ERRORS, Code.NOTHING_DECIDED,
                        _("审核批次“%(round)s”没有任何已认定的申报，无需报上级审查。"), round=rr)
        undecided = rr.declarations.filter(status=DeclarationStatus.SUBMITTED)
        if undecided.exists():
            names = join_clauses(str(d) for d in undecided[:5])
            raise error(NON_FIELD_ERRORS, Code.DECLARATIONS_UNDECIDED,
                        _("还有 %(n)s 项申报未认定（%(list)s），不能报上级审查。"), n=undecided.count(), list=names)
        task = complete_human_task(
            process, flow_class.branch_meeting, by,
            _("审核批次“%(round)s”的支部会议审核已由他人提交。") % {"round": rr},
        )
        docs.request_document(
            docs.DOC_MEETING_RECORD,
            organisation=rr.organisation,
            context=meeting_record.build_context(meeting, signed_points=signed_points),
            triggered_by=by,
            process=process,
            task=task,
            subject_key=f"round:{rr.pk}:pass:{rr.review_pass}",
        )
        set_round_status(rr, RoundStatus.HIGHER_REVIEW, actor=by, action=AuditAction.ROUND_SUBMITTED)
        return rr
