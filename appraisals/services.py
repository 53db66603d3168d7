"""Year-end evaluation services (年终评定).

Every transition is here: it checks the organisation-tree permission
(``organisations.permissions``), validates, runs atomically under the workflow lock,
writes the audit trail (``reviews.audit``) and requests the step's document. The nodes of
``appraisals.flows`` only call these functions; views only parse forms.

Sequence::

    open_evaluation → record_appraisal (many) → finish_appraisal → [compute_results]
      → propose_results → approve_results | return_results → [publicity ≥ 7 days]
      → [use of results: dispositions + documents]
      → decide_disposal → review_disposal (higher committee) → record_rectification_outcome
"""
import calendar
import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

import scoring_engine
from scoring_engine.engine import round_points
from scoring_engine.render import result_to_dict
from documents.kinds import (
    commendation,
    disposal_approval,
    disposal_request,
    rectification_notice,
    result_notice,
    star_certificate,
    talk_notice,
)
from workflow.steps import StepConflict, complete_human_task, locked_process
from organisations.models import OrganisationKind, RoleKind
from organisations.permissions import BRANCH_STAFF, can_act_on, can_review, require
from schemes.models import SchemeVersion, to_json

from . import flows
from .models import (
    EDITABLE_STATUSES,
    FINAL_STATUSES,
    NEEDS_APPROVAL,
    AppraisalInput,
    AppraisalMethod,
    DisposalMeasure,
    Disposition,
    DispositionAction,
    DispositionStatus,
    Evaluation,
    EvaluationStatus,
    MemberResult,
    RectificationOutcome,
)

#: 篇四 and the source's plans: result publicity lasts at least 7 days.
MIN_PUBLICITY_DAYS = 7
#: 2024 rules: 限期改正 normally 6 months, at most 1 year.
DEFAULT_RECTIFICATION_MONTHS = 6
MAX_RECTIFICATION_MONTHS = 12
#: Organisations that may hold a year-end evaluation (a branch or higher).
EVALUATING_KINDS = (OrganisationKind.BRANCH, OrganisationKind.GENERAL_BRANCH, OrganisationKind.COMMITTEE)
#: Who opens an evaluation, confirms the grades and decides dispositions.
OWNERS = (RoleKind.SECRETARY,)
#: Member kinds the year-end evaluation grades (activists and households are not 民主评议'd).
EVALUATED_KINDS = ("party_member", "probationary", "teacher", "other")

#: Dispositions that are talks, and the talk each one is (the talk notice's wording).
TALK_TYPES = talk_notice.TALK_TYPES


def _err(message, **params):
    return ValidationError(message % params if params else message)


def local_today():
    return timezone.localdate()


def _audit(action, obj, *, actor=None, before=None, after=None, organisation=None):
    from reviews import audit

    return audit.record(action, obj, actor=actor, before=before, after=after, organisation=organisation)


def _snapshot(obj, fields):
    from reviews import audit

    return audit.snapshot(obj, fields)


def _addressee(member, organisation):
    """The member a document is addressed to (their own login may download it), when still below the issuer."""
    if member is None:
        return None
    from members.models import Member

    path = Member.objects.filter(pk=member.pk).values_list("organisation__path", flat=True).first()
    return member if path and path.startswith(organisation.path) else None


def _request_document(kind, *, organisation, context, by=None, process=None, task=None, subject_key=None,
                      member=None):
    from documents.services import request_document

    return request_document(kind, organisation=organisation, context=context, triggered_by=by,
                            process=process, task=task, subject_key=subject_key,
                            member=_addressee(member, organisation))


def _name(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _fmt(value):
    """Points for a notice: ``92.5``, ``71``."""
    value = Decimal(value).quantize(Decimal("0.01"))
    text = format(value, "f").rstrip("0").rstrip(".")
    return text or "0"


def add_months(day, months):
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _local_midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), timezone.get_current_timezone())


# -- workflow plumbing ------------------------------------------------------------------


def _locked_evaluation(evaluation):
    """Hold the evaluation's workflow lock; yield fresh ``(evaluation, process)``."""
    return locked_process(
        flows.YearEndFlow, evaluation, subject_field="evaluation_id",
        select_related=("organisation", "scheme_version__scheme"),
        missing_message=_("年终评定“%(e)s”没有对应的流程。") % {"e": evaluation},
        busy_message=_("年终评定“%(e)s”正由他人处理，请稍后再试。") % {"e": evaluation},
    )


def _locked_disposition(disposition):
    """Hold the disposition's workflow lock; yield fresh ``(disposition, process)``."""
    return locked_process(
        flows.DisposalFlow, disposition, subject_field="disposition_id",
        select_related=("evaluation__organisation", "member", "result"),
        missing_message=_("“%(d)s”不需要上级审批，没有审批流程。") % {"d": disposition},
        busy_message=_("该处置事项正由他人处理，请稍后再试。"),
    )


# -- permissions -----------------------------------------------------------------------------


