"""Conditions on one member's result: flags, grade, total, stars, components, earlier cycles, the year.

Vetoes, grade overrides and adjustments, actions, ``member_flag`` checks and
``no_commendation`` all test a member with a :class:`Condition` (a conjunction of tests;
empty means "always"). History tests look at the member's earlier cycles ("两年连续",
篇四 and 篇十二); year tests at the cycles of the year a short cycle belongs to (篇十三 作业区).
"""
from dataclasses import dataclass
from decimal import Decimal

from .errors import SchemeError, join
from .reader import Reader


@dataclass(frozen=True, slots=True)
class FlagTest:
    """A member flag: truthy, ``equals`` a value, or a number ``at_least``/``below`` a bound."""

    flag: str
    at_least: Decimal | None
    equals: object
    below: Decimal | None = None

    def matches(self, flags):
        value = flags.get(self.flag)
        if self.at_least is not None or self.below is not None:
            if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
                return False
            if self.at_least is not None and value < self.at_least:
                return False
            return self.below is None or value < self.below
        if self.equals is not None:
            return value == self.equals
        return bool(value)


@dataclass(frozen=True, slots=True)
class HistoryTest:
    grades: frozenset | None
    total_below: Decimal | None
    stars_at_most: int | None
    vetoed: bool | None

    def matches(self, entry):
        if self.grades is not None and entry.grade not in self.grades:
            return False
        if self.total_below is not None and (entry.total is None or entry.total >= self.total_below):
            return False
        if self.stars_at_most is not None and (entry.stars is None or entry.stars > self.stars_at_most):
            return False
        if self.vetoed is not None and entry.vetoed != self.vetoed:
            return False
        return True


@dataclass(frozen=True, slots=True)
class YearTest:
    """A test over the year a short cycle belongs to (篇十三 作业区: quarters rated, the year judged).

    The year's cycles are this one and the earlier ones (history) that started within the
    same year (``[cycle] year_start``). Stars over the year are summed; a veto in any of
    them cancels the stars of the whole year ("取消当年评星资格": the sum is then 0).

    ``closing``: hold only at the cycle that ends the year. ``stars_below`` /
    ``stars_at_least``: the year's star sum. ``all_stars_at_least``: every cycle of a full
    year (12 months of cycles) reached this many stars, none vetoed. ``vetoed``: some cycle
    of the year so far was vetoed (true) or none was (false); tested before this cycle's own
    veto is known, it looks at the earlier cycles.
    """

    closing: bool = False
    stars_below: int | None = None
    stars_at_least: int | None = None
    all_stars_at_least: int | None = None
    vetoed: bool | None = None


@dataclass(frozen=True, slots=True)
class Condition:
    """A conjunction of tests on one member's result; empty means "always"."""

    flag: FlagTest | None = None
    unless_flag: str | None = None
    grades: frozenset | None = None
    total_below: Decimal | None = None
    total_at_least: Decimal | None = None
    stars_at_most: int | None = None
    stars_at_least: int | None = None
    probationary: bool | None = None
    vetoed: bool | None = None
    component: str | None = None
    component_at_least: Decimal | None = None
    component_below: Decimal | None = None
    previous: HistoryTest | None = None
    not_previous: HistoryTest | None = None
    earlier: HistoryTest | None = None
    earlier_count_at_least: int = 1
    earlier_within_months: int | None = None
    year: YearTest | None = None



def parse_history_test(obj, labels):
    grades = obj.strings("grades", None)
    if grades is not None and labels is not None:
        for i, label in enumerate(grades):
            if label not in labels:
                raise SchemeError(join(obj.where("grades"), i), f"未知等次 {label!r} (unknown grade label)")
    test = HistoryTest(
        grades=frozenset(grades) if grades is not None else None,
        total_below=obj.decimal("total_below", None),
        stars_at_most=obj.integer("stars_at_most", None),
        vetoed=obj.boolean("vetoed", None),
    )
    return test


def parse_condition(raw, path, names, labels):
    obj = Reader(raw, path)
    obj.raw("reason", None)
    flag = None
    if obj.has("flag"):
        flag = FlagTest(obj.string("flag"), obj.decimal("at_least", None), obj.raw("equals", None),
                        obj.decimal("below", None))
    unless_flag = obj.string("unless_flag", None)
    grades = obj.strings("grades", None)
    if grades is not None:
        for i, label in enumerate(grades):
            if labels is not None and label not in labels:
                raise SchemeError(join(obj.where("grades"), i), f"未知等次 {label!r} (unknown grade label)")
        grades = frozenset(grades)
    component = obj.string("component", None)
    if component is not None and component not in names:
        raise SchemeError(obj.where("component"), f"未知组成部分 {component!r} (unknown component)")
    previous = not_previous = earlier = None
    count, within = 1, None
    if obj.has("previous"):
        prev_obj = obj.obj("previous")
        previous = parse_history_test(prev_obj, labels)
        prev_obj.done()
    if obj.has("not_previous"):
        prev_obj = obj.obj("not_previous")
        not_previous = parse_history_test(prev_obj, labels)
        prev_obj.done()
    if obj.has("earlier"):
        earlier_obj = obj.obj("earlier")
        earlier = parse_history_test(earlier_obj, labels)
        count = earlier_obj.integer("count_at_least", 1, minimum=1)
        within = earlier_obj.integer("within_months", None, minimum=1)
        earlier_obj.done()
    year = None
    if obj.has("year"):
        year_obj = obj.obj("year")
        year = YearTest(
            closing=year_obj.boolean("closing", False),
            stars_below=year_obj.integer("stars_below", None, minimum=0),
            stars_at_least=year_obj.integer("stars_at_least", None, minimum=0),
            all_stars_at_least=year_obj.integer("all_stars_at_least", None, minimum=0),
            vetoed=year_obj.boolean("vetoed", None),
        )
        year_obj.done()
    condition = Condition(
        flag=flag, unless_flag=unless_flag, grades=grades,
        total_below=obj.decimal("total_below", None),
        total_at_least=obj.decimal("total_at_least", None),
        stars_at_most=obj.integer("stars_at_most", None),
        stars_at_least=obj.integer("stars_at_least", None),
        probationary=obj.boolean("probationary", None),
        vetoed=obj.boolean("vetoed", None),
        component=component,
        component_at_least=obj.decimal("component_at_least", None),
        component_below=obj.decimal("component_below", None),
        previous=previous, not_previous=not_previous, earlier=earlier,
        earlier_count_at_least=count, earlier_within_months=within, year=year,
    )
    if (condition.component_at_least is not None or condition.component_below is not None) and component is None:
        raise SchemeError(obj.where("component"), "使用 component_at_least/below 时须指明 component (component required)")
    obj.done()
    return condition

