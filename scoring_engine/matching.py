"""What a condition (:class:`~scoring_engine.conditions.Condition`) looks at for one member, and the test.

:func:`compile_condition` turns a condition into a test of a member's result (:func:`matches`
tests once): the member's flags and category, this cycle's total, grade, stars and components,
earlier cycles (history) and the year a short cycle belongs to (:class:`_Year`, 篇十三 作业区).
"""
from datetime import date, timedelta
from functools import partial

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


def _previous(ctx):
    """The member's entry for the cycle just before this one, or None."""
    return next((e for e in ctx.history if e.cycle_start == ctx.previous_start), None)


def compile_condition(cond):
    """``cond`` as one predicate on a :class:`Context`, built from only the tests it sets.

    Most of a condition's fields are None; a compiled condition skips them instead of asking
    each one for every member (compile once per computation, call once per member). The tests
    keep their order, so a condition stops at the same test as before.
    """
    tests = []
    if cond.flag is not None:
        flag = cond.flag
        if flag.at_least is None and flag.below is None and flag.equals is None:
            # A plain "this flag is set" (every veto of most schemes): FlagTest.matches' last line, without the call.
            name = flag.flag
            tests.append(lambda ctx: bool(ctx.member.flags.get(name)))
        else:
            tests.append(lambda ctx: flag.matches(ctx.member.flags))
    if cond.unless_flag is not None:
        unless_flag = cond.unless_flag
        tests.append(lambda ctx: not ctx.member.flags.get(unless_flag))
    if cond.probationary is not None:
        probationary = cond.probationary
        tests.append(lambda ctx: ctx.member.probationary == probationary)
    if cond.vetoed is not None:
        vetoed = cond.vetoed
        tests.append(lambda ctx: ctx.result.vetoed == vetoed)
    if cond.grades is not None:
        grades = cond.grades
        tests.append(lambda ctx: ctx.result.grade in grades)
    if cond.total_below is not None:
        total_below = cond.total_below
        tests.append(lambda ctx: ctx.result.total is not None and ctx.result.total < total_below)
    if cond.total_at_least is not None:
        total_at_least = cond.total_at_least
        tests.append(lambda ctx: ctx.result.total is not None and ctx.result.total >= total_at_least)
    if cond.stars_at_most is not None:
        stars_at_most = cond.stars_at_most
        tests.append(lambda ctx: ctx.result.stars is not None and ctx.result.stars <= stars_at_most)
    if cond.stars_at_least is not None:
        stars_at_least = cond.stars_at_least
        tests.append(lambda ctx: ctx.result.stars is not None and ctx.result.stars >= stars_at_least)
    if cond.component is not None:
        tests.append(partial(_component_matches, cond))
    if cond.previous is not None:
        previous_test = cond.previous
        tests.append(lambda ctx: (previous := _previous(ctx)) is not None and previous_test.matches(previous))
    if cond.not_previous is not None:
        not_previous = cond.not_previous
        tests.append(lambda ctx: (previous := _previous(ctx)) is None or not not_previous.matches(previous))
    if cond.earlier is not None:
        tests.append(partial(_earlier_matches, cond))
    if cond.year is not None:
        year_test = cond.year
        tests.append(lambda ctx: _year_matches(year_test, ctx))
    if not tests:
        return _always
    if len(tests) == 1:
        return tests[0]
    tests = tuple(tests)

    def conjunction(ctx):
        for test in tests:
            if not test(ctx):
                return False
        return True
    return conjunction


def _always(ctx):
    return True


def _never(ctx):
    return False


def any_of(predicates):
    """One predicate, true when any of ``predicates`` (compiled conditions) is; none: never."""
    if not predicates:
        return _never
    if len(predicates) == 1:
        return predicates[0]
    predicates = tuple(predicates)

    def disjunction(ctx):
        for predicate in predicates:
            if predicate(ctx):
                return True
        return False
    return disjunction


def _component_matches(cond, ctx):
    value = ctx.values.get(cond.component)
    if value is None:
        return False
    if cond.component_at_least is not None and value < cond.component_at_least:
        return False
    return cond.component_below is None or not value >= cond.component_below


def _earlier_matches(cond, ctx):
    window_start = (month_offset(ctx.cycle_start, -cond.earlier_within_months)
                    if cond.earlier_within_months else None)
    count = sum(
        1 for e in ctx.history
        if (window_start is None or e.cycle_start >= window_start) and cond.earlier.matches(e)
    )
    return count >= cond.earlier_count_at_least


def matches(cond, ctx):
    """Whether ``ctx`` meets ``cond`` (for many members, call :func:`compile_condition` once instead)."""
    return compile_condition(cond)(ctx)