def can_view(user, evaluation):
    """Anyone with a role on the organisation (or above) and the higher reviewers."""
    return can_act_on(user, evaluation.organisation) or can_review(user, evaluation.organisation)


def reviewer_organisation(user, organisation):
    """The nearest organisation above ``organisation`` where ``user`` reviews (issues the 批复)."""
    from organisations.models import Role

    held = set(Role.objects.filter(user=user, kind=RoleKind.REVIEWER).values_list("organisation_id", flat=True))
    for ancestor in reversed(organisation.ancestors()):
        if ancestor.pk in held:
            return ancestor
    return organisation.parent


def require_reviewer(user, organisation):
    if not can_review(user, organisation):
        raise PermissionDenied(
            _("只有“%(org)s”的上级党组织审查人才能审批，本组织不能审批自己的评定或处置。") % {"org": organisation}
        )


# -- opening ------------------------------------------------------------------------------------


def open_evaluation(*, organisation, by, scheme_version=None, on_date=None, publicity_days=MIN_PUBLICITY_DAYS):
    """The secretary opens the year-end evaluation of ``organisation`` for the cycle of its scheme."""
    require(by, organisation, OWNERS)
    if organisation.kind not in EVALUATING_KINDS:
        raise _err(_("“%(org)s”是%(kind)s，年终评定须由党支部或更高一级党组织发起。"),
                   org=organisation, kind=organisation.get_kind_display())
    if organisation.parent_id is None:
        raise _err(_("“%(org)s”没有上级党组织，评定结果无法报上级审批。"), org=organisation)
    if scheme_version is None:
        scheme_version = SchemeVersion.objects.in_force(organisation, on_date or local_today())
        if scheme_version is None:
            raise _err(_("“%(org)s”及其上级在 %(day)s 没有适用的积分方案，请先设置方案。"),
                       org=organisation, day=on_date or local_today())
    scheme = scheme_version.scheme
    if not organisation.is_within(scheme.organisation):
        raise _err(_("方案“%(s)s”属于“%(o)s”，不适用于“%(org)s”。"), s=scheme.name, o=scheme.organisation, org=organisation)
    try:
        publicity_days = int(publicity_days)
    except (TypeError, ValueError):
        raise _err(_("公示天数“%(d)s”不是整数。"), d=publicity_days) from None
    if publicity_days < MIN_PUBLICITY_DAYS:
        raise _err(_("公示期为 %(days)s 天，少于规定的 %(min)s 天。"), days=publicity_days, min=MIN_PUBLICITY_DAYS)
    existing = Evaluation.objects.filter(organisation=organisation, cycle_start=scheme.cycle_start).first()
    if existing is not None:
        raise _err(_("“%(org)s”已发起 %(year)s 年度的评定。"), org=organisation, year=scheme.cycle_start.year)
    overlapping = Evaluation.objects.filter(
        Q(organisation__path__startswith=organisation.path) | Q(organisation__in=organisation.ancestors()),
        cycle_start=scheme.cycle_start,
    ).select_related("organisation").first()
    if overlapping is not None:
        raise _err(_("“%(other)s”已对本周期发起评定，与“%(org)s”的成员重叠。"), other=overlapping.organisation, org=organisation)
    with transaction.atomic():
        evaluation = Evaluation.objects.create(
            organisation=organisation, scheme_version=scheme_version, cycle_start=scheme.cycle_start,
            cycle_end=scheme.cycle_end, publicity_days=publicity_days, opened_by=by,
        )
        _audit("evaluation_opened", evaluation, actor=by, organisation=organisation,
               after={"scheme_version": scheme_version.pk, "number": scheme_version.number,
                      "cycle_start": evaluation.cycle_start, "cycle_end": evaluation.cycle_end})
        flows.YearEndFlow.start.run(evaluation=evaluation)
    return evaluation


# -- members and inputs ----------------------------------------------------------------------


def evaluated_members(evaluation):
    """``(members, excluded)``: active members of the subtree, and those an approved exclusion covers."""
    from members.models import Member

    candidates = list(
        Member.objects.filter(
            organisation__path__startswith=evaluation.organisation.path, is_active=True, kind__in=EVALUATED_KINDS
        ).select_related("organisation", "category").order_by("organisation__path", "name", "pk")
    )
    members, excluded = [], []
    for member in candidates:
        (excluded if member.is_excluded(evaluation.cycle_end) else members).append(member)
    return members, excluded


def _decimal(value, label, low=Decimal("0"), high=Decimal("100")):
    if value is None or value == "":
        raise _err(_("请填写%(label)s。"), label=label)
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise _err(_("%(label)s“%(v)s”不是数字。"), label=label, v=value) from None
    if not number.is_finite() or number < low or number > high:
        raise _err(_("%(label)s应在 %(low)s–%(high)s 之间，实际为 %(v)s。"), label=label, low=low, high=high, v=value)
    return number.quantize(Decimal("0.01"))


def _count(value, label):
    if value is None or value == "":
        return 0
    try:
        number = int(str(value).strip())
    except ValueError:
        raise _err(_("%(label)s“%(v)s”不是整数。"), label=label, v=value) from None
    if number < 0:
        raise _err(_("%(label)s不能为负数（%(v)s）。"), label=label, v=value)
    return number


