"""The evaluation itself: opening, the democratic appraisal, the proposal, approval and publicity.

Sequence (DOMAIN.md §3, 篇四)::

    open_evaluation → record_appraisal (many) → finish_appraisal → [compute.flow_compute]
      → propose_results → approve_results | return_results
      → [flow_start_publicity … ≥ 7 days … flow_close_publicity]

Each step checks the organisation-tree permission, validates (``ValidationError`` keyed by
input, with an ``appraisals.errors.AppraisalErrorCode``), runs atomically under the
YearEndFlow lock, writes the audit trail and completes its flow task.
"""
import datetime
from collections import namedtuple
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import MemberKind, excluded_member_ids
from documents.kinds import year_end_publicity
from organisations.models import OrganisationKind
from organisations.permissions import BRANCH_STAFF, require
from reviews import audit
from reviews.audit import AuditAction
from schemes.models import SchemeVersion
from workdays.clock import local_today, start_of_day
from workflow.steps import StepConflict, complete_human_task

from .. import announce, flows
from ..errors import AppraisalErrorCode as Code
from ..models import EDITABLE_STATUSES, AppraisalInput, AppraisalMethod, Evaluation, EvaluationStatus
from ._shared import (  # noqa: F401  (EVALUATED_KINDS re-exported)
    EVALUATED_KINDS,
    OWNERS,
    can_view,
    count_input,
    decimal_input,
    invalid,
    locked_evaluation,
    request_document,
    require_reviewer,
    subtree_members,
)
from . import findings
from .components import appraisal_components, clean_components, per_component
from workdays.wording import join_list

__all__ = [
    "OWNERS", "MIN_PUBLICITY_DAYS", "can_view", "open_evaluation", "evaluated_members",
    "evaluated_member_rows", "EvaluatedMember", "appraisal_scale",
    "record_appraisal", "finish_appraisal", "propose_results", "approve_results", "return_results",
    "flow_start_publicity", "flow_close_publicity", "require_editable",
]

#: 篇四 and the source's plans: result publicity lasts at least 7 days.
MIN_PUBLICITY_DAYS = 7
#: Organisations that may hold a year-end evaluation (a branch or higher).
EVALUATING_KINDS = (OrganisationKind.BRANCH, OrganisationKind.GENERAL_BRANCH, OrganisationKind.COMMITTEE)
#: Member kinds the year-end evaluation grades (activists and households are not 民主评议'd).
#: The vote grades of 民主测评, as the engine and the form name them.
VOTE_GRADES = {"优秀": "votes_excellent", "良好": "votes_good", "合格": "votes_qualified", "差": "votes_poor"}
#: What the audit trail keeps of an appraisal input.
APPRAISAL_FIELDS = ("method", "score", *VOTE_GRADES.values(), "rater_self", "rater_masses", "rater_leadership",
                    "components", "flags")


# -- opening ------------------------------------------------------------------------------------


