"""The computation: components, total, veto, stars, grade, quotas, actions, checks.

Everything here works on already-validated inputs (see ``scheme.py`` and ``inputs.py``)
and on ``Decimal`` throughout. Totals are rounded half-up to two places once, at the
end of each member's arithmetic; grades, stars and quotas are then decided on that
published figure so that anyone reading the result sheet can check a grade against
the total printed beside it.
"""
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from .bands import find_band
from .errors import SchemeError
from .actions import ACTIONS
from .cycle import cycle_findings, month_offset, previous_cycle_start
from .reader import ZERO

CENT = Decimal("0.01")
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
    excluded: bool = False
    overridden: bool = False


@dataclass(slots=True)
class Result:
    scheme: object
    members: list
    checks: list


def round_points(value):
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _capped_sum(component, quarters):
    """Σ over quarters of min(quarter sum, quarter cap), then min(that, cycle cap).

    Caps limit how much a component can *gain*; a negative quarter (corrections, or a
    signed component) is never lifted.
    """
    cap = component.quarter_cap
    if cap is None:
        total = sum(quarters, ZERO)
    else:
        total = ZERO
        for amount in quarters:
            total += cap if amount > cap else amount
    cycle_cap = component.cycle_cap
    if cycle_cap is not None and total > cycle_cap:
        total = cycle_cap
    return total


def _merge_picks(component, quarters, item_events, n_quarters):
    """Apply item rules before caps: count limits and 同类别不重复加分 (best event per item)."""
    quarters = list(quarters) if quarters is not None else [ZERO] * n_quarters
    for key, events in item_events.items():
        item = component.items.get(key)
        limit = item.max_count if item is not None else None
        if component.best_per_item:
            limit = 1 if limit is None else min(limit, 1)
        # Keep the largest contributions; ties broken by quarter so order of input never matters.
        chosen = sorted(events, key=lambda e: (-e[0], e[1]))
        if limit is not None:
            chosen = chosen[:limit]
        for value, quarter in chosen:
            quarters[quarter] += value
    return quarters


class _Context:
    """What a :class:`~scoring_engine.scheme.Condition` can look at for one member."""

    __slots__ = ("member", "result", "values", "history", "previous_start", "cycle_start")

    def __init__(self, member, result, values, history, previous_start, cycle_start):
        self.member = member
        self.result = result
        self.values = values
        self.history = history
        self.previous_start = previous_start
        self.cycle_start = cycle_start


def matches(cond, ctx):
    member, result = ctx.member, ctx.result
    if cond.flag is not None and not cond.flag.matches(member.flags):
        return False
    if cond.unless_flag is not None and member.flags.get(cond.unless_flag):
        return False
    if cond.probationary is not None and member.probationary != cond.probationary:
        return False
    if cond.vetoed is not None and result.vetoed != cond.vetoed:
        return False
    if cond.grades is not None and result.grade not in cond.grades:
        return False
    total = result.total
    if cond.total_below is not None and not (total is not None and total < cond.total_below):
        return False
    if cond.total_at_least is not None and not (total is not None and total >= cond.total_at_least):
        return False
    stars = result.stars
    if cond.stars_at_most is not None and not (stars is not None and stars <= cond.stars_at_most):
        return False
    if cond.stars_at_least is not None and not (stars is not None and stars >= cond.stars_at_least):
        return False
    if cond.component is not None:
        value = ctx.values.get(cond.component)
        if value is None:
            return False
        if cond.component_at_least is not None and value < cond.component_at_least:
            return False
        if cond.component_below is not None and value >= cond.component_below:
            return False
    if cond.previous is not None:
        previous = next((e for e in ctx.history if e.cycle_start == ctx.previous_start), None)
        if previous is None or not cond.previous.matches(previous):
            return False
    if cond.not_previous is not None:
        previous = next((e for e in ctx.history if e.cycle_start == ctx.previous_start), None)
        if previous is not None and cond.not_previous.matches(previous):
            return False
    if cond.earlier is not None:
        window_start = (month_offset(ctx.cycle_start, -cond.earlier_within_months)
                        if cond.earlier_within_months else None)
        count = sum(
            1 for e in ctx.history
            if (window_start is None or e.cycle_start >= window_start) and cond.earlier.matches(e)
        )
        if count < cond.earlier_count_at_least:
            return False
    return True