def _flags(flags):
    flags = flags or {}
    if not isinstance(flags, dict):
        raise _err(_("情形标记必须是“名称: 值”的形式。"))
    clean = {}
    for key, value in flags.items():
        if not isinstance(key, str) or not key.strip():
            raise _err(_("情形标记的名称不能为空。"))
        if not isinstance(value, (bool, int)) or (isinstance(value, int) and not isinstance(value, bool) and value < 0):
            raise _err(_("情形标记“%(k)s”的值应为是/否或非负整数，实际为 %(v)s。"), k=key, v=value)
        clean[key.strip()] = value
    return clean


def _require_editable(evaluation):
    if evaluation.status not in EDITABLE_STATUSES:
        raise StepConflict(
            _("评定“%(e)s”当前状态为“%(s)s”，不能再修改民主评议或重新计算。")
            % {"e": evaluation, "s": evaluation.get_status_display()}
        )


def appraisal_scale(evaluation):
    """The appraisal score's maximum in the evaluation's scheme (100 unless the scheme says e.g. 20)."""
    scheme = evaluation.scheme_version.engine_scheme()
    scales = [c.appraisal_max for c in scheme.components if c.from_appraisal and c.appraisal_max is not None]
    return Decimal(max(scales)) if scales else Decimal("100")


def record_appraisal(evaluation, member, by, *, score=None, votes=None, raters=None, flags=None):
    """Record (or replace) the democratic appraisal of ``member``: exactly one of score, votes, raters."""
    require(by, evaluation.organisation, BRANCH_STAFF)
    given = [name for name, value in (("score", score), ("votes", votes), ("raters", raters)) if value not in (None, "", {})]
    if len(given) != 1:
        raise _err(_("民主评议须且只能填写一种：测评得分、各档票数或自评/群众/领导评分。"))
    fields = {"score": None, "votes_excellent": 0, "votes_good": 0, "votes_qualified": 0, "votes_poor": 0,
              "rater_self": None, "rater_masses": None, "rater_leadership": None}
    if score not in (None, ""):
        method = AppraisalMethod.SCORE
        fields["score"] = _decimal(score, _("测评得分"), high=appraisal_scale(evaluation))
    elif votes:
        method = AppraisalMethod.VOTES
        if not isinstance(votes, dict):
            raise _err(_("票数须按“优秀/良好/合格/差”分别填写。"))
        unknown = set(votes) - {"优秀", "良好", "合格", "差"}
        if unknown:
            raise _err(_("未知的票档：%(k)s；可选：优秀、良好、合格、差。"), k="、".join(sorted(unknown)))
        fields.update(
            votes_excellent=_count(votes.get("优秀"), _("优秀票")),
            votes_good=_count(votes.get("良好"), _("良好票")),
            votes_qualified=_count(votes.get("合格"), _("合格票")),
            votes_poor=_count(votes.get("差"), _("差票")),
        )
        if not any(fields[k] for k in ("votes_excellent", "votes_good", "votes_qualified", "votes_poor")):
            raise _err(_("总票数为 0，无法计算测评得分。"))
    else:
        method = AppraisalMethod.RATERS
        if not isinstance(raters, dict):
            raise _err(_("请分别填写自评、群众评议、领导评议得分。"))
        fields.update(
            rater_self=_decimal(raters.get("self"), _("自评得分")),
            rater_masses=_decimal(raters.get("masses"), _("群众评议得分")),
            rater_leadership=_decimal(raters.get("leadership"), _("领导评议得分")),
        )
    flags = _flags(flags)
    with _locked_evaluation(evaluation) as (ev, _process):
        _require_editable(ev)
        if not member.organisation.is_within(ev.organisation):
            raise _err(_("成员“%(m)s”不属于“%(org)s”，不能录入其民主评议。"), m=member, org=ev.organisation)
        existing = AppraisalInput.objects.filter(evaluation=ev, member=member).first()
        before = _snapshot(existing, ("method", "score", "votes_excellent", "votes_good", "votes_qualified",
                                      "votes_poor", "rater_self", "rater_masses", "rater_leadership", "flags"))
        item, _created = AppraisalInput.objects.update_or_create(
            evaluation=ev, member=member, defaults={"method": method, "flags": flags, "recorded_by": by, **fields}
        )
        _audit("appraisal_recorded", item, actor=by, organisation=ev.organisation, before=before,
               after=_snapshot(item, ("method", "score", "votes_excellent", "votes_good", "votes_qualified",
                                      "votes_poor", "rater_self", "rater_masses", "rater_leadership", "flags")))
    return item


# -- computing ------------------------------------------------------------------------------------


