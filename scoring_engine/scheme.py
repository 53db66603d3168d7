"""Scheme format version 1: the validated :class:`Scheme` and :func:`parse_scheme`.

A scheme arrives as plain data (a TOML preset after parameter substitution, an inline
JSON object in a scenario, a JSONField in the database). It is checked exactly once,
here, and turned into immutable dataclasses the engine trusts without re-checking.
Every rejection names the field (``grades.bands[2]``) so a scheme designer can fix it.
Each section has its own module: :mod:`~scoring_engine.components`,
:mod:`~scoring_engine.conditions`, :mod:`~scoring_engine.grading`,
:mod:`~scoring_engine.actions`, :mod:`~scoring_engine.checks`, :mod:`~scoring_engine.review`,
:mod:`~scoring_engine.redemption`;
this one assembles them. The names they define stay importable from here.

The format itself is documented in ``scoring_engine/README.md``; keep the two in step.
"""
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .actions import ACTIONS, ActionRule, parse_action
from .awards import AWARDS, AwardRule, awards_for, parse_award
from .checks import CHECK_TYPES, Check, parse_check
from .components import Component, Item, Term, parse_combination, parse_component
from .conditions import Condition, FlagTest, HistoryTest, parse_condition
from .declarations import ItemRule, item_rule, signed_points, signing
from .english import parse_english, scheme_words
from .errors import SchemeError, join
from .grading import GradeAdjustment, GradeOverride, Grades, Quota, Stars, parse_grades, parse_quota, parse_stars
from .reader import ONE, ZERO, Reader, to_decimal, to_int
from .redemption import NO_REDEMPTION, RedemptionSettings, parse_redemption
from .review import DEFAULT_REVIEW, ReviewSettings, parse_review

__all__ = [
    "ACTIONS", "AWARDS", "CHECK_TYPES", "DEFAULT_VOTES", "EXCLUSION_APPROVALS", "FORMAT_VERSION", "ONE", "ZERO",
    "ActionRule", "AwardRule", "Check", "Component", "Condition", "FlagTest", "GradeAdjustment", "GradeOverride", "Grades",
    "HistoryTest", "Item", "ItemRule", "Quota", "RedemptionSettings", "ReviewSettings", "Scheme", "Stars", "Term",
    "parse_scheme", "to_decimal", "to_int",
]

FORMAT_VERSION = 1

#: Who must decide that a member is not scored (不纳入): the branch alone (篇十 l.289 "经党支部讨论
#: 后可不纳入") or the branch with the higher committee's approval (篇四 l.141 "报上级党委批准后").
EXCLUSION_APPROVALS = ("branch", "higher")


@dataclass(frozen=True, slots=True)
class Scheme:
    """A validated scheme. Build it with :func:`parse_scheme`, never directly.

    ``review`` holds the ``[review]`` section (:class:`~scoring_engine.review.ReviewSettings`:
    review and publicity cadence, publicity days, 党建指导员), ``redemption`` the
    ``[redemption]`` section (:class:`~scoring_engine.redemption.RedemptionSettings`: whether
    points buy goods, the flags that bar it, reset or carry-over at year end); :meth:`item_rule`
    answers declaration questions.
    """

    key: str
    name: str
    source: str
    format_version: int
    cycle_months: int | None
    cycle_start_days: tuple | None
    categories: frozenset | None
    components: tuple
    terms: tuple
    total_min: Decimal | None
    total_max: Decimal | None
    appraisal_votes: Mapping
    appraisal_raters: Mapping
    appraisal_missing: str
    vetoes: tuple
    grades: Grades | None
    stars: Stars | None
    quotas: tuple
    actions: tuple
    checks: tuple
    review: ReviewSettings = DEFAULT_REVIEW
    redemption: RedemptionSettings = NO_REDEMPTION
    no_commendation: tuple = ()
    awards: tuple = ()
    exclusion_approval: str = "higher"
    year_start: str | None = None
    english: Mapping = field(compare=False, repr=False, default=None)
    words: tuple = field(compare=False, repr=False, default=())
    definition: Mapping = field(compare=False, repr=False, default=None)
    component_index: Mapping = field(compare=False, repr=False, default=None)

    def component(self, name):
        """The :class:`~scoring_engine.components.Component` named ``name`` (KeyError when none is)."""
        return self.components[self.component_index[name]]

    def item_rule(self, component, key=None):
        """What the scheme allows a declaration under ``component`` (name) and item ``key``.

        Returns a :class:`~scoring_engine.declarations.ItemRule` (the item, its sign 加分/扣分,
        fixed points or the allowed range, :meth:`~scoring_engine.declarations.ItemRule.resolve`);
        raises :class:`~scoring_engine.errors.DeclarationError` (``unknown_component``,
        ``unknown_item``).
        """
        return item_rule(self, component, key)

    def awards_for(self, grade, stars=None, total=None, vetoed=False):
        """The awards (``certificate``, ``plaque``, ``care``; a tuple) a published result earns.

        Reads only what a result shows — ``grade`` (str or None), ``stars`` (int or None),
        ``total`` (Decimal or None), ``vetoed`` — so a stored result can be asked again.
        """
        return awards_for(self.awards, grade, stars, total, vetoed)

    def earns(self, award, grade, stars=None, total=None, vetoed=False):
        """True when a result with these values earns ``award`` (one of :data:`AWARDS`)."""
        if award not in AWARDS:
            raise ValueError(f"unknown award {award!r}")
        return award in self.awards_for(grade, stars, total, vetoed)

    def english_label(self, word):
        """The English label of one of the scheme's words (``[english]``); the word itself without one."""
        return (self.english or {}).get(word, word)

    def signed_points(self, component, points):
        """How ``points`` (Decimal) declared under ``component`` move a member's total.

        ``-|points|`` in a 倒扣 component, ``-points`` in one weighted below 0, else ``points``;
        raises :class:`~scoring_engine.errors.DeclarationError` ``unknown_component``.
        """
        return signed_points(self, component, points)

    def signing(self, component):
        """:meth:`signed_points` of ``component`` as a function of the points, worked out once."""
        return signing(self, component)


