"""更正会议记录: the branch corrects a meeting it recorded wrongly (attendees, date, place...) while
its round is still at the branch meeting; once reported upward the report is withdrawn first
(``withdrawal.withdraw_report``), once filed the record stands (a return opens a new pass and meeting)."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from organisations.permissions import BRANCH_STAFF, require
from workflow import history
from workflow.models import EventKind
from workflow.steps import active_task

from .. import audit, flows
from ..audit import AuditAction
from ..attendance import Attendance, attendance, split_entries
from ..errors import NON_FIELD_ERRORS, error
from ..errors import ReviewErrorCode as Code
from ..models import BranchMeeting, MeetingKind, RoundStatus
from .common import locked_round
from .meeting import checked_meeting, check_in_round
from .roll_call import MINUTES_LIST_MARK

#: The fields of a meeting record a correction may change (and the audit trail keeps before and after).
CORRECTED_FIELDS = ("kind", "held_on", "place", "chair", "entitled_count", "attendee_count", "attendee_names",
                    "absentee_names", "minute_taker", "guide_signatory", "observers")


def correct_meeting(meeting, by, *, reason, kind, held_on, minute_taker, entitled_count=None, attendee_count=None,
                    attendees=(), attendee_names="", guide_signatory="", observers="", place="", chair="",
                    absentee_names="", present_keys=None):
    """Correct ``meeting`` (a ``BranchMeeting``) in place, with ``reason`` (what was wrong); returns it.

    The arguments and checks are those of :func:`reviews.services.meeting.record_meeting`; the
    decisions taken at the meeting stay with it. The correction is in the process history
    (``EventKind.CORRECTED`` on the branch meeting task) and in the audit trail
    (``meeting_corrected``, the fields before and after, and the reason).

    Raises:
        PermissionDenied: ``by`` is not branch staff.
        ValidationError: ``meeting_correction_reason_missing`` (reason);
            ``meeting_correction_reported`` (whole step) while the round waits on the higher level
            (withdraw the report first); ``meeting_correction_closed`` (whole step) once it was filed,
            or for a meeting of an earlier pass; ``meeting_correction_loses_quorum`` (attendee_count)
            when decisions were taken at it and the corrected attendance has no quorum; and every
            error of ``record_meeting`` with its field.
    """
    require(by, meeting.review_round.organisation, BRANCH_STAFF)
    reason = (reason or "").strip()
    if not reason:
        raise error("reason", Code.MEETING_CORRECTION_REASON_MISSING, _("请写明更正理由（原记录哪里有误）。"))
    with locked_round(meeting.review_round) as (rr, process):
        _require_correctable(rr, meeting)
        values, attendees = checked_meeting(
            rr, kind=kind, held_on=held_on, minute_taker=minute_taker, entitled_count=entitled_count,
            attendee_count=attendee_count, attendees=attendees, attendee_names=attendee_names,
            guide_signatory=guide_signatory, observers=observers, place=place, chair=chair,
            absentee_names=absentee_names, present_keys=present_keys)
        check_in_round(rr, values, attendees)
        fresh = BranchMeeting.objects.select_for_update().get(pk=meeting.pk)
        if (attendance(values["entitled_count"], values["attendee_count"]) != Attendance.VALID
                and fresh.decisions.exists()):
            raise error("attendee_count", Code.MEETING_CORRECTION_LOSES_QUORUM,
                        _("本次会议已认定 %(n)s 项申报；更正后应到 %(e)s 人、实到 %(a)s 人，未超过半数，认定将失去依据。"
                          "如确实未达到半数，请另行召开会议重新审核。"),
                        n=fresh.decisions.count(), e=values["entitled_count"], a=values["attendee_count"])
        before = audit.snapshot(fresh, CORRECTED_FIELDS)
        for name, value in values.items():
            setattr(fresh, name, value)
        fresh.save(update_fields=list(values))
        fresh.attendees.set(attendees)
        task = active_task(process, flows.ReviewRoundFlow.branch_meeting)
        after = audit.snapshot(fresh, CORRECTED_FIELDS)
        history.record(EventKind.CORRECTED, process, task=task, actor=by,
                       clauses=[(gettext_noop("%(reason)s"), {"reason": reason}), *change_clauses(before, after)])
        audit.record(AuditAction.MEETING_CORRECTED, fresh, actor=by, review_round=rr, before=before,
                     after={**after, "reason": reason, "has_quorum": fresh.has_quorum})
        return fresh


#: The longest value a history line shows of a changed field (names lists are cut with "…").
SHORT = 24


def _short(field, value):
    if value in (None, ""):
        return "—"
    if field == "kind":
        return history.msgid(MeetingKind(value).label)  # the history words it in its reader's language
    text = str(value)
    return text if len(text) <= SHORT else text[:SHORT - 1] + "…"


def change_clauses(before, after):
    """``[(msgid, params)]``, one per changed field of a meeting record: its label, before → after
    (values cut to :data:`SHORT` characters), for ``workflow.history.record(..., clauses=...)``."""
    clauses = []
    for name in CORRECTED_FIELDS:
        if before.get(name) == after.get(name):
            continue
        label = history.msgid(BranchMeeting._meta.get_field(name).verbose_name)
        listed = name in NAME_LISTS and max(len(str(before.get(name) or "")), len(str(after.get(name) or ""))) > SHORT
        if listed and (changed := _list_change(label, before.get(name), after.get(name))):
            clauses.extend(changed)
            continue
        clauses.append((gettext_noop("%(field)s：%(before)s → %(after)s"),
                        {"field": label, "before": _short(name, before.get(name)),
                         "after": _short(name, after.get(name))}))
    return clauses


#: The fields holding lists of names: a long one's change is told as the names added and taken out.
NAME_LISTS = ("attendee_names", "absentee_names", "observers")


def _list_change(label, before, after):
    """A names list's change as ``[(msgid, params)]``: the entries added, then those taken out
    (``[]`` when only their order changed). The names are joined as the minutes store them."""
    old, new = split_entries(before or ""), split_entries(after or "")
    added = [entry for entry in new if entry not in old]
    removed = [entry for entry in old if entry not in new]
    clauses = []
    if added:
        clauses.append((gettext_noop("%(field)s增加：%(names)s"), {"field": label, "names": MINUTES_LIST_MARK.join(added)}))
    if removed:
        clauses.append((gettext_noop("%(field)s删去：%(names)s"), {"field": label, "names": MINUTES_LIST_MARK.join(removed)}))
    return clauses


def _require_correctable(rr, meeting):
    if rr.status == RoundStatus.HIGHER_REVIEW:
        raise error(NON_FIELD_ERRORS, Code.MEETING_CORRECTION_REPORTED,
                    _("审核批次“%(round)s”已报上级审查：请先撤回上报，再更正会议记录。"), round=rr)
    if not rr.is_at_branch_meeting or meeting.review_pass != rr.review_pass:
        raise error(NON_FIELD_ERRORS, Code.MEETING_CORRECTION_CLOSED,
                    _("审核批次“%(round)s”已经上级审查备案（或该会议属于此前的审核），会议记录不能再更正。"), round=rr)