def _months_between(start, end):
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def engine_inputs(evaluation):
    """``(members, events, appraisal, history, by_id, excluded)`` in the engine's input format."""
    from ledger.models import EntryKind, LedgerEntry

    members, excluded = evaluated_members(evaluation)
    scheme = evaluation.scheme_version.engine_scheme()
    by_id = {str(m.pk): m for m in members}
    inputs = {i.member_id: i for i in AppraisalInput.objects.filter(evaluation=evaluation)}
    engine_members = []
    for member in members:
        flags = dict(inputs[member.pk].flags) if member.pk in inputs else {}
        arrived = member.transferred_in_on()
        if arrived is not None and "transferred_in_months" not in flags:
            flags["transferred_in_months"] = _months_between(arrived, evaluation.cycle_end)
        engine_members.append({
            "id": str(member.pk),
            "name": member.name,
            "branch": str(member.organisation_id),
            "category": (member.category.code if member.category_id else None) if scheme.categories is not None else None,
            "probationary": member.is_probationary,
            "flags": flags,
        })
    entries = (
        LedgerEntry.objects.filter(member__in=members, cycle_start=evaluation.cycle_start)
        .exclude(kind=EntryKind.RESET)
        .select_related("member")
        .order_by("member_id", "occurred_on", "organisation_id", "seq")
    )
    events, sources = [], []
    for entry in entries:
        events.append({"member": str(entry.member_id), "date": entry.occurred_on.isoformat(),
                       "component": entry.component, "points": entry.points})
        sources.append(entry)
    appraisal = {str(mid): item.to_engine() for mid, item in inputs.items() if str(mid) in by_id}
    history = {}
    earlier = MemberResult.objects.filter(
        member__in=members, evaluation__status__in=FINAL_STATUSES, cycle_start__lt=evaluation.cycle_start
    ).order_by("cycle_start")
    for row in earlier:
        history.setdefault(str(row.member_id), []).append(row.history_entry())
    return engine_members, events, appraisal, history, by_id, excluded, sources


def _explain(error, by_id, sources):
    """A SchemeError turned into a message naming the member or ledger entry it is about."""
    path = error.path or ""
    where = path
    if path.startswith("events[") and "]" in path:
        index = int(path[len("events["):path.index("]")])
        if 0 <= index < len(sources):
            entry = sources[index]
            where = _("台账第 %(seq)s 条（%(m)s，%(d)s，%(c)s）") % {
                "seq": entry.seq, "m": entry.member, "d": entry.occurred_on, "c": entry.component}
    elif path.startswith(("members[", "appraisal.", "history.")):
        for member_id, member in by_id.items():
            if f".{member_id}." in f".{path}." or path.startswith(f"appraisal.{member_id}"):
                where = _("成员“%(m)s”") % {"m": member}
                break
    return ValidationError(_("按方案计算失败：%(where)s：%(msg)s") % {"where": where, "msg": error.message})


def _engine_result(ev):
    """``(engine Result, members by engine id, excluded members)`` for the evaluation's current inputs."""
    members, events, appraisal, history, by_id, excluded, sources = engine_inputs(ev)
    try:
        result = scoring_engine.compute(
            ev.scheme_version.engine_scheme(), {"start": ev.cycle_start.isoformat(), "end": ev.cycle_end.isoformat()},
            members, events, appraisal, history,
        )
    except scoring_engine.SchemeError as error:
        raise _explain(error, by_id, sources) from None
    return result, by_id, excluded


def verify_results(evaluation):
    """Recompute from the stored inputs (ledger, appraisal, history, scheme version) and compare.

    Returns one row per member whose stored result differs (``[]`` when every stored result
    is reproduced): ``{"member", "field", "stored", "recomputed"}``. Read-only.
    """
    result, by_id, _excluded = _engine_result(evaluation)
    stored = {str(r.member_id): r for r in evaluation.results.select_related("member")}
    differences = []
    for item in result.members:
        row = stored.pop(item.id, None)
        member = by_id[item.id]
        if row is None:
            differences.append({"member": member.name, "field": "result", "stored": None, "recomputed": item.total})
            continue
        for field, recomputed in (("total", item.total), ("grade", item.grade or ""), ("stars", item.stars),
                                  ("vetoed", item.vetoed), ("actions", list(item.actions))):
            if getattr(row, field) != recomputed:
                differences.append({"member": member.name, "field": field, "stored": getattr(row, field),
                                    "recomputed": recomputed})
    for row in stored.values():
        differences.append({"member": row.member.name, "field": "result", "stored": row.total, "recomputed": None})
    return differences


