"""The computation: components, total, veto, stars, grade, quotas, actions, checks.

Everything here works on already-validated inputs (see ``scheme.py`` and ``inputs.py``)
and on ``Decimal`` throughout. Totals are rounded half-up to two places once, at the
end of each member's arithmetic; grades, stars and quotas are then decided on that
published figure so that anyone reading the result sheet can check a grade against
the total printed beside it.
"""
from dataclasses import dataclass, field
from decimal import Decimal

from .actions import ACTIONS
from .bands import find_band
from .cycle import cycle_findings, previous_cycle_start
from .errors import SchemeError
from .findings import apply_quotas, org_checks
from .matching import Context, Year, any_of, compile_condition
from .reader import ZERO, round_points  # noqa: F401  (round_points re-exported: render, appraisals)

ONE = Decimal(1)
_ACTION_ORDER = {name: i for i, name in enumerate(ACTIONS)}


@dataclass(slots=True)
class MemberResult:
    id: str
    branch: str
    probationary: bool
    total: Decimal | None = None
    grade: str | None = None
    stars: int | None = None
    vetoed: bool = False
    components: dict = field(default_factory=dict)
    actions: tuple = ()
    awards: tuple = ()
    excluded: bool = False
    overridden: bool = False


@dataclass(slots=True)
class Result:
    scheme: object
    members: list
    checks: list


def _capped_sum(quarters, cap, cycle_cap):
    """Σ over quarters of min(quarter sum, quarter ``cap``), then min(that, ``cycle_cap``); a cap of None: none.

    Caps limit how much a component can *gain*; a negative quarter (corrections, or a
    signed component) is never lifted.
    """
    if cap is None:
        total = sum(quarters, ZERO)
    else:
        total = ZERO
        for amount in quarters:
            total += cap if amount > cap else amount
    if cycle_cap is not None and total > cycle_cap:
        total = cycle_cap
    return total


_PERIOD_OF = {"cycle": lambda e: 0, "quarter": lambda e: e[1], "month": lambda e: e[2]}


def _merge_picks(component, quarters, item_events, n_quarters):
    """Apply item rules before caps: count limits per period and 同类别不重复加分 (best event per item).

    ``item_events``: item key -> ``[(points, quarter, month), ...]``. An item's ``max_count``
    counts within its ``per`` period (the cycle, a quarter, a month: 钟祥 当年/每月); the largest
    contributions are kept.
    """
    quarters = list(quarters) if quarters is not None else [ZERO] * n_quarters
    for key, events in item_events.items():
        item = component.items.get(key)
        limit = item.max_count if item is not None else None
        if component.best_per_item:
            limit = 1 if limit is None else min(limit, 1)
        period_of = _PERIOD_OF[item.per if item is not None else "cycle"]
        groups = {}
        for e in events:
            groups.setdefault(period_of(e), []).append(e)
        for group in groups.values():
            # Keep the largest contributions; ties broken by date so order of input never matters.
            chosen = sorted(group, key=lambda e: (-e[0], e[2], e[1]))
            if limit is not None:
                chosen = chosen[:limit]
            for value, quarter, _month in chosen:
                quarters[quarter] += value
    return quarters


#: How many members' results :func:`compute` hands ``on_scored`` at a time.
SCORED_BATCH = 1000