DEFAULT_VOTES = {"优秀": Decimal(100), "良好": Decimal(80), "合格": Decimal(60), "差": Decimal(40)}


def parse_scheme(data, path=""):
    """Validate a format-1 scheme mapping and return a frozen :class:`Scheme`."""
    top = Reader(data, path)
    version = top.integer("format_version")
    if version != FORMAT_VERSION:
        raise SchemeError(top.where("format_version"),
                          f"不支持的方案格式版本 {version}，当前为 {FORMAT_VERSION} (unsupported format version)")
    key = top.string("key")
    name = top.string("name", key)
    source = top.string("source", None) or ""
    top.raw("notes", None)       # free documentation: ambiguities and readings chosen
    top.raw("params", None)      # already substituted by presets.resolve(); kept for the record

    cycle = top.obj("cycle", None)
    cycle_months = cycle_start_days = year_start = None
    if cycle is not None:
        cycle_months = cycle.integer("months", None, minimum=1)
        cycle_start_days = cycle.strings("start_days", None)
        for index, day in enumerate(cycle_start_days or ()):
            if not _month_day(day):
                raise SchemeError(join(cycle.where("start_days"), index), "应为 MM-DD (expected MM-DD)")
        # A cycle shorter than a year (篇十三 作业区: quarters) belongs to the year starting on year_start.
        year_start = cycle.string("year_start", None)
        if year_start is not None and not _month_day(year_start):
            raise SchemeError(cycle.where("year_start"), "应为 MM-DD (expected MM-DD)")
        if year_start is not None and (cycle_months is None or 12 % cycle_months or cycle_months >= 12):
            raise SchemeError(cycle.where("year_start"),
                              "只有周期短于一年且能整除一年（1、2、3、4、6个月）的方案才有年度 (year_start needs a cycle "
                              "that divides a year)")
        cycle.done()

    categories = top.strings("categories", None)
    categories = frozenset(categories) if categories is not None else None

    raw_components = top.array("components")
    if not raw_components:
        raise SchemeError(top.where("components"), "至少需要一个组成部分 (at least one component)")
    components = []
    names = {}
    for index, raw in enumerate(raw_components):
        component = parse_component(raw, join(top.where("components"), index), categories, index)
        if component.name in names:
            raise SchemeError(join(join(top.where("components"), index), "name"),
                              f"组成部分名称 {component.name!r} 重复 (duplicate component name)")
        names[component.name] = index
        components.append(component)

    votes, raters, missing = _parse_appraisal(top.obj("appraisal", None))

    terms = parse_combination(top.obj("combination"), names, categories)

    total = top.obj("total", None)
    total_min = total_max = None
    if total is not None:
        total_min = total.decimal("min", None)
        total_max = total.decimal("max", None)
        total.done()
        if total_min is not None and total_max is not None and total_min > total_max:
            raise SchemeError(total.where("max"), f"上限 {total_max} 小于下限 {total_min} (max below min)")

    vetoes = tuple(
        parse_condition(raw, join(top.where("vetoes"), index), names, None)
        for index, raw in enumerate(top.array("vetoes", ()) or ())
    )

    stars = parse_stars(top.obj("stars", None), names, total_min, total_max)
    grades = parse_grades(top.obj("grades", None), names, total_min, total_max, stars)
    labels = frozenset(b.value for b in grades.bands) | frozenset(grades.order) if grades else frozenset()
    if grades:
        labels |= frozenset(o.grade for o in grades.overrides)
        labels |= frozenset(a.to for a in grades.adjustments if a.to)

    quotas = tuple(
        parse_quota(raw, join(top.where("quotas"), index), labels, stars)
        for index, raw in enumerate(top.array("quotas", ()) or ())
    )
    actions = tuple(
        parse_action(raw, join(top.where("actions"), index), names, labels)
        for index, raw in enumerate(top.array("actions", ()) or ())
    )
    checks = tuple(
        parse_check(raw, join(top.where("checks"), index), names, labels)
        for index, raw in enumerate(top.array("checks", ()) or ())
    )
    review = parse_review(top.obj("review", None))
    redemption = parse_redemption(top.obj("redemption", None))
    no_commendation = tuple(
        parse_condition(raw, join(top.where("no_commendation"), index), names, labels)
        for index, raw in enumerate(top.array("no_commendation", ()) or ())
    )
    awards = tuple(
        parse_award(raw, join(top.where("awards"), index), labels, stars)
        for index, raw in enumerate(top.array("awards", ()) or ())
    )
    exclusion = top.obj("exclusion", None)
    exclusion_approval = "higher"
    if exclusion is not None:
        exclusion_approval = exclusion.string("approval", "higher", choices=EXCLUSION_APPROVALS)
        exclusion.raw("source", None)
        exclusion.done()
    words = scheme_words(components, grades, votes, categories)
    english = parse_english(top.obj("english", None), words)
    top.done()
    if year_start is None:
        _refuse_year_tests(vetoes, grades, actions, checks, no_commendation)

    return Scheme(
        key=key, name=name, source=source, format_version=version,
        cycle_months=cycle_months, cycle_start_days=cycle_start_days,
        categories=categories, components=tuple(components), terms=terms,
        total_min=total_min, total_max=total_max,
        appraisal_votes=votes, appraisal_raters=raters, appraisal_missing=missing,
        vetoes=vetoes, grades=grades, stars=stars, quotas=quotas, actions=actions, checks=checks,
        review=review, redemption=redemption, no_commendation=no_commendation, awards=awards,
        exclusion_approval=exclusion_approval, year_start=year_start, english=english, words=words, definition=data,
        component_index=names,
    )