def compute_results(evaluation, by=None, *, process=None, task=None):
    """Run the scheme version on the evaluation's inputs and store one MemberResult per member.

    Called by the branch to preview (``by`` given: permission checked) and by the flow's
    ``compute_results`` node. A member without ledger entries still gets a result.
    """
    if by is not None:
        require(by, evaluation.organisation, BRANCH_STAFF)

    def _run(ev):
        _require_editable(ev)
        version = ev.scheme_version
        result, by_id, excluded = _engine_result(ev)
        document = result_to_dict(result, version.preset_key or result.scheme.key)
        # results now exist under this version: its definition may no longer change in place
        version.scheme.lock()
        MemberResult.objects.filter(evaluation=ev).delete()
        rows = []
        for item in result.members:
            rows.append(MemberResult(
                evaluation=ev, member=by_id[item.id], cycle_start=ev.cycle_start,
                total=item.total, grade=item.grade or "", stars=item.stars, vetoed=item.vetoed,
                components={k: to_json(round_points(v)) for k, v in item.components.items()},
                actions=list(item.actions), scheme_version_number=version.number,
            ))
        MemberResult.objects.bulk_create(rows)
        before = {"status": ev.status}
        ev.checks = document["checks"]
        ev.excluded = [{"id": m.pk, "name": m.name} for m in excluded]
        ev.computed_at = timezone.now()
        if ev.status == EvaluationStatus.APPRAISAL:
            ev.status = EvaluationStatus.COMPUTED
        ev.save(update_fields=["checks", "excluded", "computed_at", "status"])
        _audit("results_computed", ev, actor=by, organisation=ev.organisation, before=before,
               after={"status": ev.status, "members": len(rows), "scheme_version": version.number,
                      "checks": len(ev.checks)})
        return rows

    if process is not None:  # inside the flow node: the lock is already held
        with transaction.atomic():
            return _run(Evaluation.objects.select_for_update(of=("self",)).get(pk=evaluation.pk))
    with _locked_evaluation(evaluation) as (ev, _process):
        return _run(ev)


def finish_appraisal(evaluation, by):
    """The branch closes the appraisal step; the flow then computes the results."""
    require(by, evaluation.organisation, BRANCH_STAFF)
    with _locked_evaluation(evaluation) as (ev, process):
        _require_editable(ev)
        complete_human_task(process, flows.YearEndFlow.appraisal, by, _("民主评议环节已结束或尚未开始。"))
    evaluation.refresh_from_db()
    return evaluation


def flow_compute(process, task):
    compute_results(process.evaluation, process=process, task=task)


def propose_results(evaluation, by):
    """The secretary confirms the grades and reports them to the higher committee (支部提出等次意见)."""
    require(by, evaluation.organisation, OWNERS)
    with _locked_evaluation(evaluation) as (ev, process):
        if ev.status not in (EvaluationStatus.COMPUTED, EvaluationStatus.RETURNED):
            raise StepConflict(_("评定当前状态为“%(s)s”，不能报上级。") % {"s": ev.get_status_display()})
        if not ev.results.exists():
            raise _err(_("尚无评定结果，请先计算。"))
        before = {"status": ev.status}
        ev.status = EvaluationStatus.PROPOSED
        ev.proposed_by, ev.proposed_at = by, timezone.now()
        ev.save(update_fields=["status", "proposed_by", "proposed_at"])
        _audit("results_proposed", ev, actor=by, organisation=ev.organisation, before=before, after={"status": ev.status})
        complete_human_task(process, flows.YearEndFlow.branch_proposal, by, _("当前不在支部确认等次环节。"))
    return ev


def _review(evaluation, by, approve, comments, publicity_start=None):
    require_reviewer(by, evaluation.organisation)
    with _locked_evaluation(evaluation) as (ev, process):
        if ev.status != EvaluationStatus.PROPOSED:
            raise StepConflict(_("评定当前状态为“%(s)s”，不在上级审批环节。") % {"s": ev.get_status_display()})
        if not approve and not (comments or "").strip():
            raise _err(_("退回修改须写明意见。"))
        before = {"status": ev.status}
        ev.status = EvaluationStatus.APPROVED if approve else EvaluationStatus.RETURNED
        ev.reviewed_by, ev.reviewed_at, ev.review_comments = by, timezone.now(), (comments or "").strip()
        if approve:
            start = publicity_start or local_today()
            if start < local_today():
                raise _err(_("公示开始日期 %(d)s 早于今天。"), d=start)
            ev.publicity_start = start
            ev.publicity_closes_at = _local_midnight(start + datetime.timedelta(days=ev.publicity_days))
        ev.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comments", "publicity_start",
                               "publicity_closes_at"])
        _audit("results_approved" if approve else "results_returned", ev, actor=by, organisation=ev.organisation,
               before=before, after={"status": ev.status, "comments": ev.review_comments})
        complete_human_task(process, flows.YearEndFlow.higher_approval, by, _("当前不在上级审批环节。"))
    return ev


def approve_results(evaluation, by, comments="", publicity_start=None):
    """The higher committee agrees with the grades; publicity follows (篇四: after the higher committee agreed)."""
    return _review(evaluation, by, True, comments, publicity_start)


def return_results(evaluation, by, comments):
    """The higher committee returns the results to the branch (back to the appraisal step)."""
    return _review(evaluation, by, False, comments)


def flow_start_publicity(process, task):
    ev = Evaluation.objects.select_for_update(of=("self",)).get(pk=process.evaluation_id)
    ev.status = EvaluationStatus.PUBLICITY
    ev.save(update_fields=["status"])
    _audit("publicity_started", ev, organisation=ev.organisation,
           after={"status": ev.status, "start": ev.publicity_start, "closes_at": ev.publicity_closes_at})