def open_evaluation(*, organisation, by, scheme_version=None, on_date=None, publicity_days=None):
    """The secretary opens the year-end evaluation of ``organisation`` for the cycle of its scheme.

    ``scheme_version`` defaults to the scheme in force for ``organisation`` on ``on_date``
    (today); ``publicity_days`` to the scheme's own (``[review] publicity_days``, at least 7).
    Starts a YearEndFlow at its appraisal step. Returns the Evaluation.

    Raises PermissionDenied (not the secretary) or ValidationError on ``organisation``
    (``organisation_cannot_evaluate``, ``no_higher_organisation``, ``evaluation_exists``,
    ``evaluation_overlaps``), ``scheme_version`` (``no_scheme_in_force``,
    ``scheme_not_applicable``) or ``publicity_days`` (``not_an_integer``, ``publicity_too_short``).
    """
    require(by, organisation, OWNERS)
    if organisation.kind not in EVALUATING_KINDS:
        raise invalid(_("“%(org)s”是%(kind)s，年终评定须由党支部或更高一级党组织发起。"),
                      Code.ORGANISATION_CANNOT_EVALUATE, field="organisation",
                      org=organisation, kind=organisation.get_kind_display())
    if organisation.parent_id is None:
        raise invalid(_("“%(org)s”没有上级党组织，评定结果无法报上级审批。"), Code.NO_HIGHER_ORGANISATION,
                      field="organisation", org=organisation)
    if scheme_version is None:
        day = on_date or local_today()
        scheme_version = SchemeVersion.objects.in_force(organisation, day)
        if scheme_version is None:
            raise invalid(_("“%(org)s”及其上级在 %(day)s 没有适用的积分方案，请先设置方案。"), Code.NO_SCHEME_IN_FORCE,
                          field="scheme_version", org=organisation, day=day)
    scheme = scheme_version.scheme
    if not organisation.is_within(scheme.organisation):
        raise invalid(_("方案“%(s)s”属于“%(o)s”，不适用于“%(org)s”。"), Code.SCHEME_NOT_APPLICABLE,
                      field="scheme_version", s=scheme.name, o=scheme.organisation, org=organisation)
    if publicity_days is None:
        publicity_days = scheme_version.engine_scheme().review.publicity_days
    try:
        publicity_days = int(publicity_days)
    except (TypeError, ValueError):
        raise invalid(_("公示天数“%(d)s”不是整数。"), Code.NOT_AN_INTEGER, field="publicity_days",
                      d=publicity_days) from None
    if publicity_days < MIN_PUBLICITY_DAYS:
        raise invalid(_("公示期为 %(days)s 天，少于规定的 %(min)s 天。"), Code.PUBLICITY_TOO_SHORT,
                      field="publicity_days", days=publicity_days, min=MIN_PUBLICITY_DAYS)
    if Evaluation.objects.filter(organisation=organisation, cycle_start=scheme.cycle_start).exists():
        raise invalid(_("“%(org)s”已发起 %(year)s 年度的评定。"), Code.EVALUATION_EXISTS, field="organisation",
                      org=organisation, year=scheme.cycle_start.year)
    overlapping = Evaluation.objects.filter(
        Q(organisation__path__startswith=organisation.path) | Q(organisation__in=organisation.ancestors()),
        cycle_start=scheme.cycle_start,
    ).select_related("organisation").first()
    if overlapping is not None:
        raise invalid(_("“%(other)s”已对本周期发起评定，与“%(org)s”的成员重叠。"), Code.EVALUATION_OVERLAPS,
                      field="organisation", other=overlapping.organisation, org=organisation)
    with transaction.atomic():
        evaluation = Evaluation.objects.create(
            organisation=organisation, scheme_version=scheme_version, cycle_start=scheme.cycle_start,
            cycle_end=scheme.cycle_end, publicity_days=publicity_days, opened_by=by,
        )
        audit.record(AuditAction.EVALUATION_OPENED, evaluation, actor=by, organisation=organisation,
                     after={"scheme_version": scheme_version.pk, "number": scheme_version.number,
                            "cycle_start": evaluation.cycle_start, "cycle_end": evaluation.cycle_end})
        flows.YearEndFlow.start.run(evaluation=evaluation)
    return evaluation


# -- members and their democratic appraisal ------------------------------------------------------


def _candidates(evaluation):
    """The evaluated members' queryset and the ids among them an exclusion covers."""
    candidates = subtree_members(evaluation)
    approved_only = evaluation.scheme_version.engine_scheme().exclusion_approval == "higher"
    return candidates, excluded_member_ids(candidates, evaluation.cycle_end, approved_only=approved_only)


def evaluated_members(evaluation):
    """``(members, excluded)``: active members of the subtree, and those an exclusion (不纳入) covers.

    Whose decision excludes is the scheme's (``[exclusion] approval``): the branch's alone (篇十
    l.287 "经党支部讨论后可不纳入") or only once the higher committee approved it (篇四 l.141,
    the default).
    """
    candidates, excluded_ids = _candidates(evaluation)
    members, excluded = [], []
    for member in candidates.select_related("organisation", "category").order_by("organisation__path", "name", "pk"):
        (excluded if member.pk in excluded_ids else members).append(member)
    return members, excluded


class EvaluatedMember(namedtuple("EvaluatedMember", ["pk", "name", "organisation_id", "category_code", "kind"])):
    """A member as the year-end close reads it: the fields the engine needs, no model instance
    (a county closes 30,000 members). Prints as the member's name, as ``Member`` does."""

    __slots__ = ()

    def __str__(self):
        return self.name

    @property
    def is_probationary(self):
        return self.kind == MemberKind.PROBATIONARY


def evaluated_member_rows(evaluation):
    """:func:`evaluated_members` as :class:`EvaluatedMember` rows, in the same order: ``(members, excluded)``."""
    candidates, excluded_ids = _candidates(evaluation)
    members, excluded = [], []
    rows = candidates.order_by("organisation__path", "name", "pk").values_list(
        "pk", "name", "organisation_id", "category__code", "kind")
    for row in rows:
        (excluded if row[0] in excluded_ids else members).append(EvaluatedMember(*row))
    return members, excluded


