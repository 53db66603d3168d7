"""Error codes of the year-end services (``appraisals.services``), one per kind of refusal.

Every ``ValidationError`` raised by ``appraisals.services.*`` carries one of these codes, and
is keyed by the input it concerns, as Django's own forms do::

    ValidationError({"votes": ValidationError(msg, code=AppraisalErrorCode.NO_VOTES, params={...})})

Errors about no single input (a step that is closed, a computation that failed) carry a code
but no field. ``StepConflict`` (``workflow.steps``) is a ValidationError too: the step is not
(or no longer) open. Modelled on saleor ``order/error_codes.py``.
"""
from enum import StrEnum


class AppraisalErrorCode(StrEnum):
    # -- inputs of any step (the field names the input) --
    REQUIRED = "required"
    NOT_A_NUMBER = "not_a_number"
    NOT_AN_INTEGER = "not_an_integer"
    NEGATIVE = "negative"
    OUT_OF_RANGE = "out_of_range"
    # -- opening (field: organisation, scheme_version, publicity_days) --
    ORGANISATION_CANNOT_EVALUATE = "organisation_cannot_evaluate"
    NO_HIGHER_ORGANISATION = "no_higher_organisation"
    NO_SCHEME_IN_FORCE = "no_scheme_in_force"
    SCHEME_NOT_APPLICABLE = "scheme_not_applicable"
    PUBLICITY_TOO_SHORT = "publicity_too_short"
    EVALUATION_EXISTS = "evaluation_exists"
    EVALUATION_OVERLAPS = "evaluation_overlaps"
    # -- democratic appraisal (field: score, votes, raters, components, flags, member) --
    ONE_APPRAISAL_METHOD = "one_appraisal_method"
    APPRAISAL_PER_COMPONENT = "appraisal_per_component"
    UNKNOWN_APPRAISAL_COMPONENT = "unknown_appraisal_component"
    APPRAISAL_COMPONENT_MISSING = "appraisal_component_missing"
    VOTES_NOT_BY_GRADE = "votes_not_by_grade"
    UNKNOWN_VOTE_GRADE = "unknown_vote_grade"
    NO_VOTES = "no_votes"
    RATERS_NOT_GIVEN = "raters_not_given"
    INVALID_FLAGS = "invalid_flags"
    FLAG_NAME_BLANK = "flag_name_blank"
    INVALID_FLAG_VALUE = "invalid_flag_value"
    MEMBER_OUTSIDE_ORGANISATION = "member_outside_organisation"
    MEMBER_NOT_EVALUATED = "member_not_evaluated"
    # -- importing the appraisal from a spreadsheet (field: file) --
    IMPORT_UNREADABLE = "import_unreadable"
    IMPORT_HEADER_MISSING = "import_header_missing"
    IMPORT_ROWS_REFUSED = "import_rows_refused"
    # -- the evaluation's steps (StepConflict, no field) --
    EVALUATION_NOT_EDITABLE = "evaluation_not_editable"
    EVALUATION_WRONG_STATUS = "evaluation_wrong_status"
    NO_RESULTS = "no_results"
    COMPUTATION_FAILED = "computation_failed"
    LEDGER_FINDINGS_UNCONFIRMED = "ledger_findings_unconfirmed"
    # -- the higher committee's review (field: comments, publicity_start) --
    COMMENTS_REQUIRED = "comments_required"
    PUBLICITY_START_PAST = "publicity_start_past"
    # -- dispositions (field: months, entitled, present, votes_for, measure, outcome) --
    WRONG_DISPOSITION_ACTION = "wrong_disposition_action"
    DISPOSITION_HANDLED = "disposition_handled"
    DISPOSITION_WRONG_STATUS = "disposition_wrong_status"
    RECTIFICATION_PERIOD_OUT_OF_RANGE = "rectification_period_out_of_range"
    NO_ONE_ENTITLED = "no_one_entitled"
    MORE_PRESENT_THAN_ENTITLED = "more_present_than_entitled"
    MORE_VOTES_THAN_PRESENT = "more_votes_than_present"
    NO_QUORUM = "no_quorum"
    NO_MAJORITY = "no_majority"
    INVALID_MEASURE = "invalid_measure"
    INVALID_OUTCOME = "invalid_outcome"
    NOT_IN_RECTIFICATION = "not_in_rectification"
    RECTIFICATION_NOT_OVER = "rectification_not_over"
    # -- a place tied at a quota edge (field: members, reason) --
    NO_SUCH_TIE = "no_such_tie"
    WRONG_NUMBER_AWARDED = "wrong_number_awarded"
    NOT_AMONG_TIED = "not_among_tied"
    MEMBER_UNDER_DISPOSAL = "member_under_disposal"
    REASON_REQUIRED = "reason_required"
    # -- published results (appraisals.models.ResultImmutable) --
    RESULT_IMMUTABLE = "result_immutable"