def flow_close_publicity(process, task):
    ev = Evaluation.objects.select_for_update(of=("self",)).get(pk=process.evaluation_id)
    ev.status = EvaluationStatus.PUBLISHED
    ev.published_at = timezone.now()
    ev.save(update_fields=["status", "published_at"])
    _audit("results_published", ev, organisation=ev.organisation, after={"status": ev.status})


# -- use of results -----------------------------------------------------------------------------


def _facts(result, evaluation):
    earlier = MemberResult.objects.filter(
        member=result.member, evaluation__status__in=FINAL_STATUSES, cycle_start__lt=result.cycle_start
    ).order_by("-cycle_start").first()
    text = _("%(name)s同志%(year)s年度积分%(total)s分，评定等次为%(grade)s") % {
        "name": result.member.name, "year": evaluation.year, "total": _fmt(result.total), "grade": result.grade or "—"}
    if result.vetoed:
        text += _("（一票否决）")
    if earlier is not None:
        text += _("；%(year)s年度积分%(total)s分，等次%(grade)s") % {
            "year": earlier.cycle_start.year, "total": _fmt(earlier.total), "grade": earlier.grade or "—"}
    return text + "。"


def flow_use_results(process, task):
    """结果运用: one Disposition per engine action; documents for what needs no further input.

    Result notices go out as one bulk job; the commendation lists every commended member;
    star schemes get a certificate per member. Disposals and cancelled probations start a
    DisposalFlow each (the branch decides, the higher committee approves). Talks and
    rectification wait for the secretary to fix the time, place and requirements.
    """
    from documents.services import start_bulk_job

    ev = Evaluation.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=process.evaluation_id)
    results = list(ev.results.select_related("member", "member__organisation").order_by("-total", "member__name"))
    items = []
    for r in results:
        if not result_notice.has_notice(r):
            continue  # a scheme with other labels (stars, a–d): no result notice of this form
        items.append({
            "context": result_notice.build_context(r),
            "subject_key": f"evaluation:{ev.pk}:member:{r.member_id}:result",
            "label": r.member.name,
            "member": r.member_id,
        })
    if items:
        ev.result_notice_job = start_bulk_job("result_notice", organisation=ev.organisation, items=items)
    commended = False
    new_processes = []
    for r in results:
        for action in r.actions:
            disposition = Disposition.objects.create(
                evaluation=ev, result=r, member=r.member, action=action, facts=_facts(r, ev),
            )
            if action == DispositionAction.COMMEND:
                commended = True
                disposition.status = DispositionStatus.DONE
                disposition.save(update_fields=["status"])
            elif action in NEEDS_APPROVAL:
                new_processes.append(disposition)
        if star_certificate.has_certificate(r):
            _request_document("star_certificate", organisation=ev.organisation, process=process, task=task,
                              context=star_certificate.build_context(r),
                              subject_key=f"evaluation:{ev.pk}:member:{r.member_id}:stars", member=r.member)
    if commended:
        _request_document("commendation", organisation=ev.organisation, process=process, task=task,
                          context=commendation.build_context(ev),
                          subject_key=f"evaluation:{ev.pk}:commendation")
    ev.status = EvaluationStatus.CONCLUDED
    ev.save(update_fields=["status", "result_notice_job"])
    _audit("results_used", ev, organisation=ev.organisation,
           after={"status": ev.status, "dispositions": ev.dispositions.count(), "notices": len(items)})
    for disposition in new_processes:
        flows.DisposalFlow.start.run(disposition=disposition)


# -- dispositions ----------------------------------------------------------------------------------


def _require_branch(by, disposition):
    require(by, disposition.evaluation.organisation, OWNERS)


def issue_talk_notice(disposition, by, *, talk_time, place, talker=""):
    """谈心谈话/诫勉谈话: the secretary fixes the talk; the talk notice is issued."""
    _require_branch(by, disposition)
    if disposition.action not in TALK_TYPES:
        raise _err(_("“%(a)s”不是谈话类处理。"), a=disposition.get_action_display())
    for value, label in ((talk_time, _("谈话时间")), (place, _("谈话地点"))):
        if not (value or "").strip():
            raise _err(_("请填写%(label)s。"), label=label)
    with transaction.atomic():
        d = Disposition.objects.select_for_update(of=("self",)).select_related("evaluation__organisation", "result", "member").get(pk=disposition.pk)
        if d.status != DispositionStatus.PENDING:
            raise StepConflict(_("该事项已办理（%(s)s）。") % {"s": d.get_status_display()})
        ev = d.evaluation
        doc = _request_document("talk_notice", organisation=ev.organisation, by=by,
                                context=talk_notice.build_context(d, talk_time=talk_time.strip(), place=place.strip(),
                                                                  talker=(talker or "").strip() or _name(by)),
                                subject_key=f"disposition:{d.pk}:talk", member=d.member)
        d.status, d.decided_by, d.decided_at = DispositionStatus.DONE, by, timezone.now()
        d.note = _("谈话时间：%(t)s；地点：%(p)s") % {"t": talk_time.strip(), "p": place.strip()}
        d.save(update_fields=["status", "decided_by", "decided_at", "note"])
        _audit("talk_notice_issued", d, actor=by, organisation=ev.organisation, after={"status": d.status, "document": doc.pk})
    return d