def compute(scheme, inputs):
    """Compute every member's result and the organisation-level checks.

    ``inputs`` is an :class:`~scoring_engine.inputs.Inputs` (see :func:`scoring_engine.prepare`).
    """
    cycle = inputs.cycle
    previous_start = previous_cycle_start(cycle, scheme.cycle_months)
    n_quarters = cycle.quarters
    results = []
    contexts = []
    missing_appraisal = []
    components = scheme.components
    for member in inputs.members:
        result = MemberResult(member.id, member.branch, member.probationary)
        results.append(result)
        if member.excluded:
            result.excluded = True
            contexts.append(None)
            continue
        values, unappraised = _component_values(scheme, member, inputs, n_quarters, components)
        total = _combine(scheme, member.category, values)
        ctx = _Context(member, result, values, inputs.history[member.index], previous_start, cycle.start)
        contexts.append(ctx)
        if any(matches(cond, ctx) for cond in scheme.vetoes):
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
        _grade(scheme, result, ctx)

    checks = cycle_findings(cycle, scheme)
    if missing_appraisal:
        checks.append({
            "type": "appraisal_missing",
            "members": missing_appraisal,
            "message": f"{len(missing_appraisal)} 人尚无民主评议结果，评议分按 0 计 (no appraisal yet: counted as 0)",
        })
    _apply_quotas(scheme, results, checks)
    for result, ctx in zip(results, contexts):
        if ctx is None:
            continue
        fired = set()
        for rule in scheme.actions:
            if matches(rule.when, ctx):
                fired.update(rule.actions)
        if "commend" in fired and any(matches(cond, ctx) for cond in scheme.no_commendation):
            # 调入不足6个月: scored and graded, but the year's points are no ground for commendation.
            fired.discard("commend")
        result.actions = tuple(sorted(fired, key=_ACTION_ORDER.__getitem__))
    _org_checks(scheme, results, contexts, checks)
    return Result(scheme, results, checks)


def _component_values(scheme, member, inputs, n_quarters, components):
    """Each applicable component's value after caps, floor and ceiling (before weighting),
    and the labels of appraisal components the member has no appraisal for."""
    category = member.category
    sums = inputs.sums[member.index]
    picks = inputs.picks[member.index]
    appraisal = inputs.appraisal[member.index] or {}
    values = {}
    unappraised = []
    for component in components:
        if not component.applies_to(category):
            continue
        c = component.index
        quarters = sums[c]
        if picks is not None and c in picks:
            quarters = _merge_picks(component, quarters, picks[c], n_quarters)
        if component.from_appraisal:
            base = appraisal.get(component.name)
            if base is None:
                if not _used(scheme, component, category):
                    continue  # e.g. 东塘's 在职党员: no appraisal in their total, none shown
                unappraised.append(component.label)
                base = ZERO
        else:
            base = component.start_for(category)
        if quarters is not None:
            moved = _capped_sum(component, quarters)
            value = base - moved if component.mode == "deduct" else base + moved
        else:
            value = base
        if component.floor is not None and value < component.floor:
            value = component.floor
        if component.ceiling is not None and value > component.ceiling:
            value = component.ceiling
        values[component.name] = value
    return values, unappraised


def _used(scheme, component, category):
    return any(t.component == component.name and t.applies_to(category)
               for t in scheme.terms) or (scheme.stars is not None and component.name in scheme.stars.dimensions)


