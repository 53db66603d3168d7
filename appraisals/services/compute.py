"""Results computed from the ledger by the evaluation's stored scheme version (``scoring_engine``).

Inputs to the engine: the evaluated members (``evaluations.evaluated_members``), every ledger
entry of theirs for the cycle (posted and corrections, not resets), the appraisal inputs, and
their results of earlier *published* evaluations as history. ``compute_results`` stores one
MemberResult per member; ``verify_results`` recomputes and lists differences, read-only.
"""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import scoring_engine
from ledger.models import SCORE_KINDS, LedgerEntry
from organisations.permissions import BRANCH_STAFF, require
from reviews import audit
from reviews.audit import AuditAction
from schemes.models import to_json
from scoring_engine.engine import round_points
from scoring_engine.render import result_to_dict

from ..errors import AppraisalErrorCode as Code
from ..models import FINAL_STATUSES, AppraisalInput, Evaluation, EvaluationStatus, MemberResult
from . import awards
from ._shared import invalid, locked_evaluation
from .evaluations import evaluated_members, require_editable


def _months_between(start, end):
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def engine_inputs(evaluation):
    """The engine's inputs for ``evaluation``, in its format.

    Returns ``(members, events, appraisal, history, by_id, excluded, sources)``: engine member
    dicts, event dicts (``{"member", "date", "component", "points"}``), appraisal by member
    id, history by member id, Member by engine id, excluded Members, and the LedgerEntry
    behind each event (same order).
    """
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
        .filter(kind__in=SCORE_KINDS)
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
    """A SchemeError turned into a ValidationError (``computation_failed``) naming the member or ledger entry."""
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
    return invalid(_("按方案计算失败：%(where)s：%(msg)s"), Code.COMPUTATION_FAILED, where=where, msg=error.message)


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
    is reproduced): ``{"member", "field", "stored", "recomputed"}``. Read-only. Raises
    ValidationError (``computation_failed``) when the scheme refuses the inputs.
    """
    result, by_id, _excluded = _engine_result(evaluation)
    stored = {str(r.member_id): r for r in evaluation.results.select_related("member")}
    awarded = {}
    for award in evaluation.quota_awards.all():
        awarded.setdefault(str(award.member_id), []).append(award.target)
    differences = []
    for item in result.members:
        row = stored.pop(item.id, None)
        member = by_id[item.id]
        if row is None:
            differences.append({"member": member.name, "field": "result", "stored": None, "recomputed": item.total})
            continue
        grade, stars = item.grade or "", item.stars
        for award in awarded.get(item.id, ()):  # a tied place the branch awarded (appraisals.services.awards)
            if award.endswith("星") and award[:-1].isdigit():
                stars = int(award[:-1])
            else:
                grade = award
        for field, recomputed in (("total", item.total), ("grade", grade), ("stars", stars),
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
    ``compute_results`` node. A member without ledger entries still gets a result. Locks the
    scheme (later edits make a new version). Returns the new MemberResult rows.

    Raises PermissionDenied, StepConflict (``evaluation_not_editable``) or ValidationError
    (``computation_failed``, naming the member or ledger entry).
    """
    if by is not None:
        require(by, evaluation.organisation, BRANCH_STAFF)

    def _run(ev):
        require_editable(ev)
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
        awards.reapply(ev)
        audit.record(AuditAction.RESULTS_COMPUTED, ev, actor=by, organisation=ev.organisation, before=before,
                     after={"status": ev.status, "members": len(rows), "scheme_version": version.number,
                            "checks": len(ev.checks)})
        return rows

    if process is not None:  # inside the flow node: the lock is already held
        with transaction.atomic():
            return _run(Evaluation.objects.select_for_update(of=("self",)).get(pk=evaluation.pk))
    with locked_evaluation(evaluation) as (ev, _process):
        return _run(ev)


def flow_compute(process, task):
    """YearEndFlow ``compute_results`` node (the appraisal step just closed)."""
    compute_results(process.evaluation, process=process, task=task)