def _rectification_months(months):
    try:
        months = int(months)
    except (TypeError, ValueError):
        raise _err(_("整改期限“%(m)s”不是整数（月）。"), m=months) from None
    if months < 1 or months > MAX_RECTIFICATION_MONTHS:
        raise _err(_("限期改正的期限为 %(m)s 个月；按规定一般为6个月，最长不超过1年。"), m=months)
    return months


def _issue_rectification(d, by, months, problems=None):
    start = local_today()
    d.rectification_start = start
    d.rectification_end = add_months(start, months)
    d.status = DispositionStatus.IN_RECTIFICATION
    return _request_document(
        "rectification_notice", organisation=d.evaluation.organisation, by=by,
        context=rectification_notice.build_context(d, problems=problems),
        subject_key=f"disposition:{d.pk}:rectification", member=d.member,
    )


def start_rectification(disposition, by, *, requirements, months=DEFAULT_RECTIFICATION_MONTHS, problems=None):
    """限期整改 (action ``rectify``): the branch sets the requirements; the notice names the period end."""
    _require_branch(by, disposition)
    if disposition.action != DispositionAction.RECTIFY:
        raise _err(_("“%(a)s”不是限期整改事项。"), a=disposition.get_action_display())
    if not (requirements or "").strip():
        raise _err(_("请填写整改要求。"))
    months = _rectification_months(months)
    with transaction.atomic():
        d = Disposition.objects.select_for_update(of=("self",)).select_related("evaluation__organisation", "member").get(pk=disposition.pk)
        if d.status != DispositionStatus.PENDING:
            raise StepConflict(_("该事项已办理（%(s)s）。") % {"s": d.get_status_display()})
        d.decided_by, d.decided_at = by, timezone.now()
        d.requirements, d.rectification_months = requirements.strip(), months
        doc = _issue_rectification(d, by, months, problems)
        d.save(update_fields=["status", "decided_by", "decided_at", "requirements", "rectification_months",
                              "rectification_start", "rectification_end"])
        _audit("rectification_started", d, actor=by, organisation=d.evaluation.organisation,
               after={"status": d.status, "end": d.rectification_end, "document": doc.pk})
    return d


def confirm_disposition(disposition, by, note=""):
    """The branch records a disposition that needs no document of its own (e.g. extended probation)."""
    _require_branch(by, disposition)
    if disposition.action not in (DispositionAction.EXTEND_PROBATION,):
        raise _err(_("“%(a)s”须按其专门程序办理。"), a=disposition.get_action_display())
    with transaction.atomic():
        d = Disposition.objects.select_for_update(of=("self",)).get(pk=disposition.pk)
        if d.status != DispositionStatus.PENDING:
            raise StepConflict(_("该事项已办理（%(s)s）。") % {"s": d.get_status_display()})
        d.status, d.decided_by, d.decided_at, d.note = DispositionStatus.DONE, by, timezone.now(), note
        d.save(update_fields=["status", "decided_by", "decided_at", "note"])
        _audit("disposition_confirmed", d, actor=by, organisation=d.evaluation.organisation, after={"status": d.status})
    return d


def decide_disposal(disposition, by, *, measure=None, entitled, present, votes_for, full_members=None,
                    requirements="", months=DEFAULT_RECTIFICATION_MONTHS):
    """The branch meeting decides a disposal (or cancelled probation) and asks the higher committee.

    2024 rules: more than half of those entitled present, and more than half of the full
    members voting yes (``full_members`` defaults to ``entitled``).
    """
    _require_branch(by, disposition)
    entitled = _count(entitled, _("应到人数"))
    present = _count(present, _("实到人数"))
    votes_for = _count(votes_for, _("赞成票"))
    full_members = entitled if full_members in (None, "") else _count(full_members, _("正式党员人数"))
    if entitled == 0:
        raise _err(_("应到人数不能为 0。"))
    if present > entitled:
        raise _err(_("实到人数 %(p)s 多于应到人数 %(e)s。"), p=present, e=entitled)
    if votes_for > present:
        raise _err(_("赞成票 %(v)s 多于实到人数 %(p)s。"), v=votes_for, p=present)
    if present * 2 <= entitled:
        raise _err(_("实到 %(p)s 人，未超过应到 %(e)s 人的半数，会议不能表决。"), p=present, e=entitled)
    if votes_for * 2 <= full_members:
        raise _err(_("赞成票 %(v)s 票，未超过正式党员 %(f)s 人的半数，处置意见未获通过。"), v=votes_for, f=full_members)
    if disposition.action == DispositionAction.DISPOSE:
        if measure not in DisposalMeasure.values:
            raise _err(_("请选择处置方式：%(c)s。"), c="、".join(DisposalMeasure.values))
        if measure == DisposalMeasure.RECTIFY:
            _rectification_months(months)
            if not (requirements or "").strip():
                raise _err(_("限期改正须写明整改要求。"))
    elif disposition.action == DispositionAction.CANCEL_PROBATION:
        measure = ""
    else:
        raise _err(_("“%(a)s”不需要上级审批。"), a=disposition.get_action_display())
    with _locked_disposition(disposition) as (d, process):
        if d.status != DispositionStatus.PENDING:
            raise StepConflict(_("该事项已由支部决定（%(s)s）。") % {"s": d.get_status_display()})
        ev = d.evaluation
        d.measure, d.entitled, d.present, d.votes_for = measure, entitled, present, votes_for
        d.decided_by, d.decided_at = by, timezone.now()
        d.status = DispositionStatus.AWAITING_APPROVAL
        if measure == DisposalMeasure.RECTIFY:
            d.requirements, d.rectification_months = requirements.strip(), int(months)
        d.save()
        doc = None
        if d.action == DispositionAction.DISPOSE:
            doc = _request_document(
                "disposal_request", organisation=ev.organisation, by=by, process=process,
                context=disposal_request.build_context(d),
                subject_key=disposal_request.subject_key(d), member=d.member,
            )
        _audit("disposal_decided", d, actor=by, organisation=ev.organisation,
               after={"status": d.status, "measure": measure, "entitled": entitled, "present": present,
                      "votes_for": votes_for, "document": doc.pk if doc else None})
        complete_human_task(process, flows.DisposalFlow.branch_decision, by, _("当前不在支部决定环节。"))
    return d


