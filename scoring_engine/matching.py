"""What a condition (:class:`~scoring_engine.conditions.Condition`) looks at for one member, and the test.

:func:`matches` tests a member's result against a condition: the member's flags and
category, this cycle's total, grade, stars and components, earlier cycles (history) and
the year a short cycle belongs to (:class:`_Year`, 篇十三 作业区).
"""
from datetime import date, timedelta

from .cycle import month_offset

class Year:
    """The year a short cycle belongs to: its first day, whether this cycle closes it, cycles in it."""

    __slots__ = ("start", "closing", "cycles")

    def __init__(self, scheme, cycle):
        month, day = int(scheme.year_start[:2]), int(scheme.year_start[3:])
        start = date(cycle.start.year, month, day)
        if start > cycle.start:
            start = date(cycle.start.year - 1, month, day)
        self.start = start
        self.closing = cycle.end + timedelta(days=1) == month_offset(start, 12)
        self.cycles = 12 // scheme.cycle_months


class Context:
    """What a :class:`~scoring_engine.scheme.Condition` can look at for one member.

    ``decided``: this cycle's stars and veto are known (False while vetoes are tested).
    """

    __slots__ = ("member", "result", "values", "history", "previous_start", "cycle_start", "year", "decided")

    def __init__(self, member, result, values, history, previous_start, cycle_start, year=None):
        self.member = member
        self.result = result
        self.values = values
        self.history = history
        self.previous_start = previous_start
        self.cycle_start = cycle_start
        self.year = year
        self.decided = False


def _year_matches(test, ctx):
    """A :class:`~scoring_engine.conditions.YearTest` over the cycles of this member's year so far."""
    year = ctx.year
    if test.closing and not year.closing:
        return False
    entries = [(e.stars, e.vetoed) for e in ctx.history if year.start <= e.cycle_start < ctx.cycle_start]
    if ctx.decided:
        entries.append((ctx.result.stars, ctx.result.vetoed))
    vetoed = any(v for _s, v in entries)
    # 取消当年评星资格: a veto in any cycle of the year cancels the stars of the whole year.
    stars = 0 if vetoed else sum(s or 0 for s, _v in entries)
    if test.vetoed is not None and vetoed != test.vetoed:
        return False
    if test.stars_below is not None and not stars < test.stars_below:
        return False
    if test.stars_at_least is not None and not stars >= test.stars_at_least:
        return False
    if test.all_stars_at_least is not None:
        if vetoed or len(entries) != year.cycles or any((s or 0) < test.all_stars_at_least for s, _v in entries):
            return False
    return True


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
    if cond.year is not None and not _year_matches(cond.year, ctx):
        return False
    return True