def require_editable(evaluation):
    """Raises StepConflict(code="evaluation_not_editable") once the results went to the higher committee."""
    if evaluation.status not in EDITABLE_STATUSES:
        raise StepConflict(
            _("评定“%(e)s”当前状态为“%(s)s”，不能再修改民主评议或重新计算。"), code=Code.EVALUATION_NOT_EDITABLE,
            params={"e": evaluation, "s": evaluation.get_status_display()},
        )


def appraisal_scale(evaluation):
    """The appraisal score's maximum in the evaluation's scheme (100 unless the scheme says e.g. 20)."""
    scheme = evaluation.scheme_version.engine_scheme()
    scales = [c.appraisal_max for c in scheme.components if c.from_appraisal and c.appraisal_max is not None]
    return Decimal(max(scales)) if scales else Decimal("100")


#: The longest text a flag may carry (篇一 new_seller = "licence" / "small").
MAX_FLAG_TEXT = 40


def _flags(flags):
    """Attested flags (``{"sanctioned": True, "dues_unpaid_months": 3, "new_seller": "small"}``), names stripped.

    A value is yes/no, a non-negative whole number, or a short text (at most 40 characters).
    """
    flags = flags or {}
    if not isinstance(flags, dict):
        raise invalid(_("情形标记必须是“名称: 值”的形式。"), Code.INVALID_FLAGS, field="flags")
    clean = {}
    for key, value in flags.items():
        if not isinstance(key, str) or not key.strip():
            raise invalid(_("情形标记的名称不能为空。"), Code.FLAG_NAME_BLANK, field="flags")
        text = isinstance(value, str) and 0 < len(value.strip()) <= MAX_FLAG_TEXT
        number = isinstance(value, int) and (isinstance(value, bool) or value >= 0)
        if not (text or number):
            raise invalid(_("情形标记“%(k)s”的值应为是/否、非负整数或简短文字，实际为 %(v)s。"), Code.INVALID_FLAG_VALUE,
                          field="flags", k=key, v=value)
        clean[key.strip()] = value.strip() if text else value
    return clean


def _votes(votes):
    """The four vote counts as AppraisalInput fields; raises ValidationError on ``votes``."""
    if not isinstance(votes, dict):
        raise invalid(_("票数须按“优秀/良好/合格/差”分别填写。"), Code.VOTES_NOT_BY_GRADE, field="votes")
    unknown = set(votes) - set(VOTE_GRADES)
    if unknown:
        raise invalid(_("未知的票档：%(k)s；可选：优秀、良好、合格、差。"), Code.UNKNOWN_VOTE_GRADE, field="votes",
                      k=join_list(sorted(unknown)))
    labels = {"优秀": _("优秀票"), "良好": _("良好票"), "合格": _("合格票"), "差": _("差票")}
    counts = {name: count_input(votes.get(grade), labels[grade], field="votes") for grade, name in VOTE_GRADES.items()}
    if not any(counts.values()):
        raise invalid(_("总票数为 0，无法计算测评得分。"), Code.NO_VOTES, field="votes")
    return counts


def _raters(raters):
    """Self / masses / leadership scores (0–100) as AppraisalInput fields; raises ValidationError on ``raters``."""
    if not isinstance(raters, dict):
        raise invalid(_("请分别填写自评、群众评议、领导评议得分。"), Code.RATERS_NOT_GIVEN, field="raters")
    return {
        "rater_self": decimal_input(raters.get("self"), _("自评得分"), field="raters"),
        "rater_masses": decimal_input(raters.get("masses"), _("群众评议得分"), field="raters"),
        "rater_leadership": decimal_input(raters.get("leadership"), _("领导评议得分"), field="raters"),
    }