def _combine(scheme, category, values):
    """Σ weight × value over the terms that apply, with share-of-total caps and overall bounds."""
    contributions = []
    for term in scheme.terms:
        if not term.applies_to(category):
            continue
        value = values.get(term.component)
        if value is None:
            continue
        contributions.append((term, value * term.weight))
    total = sum((c for _, c in contributions), ZERO)
    for term, contribution in contributions:
        share = scheme.component(term.component).max_share_of_total
        if share is None or term.weight <= 0:
            continue
        # 篇四 "奖励性加分一般不超过总积分的10%": c <= s × (rest + c)  <=>  c <= s/(1-s) × rest.
        rest = total - contribution
        limit = share / (ONE - share) * rest if rest > 0 else ZERO
        if contribution > limit:
            total = rest + limit
            values[term.component] = limit / term.weight
    if scheme.total_min is not None and total < scheme.total_min:
        total = scheme.total_min
    if scheme.total_max is not None and total > scheme.total_max:
        total = scheme.total_max
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


def _grade(scheme, result, ctx):
    grades = scheme.grades
    if grades is None:
        return
    for override in grades.overrides:
        if matches(override.when, ctx):
            result.grade = override.grade
            result.overridden = True
            break
    else:
        basis = Decimal(result.stars) if grades.basis == "stars" else result.total
        band = find_band(grades.bands, basis) if basis is not None else None
        result.grade = band.value if band is not None else None
    for adjustment in grades.adjustments:
        if not matches(adjustment.when, ctx):
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


def _scored(results):
    return [r for r in results if not r.excluded]


def _limit(share, n):
    """Whole places for a share of n people, rounded down (15% of 6 members is 0 places)."""
    return int((share * n).to_integral_value(rounding=ROUND_FLOOR))


def _apply_quotas(scheme, results, checks):
    scored = _scored(results)
    n = len(scored)
    for quota in scheme.quotas:
        if quota.grade is not None:
            target_label = quota.grade
            holders = [r for r in scored if r.grade == quota.grade and not r.overridden]
        else:
            target_label = f"{quota.stars}星"
            holders = [r for r in scored if r.stars == quota.stars]
        if quota.max_share is not None:
            places = _limit(quota.max_share, n)
            if len(holders) > places:
                ranked = sorted(holders, key=lambda r: r.total, reverse=True)
                keep = ranked[:places]
                if places > 0 and ranked[places].total == ranked[places - 1].total:
                    cut = ranked[places - 1].total
                    tied = [r for r in ranked if r.total == cut]
                    keep = [r for r in ranked if r.total > cut]
                    checks.append({
                        "type": "quota_tie",
                        "target": target_label,
                        "total": cut,
                        "members": [r.id for r in tied],
                        "places_left": places - len(keep),
                        "message": f"{target_label}名额在 {cut} 分处并列：{len(tied)} 人争 {places - len(keep)} 个名额，"
                                   f"须由支部研究决定，系统未作取舍 (tie at the quota cut; not broken automatically)",
                    })
                kept = {id(r) for r in keep}
                moved = [r for r in ranked if id(r) not in kept]
                for r in moved:
                    if quota.grade is not None:
                        r.grade = quota.fallback
                    else:
                        r.stars = quota.fallback_stars
                checks.append({
                    "type": "quota",
                    "target": target_label,
                    "limit": places,
                    "candidates": len(holders),
                    "moved": [r.id for r in moved],
                    "to": quota.fallback if quota.grade is not None else quota.fallback_stars,
                    "message": f"{target_label}名额上限 {places} 人（{len(holders)} 人达到分数线），"
                               f"{len(moved)} 人按排名未入选 (quota applied by rank)",
                })
        if quota.min_share is not None:
            if quota.grade is not None:
                count = sum(1 for r in scored if r.grade == quota.grade)
            else:
                count = sum(1 for r in scored if r.stars is not None and r.stars >= quota.stars)
            required = (quota.min_share * n).to_integral_value(rounding=ROUND_CEILING)
            if count < required:
                checks.append({
                    "type": "quota_minimum",
                    "target": target_label,
                    "count": count,
                    "required": int(required),
                    "message": f"{target_label}及以上应不少于 {quota.min_share * 100:.0f}%（{int(required)} 人），"
                               f"实际 {count} 人 (minimum share not reached)",
                })
        if quota.per_branch_min is not None:
            branches = {}
            for r in scored:
                branches.setdefault(r.branch, 0)
                if (r.grade == quota.grade) if quota.grade is not None else (r.stars == quota.stars):
                    branches[r.branch] += 1
            for branch, count in sorted(branches.items()):
                if count < quota.per_branch_min:
                    checks.append({
                        "type": "quota_branch_minimum",
                        "target": target_label,
                        "branch": branch,
                        "count": count,
                        "required": quota.per_branch_min,
                        "message": f"支部 {branch} 的{target_label}人数为 {count}，原则上至少 {quota.per_branch_min} 人 "
                                   f"(branch below its minimum)",
                    })