def compute(scheme, inputs, on_scored=None):
    """Compute every member's result and the organisation-level checks.

    ``inputs`` is an :class:`~scoring_engine.inputs.Inputs` (see :func:`scoring_engine.prepare`).
    ``on_scored`` (optional) is called with lists of up to :data:`SCORED_BATCH` final results as
    they become final, each member once: at once for a member no quota (名额) can move, after the
    organisation-wide quotas for the others (those holding a quota's grade or stars when scored),
    so a caller can store results while the rest are scored. They are the returned objects.
    """
    cycle = inputs.cycle
    previous_start = previous_cycle_start(cycle, scheme.cycle_months)
    year = Year(scheme, cycle) if scheme.year_start else None
    n_quarters = cycle.quarters
    results = []
    contexts = []
    missing_appraisal = []
    plans = {}  # category -> _CategoryPlan: what depends only on the category, worked out once
    rules = _Rules(scheme)
    awards_for = scheme.awards_for if scheme.awards else None  # no award rules: nothing to ask per member
    movable = _movable(scheme) if on_scored is not None else None
    ready, held = [], []  # for on_scored: final results not handed over yet; those a quota may move
    cycle_start = cycle.start
    # Read once, not once per member.
    sums, picks, appraisals, histories = inputs.sums, inputs.picks, inputs.appraisal, inputs.history
    for member in inputs.members:
        result = MemberResult(member.id, member.branch, member.probationary)
        results.append(result)
        if member.excluded:
            result.excluded = True
            contexts.append(None)
        else:
            plan = plans.get(member.category)
            if plan is None:
                plan = plans[member.category] = _CategoryPlan(scheme, member.category)
            index = member.index
            values, unappraised = _component_values(plan, sums[index], picks[index], appraisals[index], n_quarters)
            total = _combine(plan, values)
            ctx = Context(member, result, values, histories[index], previous_start, cycle_start, year)
            contexts.append(ctx)
            if rules.vetoed(ctx):
                # 一票否决、积分清零
                total = ZERO
                result.vetoed = True
            elif unappraised:
                # A vetoed member's appraisal cannot matter; anyone else's must be there or be noted.
                if scheme.appraisal_missing == "error":
                    raise SchemeError(f"appraisal.{member.id}",
                                      f"缺少 {'、'.join(unappraised)} 的民主评议结果 (appraisal missing)")
                missing_appraisal.append(member.id)
            result.total = round_points(total)
            result.components = values
            _stars(scheme, result, values)
            ctx.decided = True
            _grade(scheme, rules, result, ctx)
            # Actions and awards look at this member alone: final unless a quota moves the grade or stars.
            result.actions = rules.actions_for(ctx)
            if awards_for:
                result.awards = awards_for(result.grade, result.stars, result.total, result.vetoed)
            if movable is not None and movable(result):
                held.append(result)
                continue
        if on_scored is not None:
            ready.append(result)
            if len(ready) == SCORED_BATCH:
                on_scored(ready)
                ready = []

    checks = cycle_findings(cycle, scheme)
    if missing_appraisal:
        checks.append({
            "type": "appraisal_missing",
            "members": missing_appraisal,
            "message": f"{len(missing_appraisal)} 人尚无民主评议结果，评议分按 0 计 (no appraisal yet: counted as 0)",
        })
    moved = apply_quotas(scheme, results, checks)
    if moved:
        context_of = {id(result): ctx for result, ctx in zip(results, contexts)}
        for result in moved:
            ctx = context_of[id(result)]
            result.actions = rules.actions_for(ctx)
            if awards_for:
                result.awards = awards_for(result.grade, result.stars, result.total, result.vetoed)
    if on_scored is not None:
        ready.extend(held)
        for start in range(0, len(ready), SCORED_BATCH):
            on_scored(ready[start:start + SCORED_BATCH])
    org_checks(scheme, results, contexts, checks)
    return Result(scheme, results, checks)


def _movable(scheme):
    """A test of whether a scored member's grade or stars is one a quota with a share may move
    (:func:`~scoring_engine.findings.apply_quotas`: a member moved holds a quota's target)."""
    grades = {q.grade for q in scheme.quotas if q.max_share is not None and q.grade is not None}
    stars = {q.stars for q in scheme.quotas if q.max_share is not None and q.grade is None}
    if not grades and not stars:
        return None
    return lambda result: (result.grade in grades and not result.overridden) or result.stars in stars


class _Rules:
    """The scheme's conditions compiled once for all members (:func:`~scoring_engine.matching.compile_condition`).

    ``vetoed``: a predicate, true when any veto holds; ``overrides``/``adjustments``: ``(predicate,
    override or adjustment)`` of the grades (empty without); :meth:`actions_for` a member's actions.
    """

    __slots__ = ("vetoed", "actions", "no_commendation", "overrides", "adjustments", "_ordered")

    def __init__(self, scheme):
        self.vetoed = any_of([compile_condition(cond) for cond in scheme.vetoes])
        self.actions = [(compile_condition(rule.when), rule.actions) for rule in scheme.actions]
        self.no_commendation = any_of([compile_condition(cond) for cond in scheme.no_commendation])
        grades = scheme.grades
        self.overrides = [(compile_condition(o.when), o) for o in grades.overrides] if grades else []
        self.adjustments = [(compile_condition(a.when), a) for a in grades.adjustments] if grades else []
        self._ordered = {}  # which action rules hold -> their actions in ACTIONS order, worked out once each

    def actions_for(self, ctx):
        """The actions (a tuple in :data:`ACTIONS` order) of the rules that hold for ``ctx``."""
        hits = tuple([when(ctx) for when, _actions in self.actions])
        actions = self._ordered.get(hits)
        if actions is None:
            fired = {a for hit, (_when, rule_actions) in zip(hits, self.actions) if hit for a in rule_actions}
            actions = self._ordered[hits] = tuple(sorted(fired, key=_ACTION_ORDER.__getitem__))
        if "commend" in actions and self.no_commendation(ctx):
            # 调入不足6个月: scored and graded, but the year's points are no ground for commendation.
            actions = tuple(a for a in actions if a != "commend")
        return actions


