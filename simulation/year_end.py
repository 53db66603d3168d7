"""The year-end evaluation of a walk, and its stored results read back as the ``simulate`` document.

The committee's secretary opens the evaluation for the scheme's cycle, records each member's
democratic appraisal as the scenario gives it — a score, votes, weighted raters, or one per
star — with the situations the branch attests (the member's ``flags``), and closes the step;
the flow computes the results from the ledger. The secretary proposes them, the higher
committee approves, the publicity runs its days (the clock is set past its close and the timer
fires), the results are published and used (dispositions, documents).
"""
import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError

from appraisals.models import MemberResult
from appraisals.services import evaluations
from scoring_engine.render import number

from .rounds import WalkRefused, messages_of

#: Flags that are not attested situations: 不纳入 is an exclusion record (``simulation.world``).
NOT_ATTESTED = frozenset({"excluded"})


def _flag(value):
    """A scenario flag value as the appraisal input keeps it (a whole Decimal becomes an int)."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


def run_year_end(world, clock, scenario):
    """Walk the year end of ``world`` on ``clock``; returns the published Evaluation."""
    # The day after the cycle, or later when the last round's publicity ran past it.
    clock.set_day(world.cycle.end + datetime.timedelta(days=1))
    secretary, reviewer = world.secretary, world.reviewer
    evaluation = evaluations.open_evaluation(organisation=world.committee, by=secretary, scheme_version=world.version)
    clock.watch(evaluation.process)
    appraisal = scenario.get("appraisal") or {}
    for raw in scenario["members"]:
        member_id = raw["id"]
        flags = {k: _flag(v) for k, v in (raw.get("flags") or {}).items() if k not in NOT_ATTESTED}
        spec = appraisal.get(member_id)
        if spec is None and not flags:
            continue
        member = world.members[member_id]
        if member.is_excluded(world.cycle.end, approved_only=world.scheme.exclusion_approval == "higher"):
            continue
        kwargs = dict(spec) if spec else {}
        try:
            evaluations.record_appraisal(evaluation, member, secretary, flags=flags, **kwargs)
        except (ValidationError, TypeError) as refused:
            raise WalkRefused(f"appraisal.{member_id}", messages_of(refused)) from None
    try:
        evaluations.finish_appraisal(evaluation, secretary, confirm=True)  # a scenario is computed as given
    except ValidationError as refused:
        raise WalkRefused("", "年终评定计算失败：" + messages_of(refused)) from None
    evaluations.propose_results(evaluation, secretary)
    evaluations.approve_results(evaluation, reviewer, "试算：同意", publicity_start=clock.today)
    evaluation.refresh_from_db()
    clock.advance_to(evaluation.publicity_closes_at + datetime.timedelta(minutes=1))
    clock.sweep()
    evaluation.refresh_from_db()
    return evaluation


def read_back(world, evaluation, scenario, scheme_label):
    """The ``simulate`` result document (SCENARIOS.md) read from ``evaluation``'s stored results.

    Members in the scenario's order; member and branch ids in the checks are the scenario's.
    """
    scheme = world.scheme
    floaty = {c.name for c in scheme.components if c.from_appraisal}
    stored = {r.member_id: r for r in MemberResult.objects.filter(evaluation=evaluation)}
    ids = {m.pk: member_id for member_id, m in world.members.items()}
    branches = {str(o.pk): name for name, o in world.branches.items()}
    rows = []
    for raw in scenario["members"]:
        member = world.members[raw["id"]]
        result = stored.get(member.pk)
        if result is None:
            rows.append({"id": raw["id"], "total": None, "grade": None, "stars": None, "vetoed": False,
                         "components": {}, "actions": [], **({"awards": []} if scheme.awards else {}),
                         "excluded": True})
            continue
        row = {
            "id": raw["id"],
            "total": number(result.total, always_float=True),
            "grade": result.grade or None,
            "stars": result.stars,
            "vetoed": result.vetoed,
            # In the scheme's order, as the engine gives them (a jsonb column keeps no key order).
            "components": {c.name: number(Decimal(result.components[c.name]), c.name in floaty)
                           for c in scheme.components if c.name in result.components},
            "actions": list(result.actions),
        }
        if scheme.awards:
            row["awards"] = list(scheme.awards_for(result.grade or None, result.stars, result.total, result.vetoed))
        rows.append(row)
    checks = [_rename(check, ids, branches) for check in evaluation.checks]
    return {"scheme": scheme_label, "members": rows, "checks": checks}


_MEMBER_KEYS = frozenset({"member", "members", "moved", "tied"})


def _rename(value, ids, branches, key=None):
    """A stored check with the database's member and branch ids replaced by the scenario's.

    A check about one branch also names it in its message (``支部 17 的5星人数为 0``): there too.
    """
    if isinstance(value, dict):
        renamed = {k: _rename(v, ids, branches, k) for k, v in value.items()}
        branch = value.get("branch")
        if isinstance(branch, str) and branch in branches and isinstance(renamed.get("message"), str):
            renamed["message"] = renamed["message"].replace(branch, branches[branch], 1)
        return renamed
    if isinstance(value, list):
        return [_rename(v, ids, branches, key) for v in value]
    if key in _MEMBER_KEYS and isinstance(value, str) and value.isdigit():
        return ids.get(int(value), value)
    if key == "branch" and isinstance(value, str):
        return branches.get(value, value)
    return value