def record_appraisal(evaluation, member, by, *, score=None, votes=None, raters=None, components=None, flags=None):
    """Record (or replace) the democratic appraisal of ``member``: exactly one of score, votes, raters, components.

    ``score``: 0 … the scheme's appraisal maximum (``appraisal_scale``); ``votes``:
    ``{"优秀": n, "良好": n, "合格": n, "差": n}``; ``raters``: ``{"self", "masses",
    "leadership"}`` scores 0–100; ``components``: one of those per appraisal component (each
    star of 篇十三 非公 and 作业区; ``appraisals.services.components``), required when the scheme
    has several; ``flags``: attested situations the scheme's rules read — given alone, they are
    recorded without an appraisal (method ``none``). Returns the AppraisalInput.

    Raises PermissionDenied (not branch staff), StepConflict (``evaluation_not_editable``) or
    ValidationError: ``one_appraisal_method`` (no field), ``appraisal_per_component`` /
    ``unknown_appraisal_component`` / ``appraisal_component_missing`` (components), or on
    ``score`` / ``raters`` (``required``, ``not_a_number``, ``out_of_range``), ``votes``
    (``votes_not_by_grade``, ``unknown_vote_grade``, ``not_an_integer``, ``negative``,
    ``no_votes``), ``flags`` (``invalid_flags``, ``flag_name_blank``, ``invalid_flag_value``),
    ``member`` (``member_outside_organisation``).
    """
    require(by, evaluation.organisation, BRANCH_STAFF)
    given = [name for name, value in (("score", score), ("votes", votes), ("raters", raters),
                                      ("components", components)) if value not in (None, "", {})]
    flags_only = not given and bool(flags)
    if len(given) != 1 and not flags_only:
        raise invalid(_("民主评议须且只能填写一种：测评得分、各档票数、自评/群众/领导评分或分项评议。"),
                      Code.ONE_APPRAISAL_METHOD)
    if given and given != ["components"] and per_component(evaluation):
        raise invalid(_("该方案对每个评议项目（每颗星）分别评议，请按项目分别填写：%(names)s。"),
                      Code.APPRAISAL_PER_COMPONENT, field="components",
                      names=join_list(c.label for c in appraisal_components(evaluation)))
    fields = {"score": None, **dict.fromkeys(VOTE_GRADES.values(), 0),
              "rater_self": None, "rater_masses": None, "rater_leadership": None, "components": {}}
    if flags_only:
        # The branch attests situations (受处分, 未交党费月数…) for a member without an appraisal
        # (篇十四 归零指数 has no democratic appraisal at all).
        method = AppraisalMethod.NONE
    elif components not in (None, "", {}):
        method = AppraisalMethod.COMPONENTS
        fields["components"] = clean_components(evaluation, member, components)
    elif score not in (None, ""):
        method = AppraisalMethod.SCORE
        fields["score"] = decimal_input(score, _("测评得分"), field="score", high=appraisal_scale(evaluation))
    elif votes:
        method = AppraisalMethod.VOTES
        fields.update(_votes(votes))
    else:
        method = AppraisalMethod.RATERS
        fields.update(_raters(raters))
    flags = _flags(flags)
    with locked_evaluation(evaluation) as (ev, _process):
        require_editable(ev)
        if not member.organisation.is_within(ev.organisation):
            raise invalid(_("成员“%(m)s”不属于“%(org)s”，不能录入其民主评议。"), Code.MEMBER_OUTSIDE_ORGANISATION,
                          field="member", m=member, org=ev.organisation)
        before = audit.snapshot(AppraisalInput.objects.filter(evaluation=ev, member=member).first(), APPRAISAL_FIELDS)
        item, _created = AppraisalInput.objects.update_or_create(
            evaluation=ev, member=member, defaults={"method": method, "flags": flags, "recorded_by": by, **fields}
        )
        audit.record(AuditAction.APPRAISAL_RECORDED, item, actor=by, organisation=ev.organisation, before=before,
                     after=audit.snapshot(item, APPRAISAL_FIELDS))
    return item


def finish_appraisal(evaluation, by, *, confirm=False):
    """The branch closes the appraisal step; the flow then computes the results (``compute.flow_compute``).

    While the cycle's ledger does not fit the scheme (``findings.ledger_findings``: a scored
    component with no entry for anyone, entries under components the scheme lacks) the results
    would grade members on nothing and lead to dispositions: the branch must confirm (``confirm``)
    that it computes on the ledger as it is.

    Raises PermissionDenied, StepConflict (``evaluation_not_editable``, ``step_closed``) or
    ValidationError (``confirm``: ``ledger_findings_unconfirmed``; the computation's
    ``computation_failed``; the step then stays open).
    """
    require(by, evaluation.organisation, BRANCH_STAFF)
    with locked_evaluation(evaluation) as (ev, process):
        require_editable(ev)
        findings.require_confirmed(ev, confirm)
        complete_human_task(process, flows.YearEndFlow.appraisal, by, _("民主评议环节已结束或尚未开始。"))
    evaluation.refresh_from_db()
    return evaluation


# -- proposal and approval -----------------------------------------------------------------------