def _month_day(text):
    return len(text) == 5 and text[2] == "-" and (text[:2] + text[3:]).isdigit()


def _refuse_year_tests(vetoes, grades, actions, checks, no_commendation):
    """A ``year`` test needs the year a cycle belongs to: refuse it in a scheme without ``cycle.year_start``."""
    places = [("vetoes", i, c) for i, c in enumerate(vetoes)]
    if grades is not None:
        places += [("grades.overrides", i, o.when) for i, o in enumerate(grades.overrides)]
        places += [("grades.adjustments", i, a.when) for i, a in enumerate(grades.adjustments)]
    places += [("actions", i, a.when) for i, a in enumerate(actions)]
    places += [("checks", i, c.when) for i, c in enumerate(checks) if c.when is not None]
    places += [("no_commendation", i, c) for i, c in enumerate(no_commendation)]
    for section, index, condition in places:
        if condition.year is not None:
            raise SchemeError(join(join(section, index), "year"),
                              "年度条件须先在 cycle.year_start 规定年度的起始日 (a year test needs cycle.year_start)")


def _parse_appraisal(appraisal):
    """``[appraisal]``: vote values (东塘 formula), rater weights summing to 1, and the missing rule."""
    votes = dict(DEFAULT_VOTES)
    raters = {}
    missing = "zero"
    if appraisal is not None:
        if appraisal.has("votes"):
            votes_obj = appraisal.obj("votes")
            votes = {label: votes_obj.decimal(label, minimum=ZERO) for label in votes_obj.data}
            votes_obj.seen.update(votes_obj.data)
            if not votes:
                raise SchemeError(appraisal.where("votes"), "至少需要一个票种 (at least one vote kind)")
        if appraisal.has("raters"):
            raters_obj = appraisal.obj("raters")
            raters = {label: raters_obj.decimal(label, minimum=ZERO) for label in raters_obj.data}
            raters_obj.seen.update(raters_obj.data)
            total = sum(raters.values(), ZERO)
            if raters and total != ONE:
                raise SchemeError(appraisal.where("raters"),
                                  f"评价主体权重之和为 {total}，应为 1 (rater weights sum to {total}, must be 1)")
        # "zero" (default): a member without an appraisal yet scores 0 there and is listed in
        # checks, so a designer can try a scheme mid-year; "error" demands every appraisal.
        missing = appraisal.string("missing", "zero", choices=("error", "zero"))
        appraisal.done()
    return votes, raters, missing