class _CategoryPlan:
    """What a member's arithmetic takes from the scheme for one category, worked out once per category.

    ``components``: ``(component, start, used, deduct)`` for each component that applies, in the
    scheme's order (``start``: its starting value, None for an appraisal component; ``used``: whether
    a missing appraisal of it counts, see :func:`_used`; ``deduct``: 倒扣); ``terms``: ``(component
    name, weight, share)`` for each term that applies (``share``: the component's
    ``max_share_of_total`` when the weight is positive, else None: only then does it cap);
    ``total_min``/``total_max``: the scheme's bounds of a total.
    """

    __slots__ = ("components", "terms", "total_min", "total_max")

    def __init__(self, scheme, category):
        self.total_min, self.total_max = scheme.total_min, scheme.total_max
        self.components = [
            (component, None if component.from_appraisal else component.start_for(category),
             component.from_appraisal and _used(scheme, component, category), component.mode == "deduct")
            for component in scheme.components if component.applies_to(category)]
        self.terms = []
        for term in scheme.terms:
            if term.applies_to(category):
                share = scheme.component(term.component).max_share_of_total
                self.terms.append((term.component, term.weight, share if term.weight > 0 else None))


_NO_APPRAISAL = {}  # read only: a member without appraisal scores


def _component_values(plan, sums, picks, appraisal, n_quarters):
    """Each applicable component's value after caps, floor and ceiling (before weighting),
    and the labels of appraisal components the member has no appraisal for.

    ``sums``, ``picks``, ``appraisal``: the member's entries of :class:`~scoring_engine.inputs.Inputs`.
    """
    if appraisal is None:
        appraisal = _NO_APPRAISAL
    values = {}
    unappraised = []
    for component, start, used, deduct in plan.components:
        c = component.index
        quarters = sums[c]
        if picks is not None and c in picks:
            quarters = _merge_picks(component, quarters, picks[c], n_quarters)
        if start is None:
            base = appraisal.get(component.name)
            if base is None:
                if not used:
                    continue  # e.g. 东塘's 在职党员: no appraisal in their total, none shown
                unappraised.append(component.label)
                base = ZERO
        else:
            base = start
        if quarters is not None:
            moved = _capped_sum(quarters, component.quarter_cap, component.cycle_cap)
            value = base - moved if deduct else base + moved
        else:
            value = base
        floor, ceiling = component.floor, component.ceiling
        if floor is not None and value < floor:
            value = floor
        if ceiling is not None and value > ceiling:
            value = ceiling
        values[component.name] = value
    return values, unappraised


def _used(scheme, component, category):
    return any(t.component == component.name and t.applies_to(category)
               for t in scheme.terms) or (scheme.stars is not None and component.name in scheme.stars.dimensions)


def _combine(plan, values):
    """Σ weight × value over the terms that apply, with share-of-total caps and overall bounds."""
    capped = []  # (name, weight, share, contribution) of the terms whose share may cap them
    total = ZERO
    for name, weight, share in plan.terms:
        value = values.get(name)
        if value is None:
            continue
        contribution = value * weight
        total += contribution
        if share is not None:
            capped.append((name, weight, share, contribution))
    for name, weight, share, contribution in capped:
        # 篇四 "奖励性加分一般不超过总积分的10%": c <= s × (rest + c)  <=>  c <= s/(1-s) × rest.
        rest = total - contribution
        limit = share / (ONE - share) * rest if rest > 0 else ZERO
        if contribution > limit:
            total = rest + limit
            values[name] = limit / weight
    if plan.total_min is not None and total < plan.total_min:
        total = plan.total_min
    if plan.total_max is not None and total > plan.total_max:
        total = plan.total_max
    return total


def _stars(scheme, result, values):
    stars = scheme.stars
    if stars is None:
        return
    if result.vetoed:
        # 取消评星资格: a vetoed member earns no stars whatever the points.
        result.stars = stars.vetoed_stars
    elif stars.mode == "bands":
        band = find_band(stars.bands, result.total)
        result.stars = band.value if band is not None else None
    else:
        result.stars = sum(
            1 for name in stars.dimensions
            if values.get(name) is not None and values[name] >= stars.thresholds[name]
        )


def _grade(scheme, rules, result, ctx):
    grades = scheme.grades
    if grades is None:
        return
    for when, override in rules.overrides:
        if when(ctx):
            result.grade = override.grade
            result.overridden = True
            break
    else:
        basis = Decimal(result.stars) if grades.basis == "stars" else result.total
        band = find_band(grades.bands, basis) if basis is not None else None
        result.grade = band.value if band is not None else None
    for when, adjustment in rules.adjustments:
        if not when(ctx):
            continue
        if adjustment.to is not None:
            result.grade = adjustment.to
            continue
        if adjustment.shift is not None:
            step = adjustment.shift
        else:
            raw = ctx.member.flags.get(adjustment.shift_flag)
            step = int(raw) if isinstance(raw, (int, Decimal)) and not isinstance(raw, bool) else 0
        step = max(-adjustment.max_shift, min(adjustment.max_shift, step))
        order = grades.order
        position = order.index(result.grade) + step
        result.grade = order[max(0, min(len(order) - 1, position))]