def propose_results(evaluation, by):
    """The secretary confirms the grades and reports them to the higher committee (支部提出等次意见).

    Raises PermissionDenied, StepConflict (``evaluation_wrong_status``, ``step_closed``) or
    ValidationError (``no_results``).
    """
    require(by, evaluation.organisation, OWNERS)
    with locked_evaluation(evaluation) as (ev, process):
        if ev.status not in (EvaluationStatus.COMPUTED, EvaluationStatus.RETURNED):
            raise StepConflict(_("评定当前状态为“%(s)s”，不能报上级。"), code=Code.EVALUATION_WRONG_STATUS,
                               params={"s": ev.get_status_display()})
        if not ev.results.exists():
            raise invalid(_("尚无评定结果，请先计算。"), Code.NO_RESULTS)
        before = {"status": ev.status}
        ev.status = EvaluationStatus.PROPOSED
        ev.proposed_by, ev.proposed_at = by, timezone.now()
        ev.save(update_fields=["status", "proposed_by", "proposed_at"])
        audit.record(AuditAction.RESULTS_PROPOSED, ev, actor=by, organisation=ev.organisation, before=before,
                     after={"status": ev.status})
        complete_human_task(process, flows.YearEndFlow.branch_proposal, by, _("当前不在支部确认等次环节。"))
    return ev


def _review(evaluation, by, approve, comments, publicity_start=None):
    require_reviewer(by, evaluation.organisation)
    with locked_evaluation(evaluation) as (ev, process):
        if ev.status != EvaluationStatus.PROPOSED:
            raise StepConflict(_("评定当前状态为“%(s)s”，不在上级审批环节。"), code=Code.EVALUATION_WRONG_STATUS,
                               params={"s": ev.get_status_display()})
        if not approve and not (comments or "").strip():
            raise invalid(_("退回修改须写明意见。"), Code.COMMENTS_REQUIRED, field="comments")
        before = {"status": ev.status}
        ev.status = EvaluationStatus.APPROVED if approve else EvaluationStatus.RETURNED
        ev.reviewed_by, ev.reviewed_at, ev.review_comments = by, timezone.now(), (comments or "").strip()
        if approve:
            start = publicity_start or local_today()
            if start < local_today():
                raise invalid(_("公示开始日期 %(d)s 早于今天。"), Code.PUBLICITY_START_PAST, field="publicity_start",
                              d=start)
            ev.publicity_start = start
            ev.publicity_closes_at = start_of_day(start + datetime.timedelta(days=ev.publicity_days))
        ev.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comments", "publicity_start",
                               "publicity_closes_at"])
        audit.record(AuditAction.RESULTS_APPROVED if approve else AuditAction.RESULTS_RETURNED, ev, actor=by,
                     organisation=ev.organisation, before=before,
                     after={"status": ev.status, "comments": ev.review_comments})
        complete_human_task(process, flows.YearEndFlow.higher_approval, by, _("当前不在上级审批环节。"))
        if not approve:
            announce.results_returned(ev)
    return ev


def approve_results(evaluation, by, comments="", publicity_start=None):
    """The higher committee agrees with the grades; publicity follows (篇四: after the higher committee agreed).

    Publicity runs ``evaluation.publicity_days`` from ``publicity_start`` (today by default),
    closing at local midnight. Raises PermissionDenied (not a higher reviewer), StepConflict
    (``evaluation_wrong_status``) or ValidationError on ``publicity_start`` (``publicity_start_past``).
    """
    return _review(evaluation, by, True, comments, publicity_start)


def return_results(evaluation, by, comments):
    """The higher committee returns the results to the branch (back to the appraisal step).

    Raises PermissionDenied, StepConflict (``evaluation_wrong_status``) or ValidationError on
    ``comments`` (``comments_required``).
    """
    return _review(evaluation, by, False, comments)


# -- publicity (flow nodes: the lock is held by the flow) --------------------------------------------


def flow_start_publicity(process, task):
    """YearEndFlow ``publicity`` node: the evaluation enters publicity until ``publicity_closes_at``."""
    ev = Evaluation.objects.select_for_update(of=("self",)).get(pk=process.evaluation_id)
    ev.status = EvaluationStatus.PUBLICITY
    ev.save(update_fields=["status"])
    audit.record(AuditAction.PUBLICITY_STARTED, ev, organisation=ev.organisation,
                 after={"status": ev.status, "start": ev.publicity_start, "closes_at": ev.publicity_closes_at})
    request_document("year_end_publicity", organisation=ev.organisation, by=ev.reviewed_by, process=process,
                     task=task, context=year_end_publicity.build_context(ev), subject_key=f"evaluation:{ev.pk}:publicity")


def flow_close_publicity(process, task):
    """YearEndFlow ``close_publicity`` node: the results are published (and immutable from now on)."""
    ev = Evaluation.objects.select_for_update(of=("self",)).get(pk=process.evaluation_id)
    ev.status = EvaluationStatus.PUBLISHED
    ev.published_at = timezone.now()
    ev.save(update_fields=["status", "published_at"])
    audit.record(AuditAction.RESULTS_PUBLISHED, ev, organisation=ev.organisation, after={"status": ev.status})
    announce.results_published(ev)
