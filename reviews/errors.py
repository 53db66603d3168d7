"""Every error code the review chain raises, and the one way to raise them.

Services raise ``ValidationError`` the way Django's own forms do: a dict from the field the
error concerns to a ``ValidationError`` with a ``code`` and ``params``::

    raise ValidationError({"points": ValidationError(msg, code="points_fixed_by_item", params={...})})

``NON_FIELD_ERRORS`` (``"__all__"``) is the key of an error about the whole step. Screens place
each error by its field (``workflow.forms.apply_error``) and tests check the code, so neither
depends on the wording or on the language. ``PermissionDenied`` is never turned into one of
these. ``workflow.steps`` adds its own codes (``busy``, ``step_closed``, ``no_process``) for the
flow lock and for tasks already completed.

The values are the code strings themselves (``ReviewErrorCode.POINTS_FIXED_BY_ITEM ==
"points_fixed_by_item"``), as in saleor's ``order/error_codes.py``.
"""
from enum import StrEnum

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from workflow.steps import StepConflict

__all__ = ["NON_FIELD_ERRORS", "ReviewErrorCode", "error", "step_conflict"]


class ReviewErrorCode(StrEnum):
    # -- points (any form field that takes points) -------------------------------------------
    POINTS_INVALID = "points_invalid"
    """A points value is not a number (``"abc"``, ``NaN``)."""
    POINTS_TOO_PRECISE = "points_too_precise"
    """A points value has more than two decimal places."""
    POINTS_TOO_LARGE = "points_too_large"
    """A points value is ±1,000,000 or beyond."""

    # -- rounds (open_round, collect_declarations) -------------------------------------------
    NO_HIGHER_ORGANISATION = "no_higher_organisation"
    """The branch has no parent organisation to file with, so it cannot open a round."""
    PERIOD_KIND_INVALID = "period_kind_invalid"
    """The round's period kind is not a month, quarter, half-year or year."""
    PERIOD_END_BEFORE_START = "period_end_before_start"
    """The round's last day is before its first day."""
    PERIOD_START_TOO_LATE = "period_start_too_late"
    """The round's period starts more than a month after today (issue 13)."""
    PERIOD_START_TOO_EARLY = "period_start_too_early"
    """The round's period starts more than ten years back (issue 13)."""
    PUBLICITY_TOO_SHORT = "publicity_too_short"
    """The publicity window is shorter than the 7 days the rules require."""
    CYCLE_START_AFTER_PERIOD = "cycle_start_after_period"
    """The assessment cycle starts after the review period does."""
    ROUND_OVERLAPS = "round_overlaps"
    """The branch already has a round whose period overlaps the one asked for."""
    ROUND_ALREADY_SUBMITTED = "round_already_submitted"
    """Declarations are collected only while the round is at its branch meeting."""

    # -- declarations (create_declaration, add_evidence, withdraw_declaration) ---------------
    REPORTER_DETAILS_MISSING = "reporter_details_missing"
    """A declaration reported by the public lacks the reporter's name or contact."""
    REPORTER_KIND_INVALID = "reporter_kind_invalid"
    """The way of declaring is not one of self, clerk, grid worker or public."""
    MEMBER_INACTIVE = "member_inactive"
    """The member is no longer on the roll."""
    COMPONENT_MISSING = "component_missing"
    """No scoring component was given."""
    RULE_ITEM_MISSING = "rule_item_missing"
    """No rule item was given."""
    DESCRIPTION_MISSING = "description_missing"
    """The declaration does not say what happened."""
    OCCURRED_ON_INVALID = "occurred_on_invalid"
    """The date of the event is not a date."""
    OCCURRED_ON_FUTURE = "occurred_on_future"
    """The event is dated after today."""
    OCCURRED_ON_TOO_EARLY = "occurred_on_too_early"
    """The event is dated more than ten years back: no round could take it (issue 13)."""
    # The scheme's answers (``scoring_engine.errors.DECLARATION_CODES``, raised through
    # ``reviews.integration.declaration_error``); INVALID_QUANTITY and POINTS_REQUIRED also
    # without a scheme in force.
    UNKNOWN_COMPONENT = "unknown_component"
    """The component is not in the scheme in force, or takes no declarations (民主评议)."""
    UNKNOWN_ITEM = "unknown_item"
    """The component lists its rule items and the one given is not among them."""
    INVALID_QUANTITY = "invalid_quantity"
    """The quantity is not a whole number of at least 1."""
    ITEM_COUNT_EXCEEDED = "item_count_exceeded"
    """The rule item may be counted at most N times and the quantity is larger."""
    ITEM_PERIOD_COUNT_EXCEEDED = "item_period_count_exceeded"
    """The rule item counts at most N times in its period (当年, 每月) and that many are declared already."""
    POINTS_FIXED_BY_ITEM = "points_fixed_by_item"
    """The rule item fixes the points (× quantity) and other points were given."""
    POINTS_REQUIRED = "points_required"
    """No points were given and the rule item (or the missing scheme) fixes none."""
    POINTS_OUT_OF_RANGE = "points_out_of_range"
    """The points are outside the rule item's minimum–maximum (× quantity)."""
    POINTS_MUST_BE_POSITIVE = "points_must_be_positive"
    """The component records every event as a positive number (deductions too)."""
    POINTS_MUST_BE_NEGATIVE = "points_must_be_negative"
    """The component records every event as a negative number."""
    EVIDENCE_TOO_LARGE = "evidence_too_large"
    """An evidence file is larger than ``JIFEN_EVIDENCE_MAX_BYTES``."""
    EVIDENCE_EMPTY = "evidence_empty"
    """An evidence file is empty."""
    EVIDENCE_TYPE_NOT_ACCEPTED = "evidence_type_not_accepted"
    """An evidence file's content is not JPEG, PNG, WebP, HEIC or PDF."""
    BATCH_UNREADABLE = "batch_unreadable"
    """A batch sheet is too large, not an .xlsx, damaged, headless, too long or empty (field ``file``)."""
    BATCH_ROWS_REFUSED = "batch_rows_refused"
    """Rows of a batch sheet were refused; ``params["report"]`` lists each, nothing was written."""
    DECLARATION_ALREADY_DECIDED = "declaration_already_decided"
    """Evidence is added, or a withdrawal asked, after the declaration was decided or withdrawn."""
    DECLARATION_UNDER_REVIEW = "declaration_under_review"
    """A withdrawal is asked after the branch meeting took the declaration up."""

    # -- branch meeting (record_meeting, decide_declaration, bulk_approve, submit_to_higher) --
    ROUND_NOT_AT_BRANCH_MEETING = "round_not_at_branch_meeting"
    """(StepConflict) The round is no longer, or not yet, at its branch meeting."""
    MEETING_KIND_INVALID = "meeting_kind_invalid"
    """The meeting is neither a general meeting of the branch nor a committee meeting."""
    MEETING_DATE_INVALID = "meeting_date_invalid"
    """The meeting date is not a date or is after today."""
    MEETING_BEFORE_PERIOD = "meeting_before_period"
    """The meeting was held before the review period began."""
    ATTENDANCE_NOT_INTEGER = "attendance_not_integer"
    """The entitled or present count is not a whole number."""
    ENTITLED_COUNT_TOO_SMALL = "entitled_count_too_small"
    """The entitled count is 0 or less."""
    ENTITLED_BELOW_RECORD = "entitled_below_record"
    """The typed entitled count is below the members (or committee) on record (issue 13)."""
    ENTITLED_ABOVE_RECORD = "entitled_above_record"
    """The typed entitled count is above the members (or committee) on record: whoever is entitled
    is on record (trial 5)."""
    COMMITTEE_NOT_ON_RECORD = "committee_not_on_record"
    """A 支委会 in a branch with fewer than 3 committee role holders on record (issue 13)."""
    ATTENDANCE_EXCEEDS_ENTITLED = "attendance_exceeds_entitled"
    """More people were present than were entitled to attend."""
    ATTENDEE_LIST_MISMATCH = "attendee_list_mismatch"
    """The list of attendees and the present count disagree."""
    ATTENDEE_NOT_ENTITLED = "attendee_not_entitled"
    """A listed attendee is not entitled to the meeting: not on its committee (支委会) or not a
    full member of the branch (党员大会)."""
    MINUTE_TAKER_MISSING = "minute_taker_missing"
    """The meeting record names no minute taker."""
    GUIDE_SIGNATORY_MISSING = "guide_signatory_missing"
    """A rural scheme requires the 党建指导员 at the meeting and none was named."""
    MEETING_PLACE_MISSING = "meeting_place_missing"
    CHAIR_NOT_PRESENT = "chair_not_present"
    """The meeting record names no place (the minutes print it)."""
    ABSENTEE_ALSO_PRESENT = "absentee_also_present"
    """Someone ticked present at a meeting is also listed among its absentees."""
    ABSENTEES_MISSING = "absentees_missing"
    """Fewer attended than were entitled and the absentees are not named."""
    MEETING_NOT_RECORDED = "meeting_not_recorded"
    """Declarations are decided, or the round reported, before this pass's meeting is recorded."""
    MEETING_CORRECTION_REPORTED = "meeting_correction_reported"
    """A meeting record is corrected while its round waits on the higher level: withdraw the report first."""
    MEETING_CORRECTION_CLOSED = "meeting_correction_closed"
    """A meeting record is corrected after its round was filed, or a meeting of an earlier pass is."""
    MEETING_CORRECTION_LOSES_QUORUM = "meeting_correction_loses_quorum"
    """A corrected meeting record would leave decisions taken at it without a quorum."""
    MEETING_CORRECTION_REASON_MISSING = "meeting_correction_reason_missing"
    """A meeting record is corrected without saying what was wrong."""
    MEETING_WITHOUT_QUORUM = "meeting_without_quorum"
    """The meeting had no more than half of those entitled, so its decisions are void."""
    DECLARATION_NOT_COLLECTED = "declaration_not_collected"
    """The declaration belongs to no review round yet."""
    DECLARATION_NOT_IN_ROUND = "declaration_not_in_round"
    """A declaration named for a decision belongs to another round."""
    DECLARATION_WITHDRAWN = "declaration_withdrawn"
    """A decision is asked for a withdrawn declaration."""
    OUTCOME_INVALID = "outcome_invalid"
    """The outcome of a decision or of an objection's answer is not one of the allowed ones."""
    DECIDED_POINTS_MISSING = "decided_points_missing"
    """An adjusted decision gives no new points."""
    DECIDED_POINTS_UNCHANGED = "decided_points_unchanged"
    """An adjusted decision gives the points already declared (approve instead)."""
    DECISION_REASON_MISSING = "decision_reason_missing"
    """An adjusted or rejected decision gives no reason."""
    DECISION_REASON_TOO_LONG = "decision_reason_too_long"
    """The reason given for a decision is longer than the 300 characters stored (issue 13)."""
    DECLARATIONS_ALREADY_DECIDED = "declarations_already_decided"
    """(StepConflict) Some declarations of a bulk approval were decided or withdrawn meanwhile."""
    CONFLICT = "conflict"
    """(StepConflict) The declaration's decision changed after the form was shown (someone else
    decided it meanwhile): the stale form is refused, so no decision is silently overwritten."""
    NOTHING_TO_APPROVE = "nothing_to_approve"
    """(StepConflict) A bulk approval finds no undecided declaration."""
    GUIDE_SIGNATORY_NOT_RECORDED = "guide_signatory_not_recorded"
    """A rural round is reported upward but its meeting recorded no 党建指导员."""
    NOTHING_DECIDED = "nothing_decided"
    """The round is reported upward without a single decided declaration."""
    DECLARATIONS_UNDECIDED = "declarations_undecided"
    """The round is reported upward while declarations are still undecided."""

    # -- higher-level review (file_round, return_round) --------------------------------------
    ROUND_NOT_AT_HIGHER_REVIEW = "round_not_at_higher_review"
    """(StepConflict) The round is not awaiting the higher committee's review."""
    PUBLICITY_START_BEFORE_MEETING = "publicity_start_before_meeting"
    """The publicity would start before the branch meeting was held."""
    PUBLICITY_START_TOO_LATE = "publicity_start_too_late"
    """The publicity would start more than 30 days from today."""
    PUBLICITY_START_BEFORE_FILING = "publicity_start_before_filing"
    """The publicity would start before the higher committee filed the round (公示在备案之后)."""
    FILED_ON_OUT_OF_RANGE = "filed_on_out_of_range"
    """A filing recorded after the fact (补录) is dated after today or before the branch meeting."""
    COMMENTS_MISSING = "comments_missing"
    """A round is returned without comments saying what to change."""
    REASON_REQUIRED = "reason_required"
    """A report is withdrawn (撤回) without saying why."""

    # -- objections (lodge, answer, file explanation, supervise) -----------------------------
    OBJECTOR_NAME_MISSING = "objector_name_missing"
    """An objection gives no name."""
    OBJECTOR_CONTACT_MISSING = "objector_contact_missing"
    """An objection gives no contact to answer to."""
    OBJECTION_REASON_MISSING = "objection_reason_missing"
    """An objection gives no reason."""
    RECEIVED_ON_FUTURE = "received_on_future"
    """An objection is recorded as received after today."""
    DECLARATION_NOT_PUBLISHED = "declaration_not_published"
    """The declaration is in no round, so it was never published."""
    OUTSIDE_PUBLICITY_WINDOW = "outside_publicity_window"
    """The objection arrives on a day the round's publicity is not open."""
    DECLARATION_NOT_IN_PUBLICITY = "declaration_not_in_publicity"
    """The declaration is not among the items of the current publicity."""
    ANSWER_REASON_MISSING = "answer_reason_missing"
    """An answer gives no findings or reason."""
    ANSWERED_ON_FUTURE = "answered_on_future"
    """An answer is dated after today."""
    ANSWERED_ON_BEFORE_RECEIVED = "answered_on_before_received"
    """An answer is dated before the objection was received."""
    CORRECTED_POINTS_MISSING = "corrected_points_missing"
    """An upheld objection gives no corrected points."""
    CORRECTED_POINTS_UNCHANGED = "corrected_points_unchanged"
    """An upheld objection 'corrects' the points to the value they already have."""
    CORRECTED_POINTS_NOT_ALLOWED = "corrected_points_not_allowed"
    """A dismissed objection gives corrected points."""
    OBJECTION_ALREADY_ANSWERED = "objection_already_answered"
    """(StepConflict) The objection was answered already."""
    OBJECTION_NOT_ANSWERED = "objection_not_answered"
    """An explanation is filed before the branch answered the objection."""
    EXPLANATION_ALREADY_FILED = "explanation_already_filed"
    """(StepConflict) The explanation was filed already."""
    NOTE_MISSING = "note_missing"
    """The higher committee's supervision of an overdue answer gives no note."""
    OBJECTION_DUPLICATE = "objection_duplicate"
    """The same objector already lodged the same text against the same declaration."""
    OBJECTION_CLIENT_LIMIT = "objection_client_limit"
    """One client (IP address) lodged as many public objections as allowed in the window."""
    OBJECTION_DECLARATION_LIMIT = "objection_declaration_limit"
    """The declaration received as many public objections as allowed in the window."""


def error(field, code, message, **params):
    """``ValidationError({field: ValidationError(message, code=code, params=params)})``.

    ``field``: the form field the error concerns, or ``NON_FIELD_ERRORS``; ``code``: a
    ``ReviewErrorCode``; ``message``: the translated text with ``%(name)s`` placeholders
    filled from ``params`` when shown.
    """
    return ValidationError({field: ValidationError(message, code=ReviewErrorCode(code).value, params=params or None)})


def step_conflict(code, message, **params):
    """A ``workflow.steps.StepConflict`` about the whole step, with ``code`` and ``params``."""
    return StepConflict({NON_FIELD_ERRORS: ValidationError(message, code=ReviewErrorCode(code).value,
                                                           params=params or None)})