def review_disposal(disposition, by, *, approve, comments=""):
    """The higher committee approves or rejects; the approval (批复) is issued by the higher committee."""
    from documents.models import GeneratedDocument

    require_reviewer(by, disposition.evaluation.organisation)
    if not approve and not (comments or "").strip():
        raise _err(_("不予批准须写明理由。"))
    with _locked_disposition(disposition) as (d, process):
        if d.status != DispositionStatus.AWAITING_APPROVAL:
            raise StepConflict(_("该事项当前状态为“%(s)s”，不在上级审批环节。") % {"s": d.get_status_display()})
        ev = d.evaluation
        d.approved_by, d.approved_at, d.approval_comments = by, timezone.now(), (comments or "").strip()
        d.status = DispositionStatus.APPROVED if approve else DispositionStatus.REJECTED
        rect_doc = None
        if approve and d.measure == DisposalMeasure.RECTIFY:
            rect_doc = _issue_rectification(d, by, d.rectification_months)
        elif approve:
            d.status = DispositionStatus.DONE
        d.save()
        if d.action == DispositionAction.DISPOSE:
            request = GeneratedDocument.objects.filter(
                kind="disposal_request", subject_key=disposal_request.subject_key(d)).order_by("-version").first()
            _request_document(
                "disposal_approval", organisation=reviewer_organisation(by, ev.organisation), by=by, process=process,
                context=disposal_approval.build_context(d, request=request),
                subject_key=f"disposition:{d.pk}:approval", member=d.member,
            )
        _audit("disposal_approved" if approve else "disposal_rejected", d, actor=by, organisation=ev.organisation,
               after={"status": d.status, "comments": d.approval_comments,
                      "rectification_end": d.rectification_end, "document": rect_doc.pk if rect_doc else None})
        complete_human_task(process, flows.DisposalFlow.higher_decision, by, _("当前不在上级审批环节。"))
    return d


def rectification_due(disposition):
    """The period is over once its last day has passed: local midnight after ``rectification_end``."""
    return _local_midnight(disposition.rectification_end + datetime.timedelta(days=1))


def record_rectification_outcome(disposition, by, outcome, note=""):
    """整改期满: the branch records whether the member improved (the period must be over)."""
    from .models import DisposalProcess

    _require_branch(by, disposition)
    if outcome not in (RectificationOutcome.IMPROVED, RectificationOutcome.NOT_IMPROVED):
        raise _err(_("整改结果应为“整改到位”或“整改期满仍无明显转变”。"))

    def _record(d, process):
        if d.status != DispositionStatus.IN_RECTIFICATION:
            raise StepConflict(_("该事项不在整改期中。"))
        if local_today() <= d.rectification_end:
            raise _err(_("整改期至 %(d)s 截止，期满后才能记录整改结果。"), d=d.rectification_end)
        d.rectification_outcome, d.outcome_recorded_at = outcome, timezone.now()
        d.status = DispositionStatus.DONE
        if note:
            d.note = f"{d.note}\n{note}".strip()
        d.save(update_fields=["rectification_outcome", "outcome_recorded_at", "status", "note"])
        _audit("rectification_outcome", d, actor=by, organisation=d.evaluation.organisation,
               after={"outcome": outcome, "status": d.status})
        if process is not None:
            complete_human_task(process, flows.DisposalFlow.rectification_review, by,
                      _("整改期的计时尚未到期，请稍后再记录整改结果。"))
        return d

    if DisposalProcess.objects.filter(disposition_id=disposition.pk).exists():
        with _locked_disposition(disposition) as (d, process):
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