def _org_checks(scheme, results, contexts, checks):
    scored = _scored(results)
    for check in scheme.checks:
        if check.type == "share_below":
            groups = {}
            for r in scored:
                groups.setdefault(r.branch if check.scope == "branch" else None, []).append(r)
            for branch, members in sorted(groups.items(), key=lambda item: item[0] or ""):
                n = len(members)
                below = [r for r in members if r.total < check.threshold]
                where = f"支部 {branch}" if branch is not None else "本组织"
                low = _limit(check.min_share, n) if check.min_share is not None else None
                high = _limit(check.max_share, n) if check.max_share is not None else None
                if (low is not None and len(below) < low) or (high is not None and len(below) > high):
                    checks.append({
                        "type": "share_below",
                        "branch": branch,
                        "threshold": check.threshold,
                        "count": len(below),
                        "members_scored": n,
                        "required_min": low,
                        "required_max": high,
                        "message": f"{where}：{n} 人中 {len(below)} 人低于 {check.threshold} 分，"
                                   f"方案要求 {low if low is not None else 0}–{high if high is not None else n} 人 "
                                   f"(share below threshold outside the required band)",
                    })
        elif check.type == "group_bonus":
            by_branch = {}
            for r in scored:
                by_branch.setdefault(r.branch, []).append(r.total)
            for branch, totals in sorted(by_branch.items()):
                average = sum(totals, ZERO) / len(totals)
                if average >= check.per_capita:
                    steps = ((average - check.per_capita) / check.step).to_integral_value(rounding=ROUND_FLOOR)
                    points = check.base_points + steps * check.step_points
                    checks.append({
                        "type": "group_bonus",
                        "branch": branch,
                        "per_capita": round_points(average),
                        "points": points,
                        "message": f"{branch} 人均 {round_points(average)} 分，集体加 {points} 分 (group bonus earned)",
                    })
        elif check.type == "branch_ranking":
            maximum = scheme.stars.maximum if scheme.stars else 0
            rows = []
            by_branch = {}
            for r in scored:
                by_branch.setdefault(r.branch, []).append(r)
            for branch, members in by_branch.items():
                stars = sum(r.stars or 0 for r in members)
                share = Decimal(stars) / (len(members) * maximum) if maximum else ZERO
                rows.append({"branch": branch, "star_share": round_points(share),
                             "total": sum((r.total for r in members), ZERO)})
            rows.sort(key=lambda row: (-row["star_share"], -row["total"], row["branch"]))
            checks.append({"type": "branch_ranking", "ranking": rows,
                           "message": "单元排名：先看得星百分比，再看总分 (units ranked by star share, then total)"})
        elif check.type == "grade_summary":
            counts = {label: 0 for label in check.per_grade}
            for r in scored:
                if r.grade in counts:
                    counts[r.grade] += 1
            checks.append({
                "type": "grade_summary",
                "counts": counts,
                "per_grade": dict(check.per_grade),
                "sum": sum((check.per_grade[g] * n for g, n in counts.items()), ZERO),
                "message": check.message,
            })
        elif check.type == "member_flag":
            for r, ctx in zip(results, contexts):
                if ctx is not None and matches(check.when, ctx):
                    checks.append({"type": "member_flag", "member": r.id, "message": check.message})
