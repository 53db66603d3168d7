"""Scheme format version 1: parsing and validation into frozen dataclasses.

A scheme arrives as plain data (a TOML preset after parameter substitution, an inline
JSON object in a scenario, a JSONField in the database). It is checked exactly once,
here, and turned into immutable dataclasses the engine trusts without re-checking.
Every rejection names the field (``grades.bands[2]``) so a scheme designer can fix it.

The format itself is documented in ``scoring_engine/README.md``; keep the two in step.
"""
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .bands import Band, check_partition
from .errors import SchemeError, join

FORMAT_VERSION = 1

ACTIONS = (
    "commend",           # 表彰 / 推荐
    "talk",              # 谈心谈话 / 警示提醒 / 约谈
    "admonish",          # 诫勉谈话
    "rectify",           # 限期改正 / 整改
    "dispose",           # 不合格党员处置 (needs the higher committee's approval)
    "extend_probation",  # 延长预备期
    "cancel_probation",  # 取消预备党员资格
)

ZERO = Decimal(0)
ONE = Decimal(1)
_MISSING = object()


# --------------------------------------------------------------------------- values

def to_decimal(value, path):
    """Accept int, Decimal, a numeric string or a float (via its shortest repr); never bool."""
    if isinstance(value, bool) or value is None:
        raise SchemeError(path, "应为数字 (expected a number)")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        return Decimal(value)
    elif isinstance(value, (float, str)):
        try:
            result = Decimal(str(value).strip())
        except InvalidOperation:
            raise SchemeError(path, f"应为数字，收到 {value!r} (expected a number)") from None
    else:
        raise SchemeError(path, f"应为数字，收到 {type(value).__name__} (expected a number)")
    if not result.is_finite():
        raise SchemeError(path, "应为有限数字 (expected a finite number)")
    return result


def to_int(value, path):
    number = to_decimal(value, path)
    if number != number.to_integral_value():
        raise SchemeError(path, f"应为整数，收到 {value} (expected an integer)")
    return int(number)


class _Obj:
    """A mapping being read field by field; unknown fields are an error (typos must not pass)."""

    def __init__(self, data, path):
        if not isinstance(data, Mapping):
            raise SchemeError(path, "应为对象/表 (expected an object)")
        self.data = data
        self.path = path
        self.seen = set()

    def has(self, key):
        return key in self.data

    def raw(self, key, default=_MISSING):
        self.seen.add(key)
        if key not in self.data:
            if default is _MISSING:
                raise SchemeError(join(self.path, key), "缺少必填字段 (required field is missing)")
            return default
        return self.data[key]

    def where(self, key):
        return join(self.path, key)

    def decimal(self, key, default=_MISSING, minimum=None):
        if key not in self.data and default is not _MISSING:
            self.seen.add(key)
            return default
        value = self.raw(key)
        if value is None:
            return None
        number = to_decimal(value, self.where(key))
        if minimum is not None and number < minimum:
            raise SchemeError(self.where(key), f"不能小于 {minimum}，收到 {number} (must not be below {minimum})")
        return number

    def integer(self, key, default=_MISSING, minimum=None):
        value = self.raw(key, default)
        if value is None:
            return None
        number = to_int(value, self.where(key))
        if minimum is not None and number < minimum:
            raise SchemeError(self.where(key), f"不能小于 {minimum}，收到 {number} (must not be below {minimum})")
        return number

    def string(self, key, default=_MISSING, choices=None):
        value = self.raw(key, default)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise SchemeError(self.where(key), "应为非空文本 (expected a non-empty string)")
        if choices is not None and value not in choices:
            raise SchemeError(self.where(key), f"取值 {value!r} 无效，可选：{', '.join(choices)} (invalid choice)")
        return value

    def boolean(self, key, default=_MISSING):
        value = self.raw(key, default)
        if value is None:
            return None
        if not isinstance(value, bool):
            raise SchemeError(self.where(key), "应为 true/false (expected a boolean)")
        return value

    def array(self, key, default=_MISSING):
        value = self.raw(key, default)
        if value is None:
            return None
        if not isinstance(value, (list, tuple)):
            raise SchemeError(self.where(key), "应为列表 (expected a list)")
        return value

    def obj(self, key, default=_MISSING):
        value = self.raw(key, default)
        if value is None:
            return None
        return _Obj(value, self.where(key))

    def strings(self, key, default=_MISSING):
        values = self.array(key, default)
        if values is None:
            return None
        for index, value in enumerate(values):
            if not isinstance(value, str) or not value:
                raise SchemeError(join(self.where(key), index), "应为非空文本 (expected a string)")
        return tuple(values)

    def done(self):
        for key in self.data:
            if key not in self.seen:
                raise SchemeError(join(self.path, key), "未知字段 (unknown field)")


# --------------------------------------------------------------------------- dataclasses

@dataclass(frozen=True, slots=True)
class Item:
    """A listed rule item (e.g. 钟祥 "协助处理群体性事件 15分"): fixed points, optional count limit."""

    key: str
    label: str
    points: Decimal | None
    max_count: int | None


@dataclass(frozen=True, slots=True)
class Component:
    """One part of a member's score, computed from events and/or the appraisal.

    ``mode = "add"``: value = start + Σ capped event points.
    ``mode = "deduct"`` (倒扣): value = start − Σ capped |event points|: every event is a
    deduction, whether it is written 5 or −5 ("扣完为止" leaves nothing to restore).
    Caps limit the *event sum* (per quarter, then per cycle); ``floor``/``ceiling``
    bound the resulting value.
    """

    name: str
    label: str
    mode: str
    start: Decimal
    start_by_category: Mapping
    floor: Decimal | None
    ceiling: Decimal | None
    quarter_cap: Decimal | None
    cycle_cap: Decimal | None
    accepts: str
    accepts_events: bool
    from_appraisal: bool
    appraisal_max: Decimal
    categories: frozenset | None
    items: Mapping
    best_per_item: bool
    fraud_multiplier: Decimal | None
    max_share_of_total: Decimal | None
    index: int = 0

    def applies_to(self, category):
        return self.categories is None or category in self.categories

    def start_for(self, category):
        return self.start_by_category.get(category, self.start)


@dataclass(frozen=True, slots=True)
class Term:
    component: str
    weight: Decimal
    group: str | None
    categories: frozenset | None
    exclude_categories: frozenset | None = None

    def applies_to(self, category):
        if self.categories is not None and category not in self.categories:
            return False
        return not (self.exclude_categories and category in self.exclude_categories)


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


@dataclass(frozen=True, slots=True)
class GradeOverride:
    when: Condition
    grade: str


@dataclass(frozen=True, slots=True)
class GradeAdjustment:
    when: Condition
    to: str | None
    shift: int | None
    shift_flag: str | None
    max_shift: int


@dataclass(frozen=True, slots=True)
class Grades:
    basis: str
    bands: tuple
    order: tuple
    overrides: tuple
    adjustments: tuple


@dataclass(frozen=True, slots=True)
class Stars:
    mode: str
    bands: tuple
    dimensions: tuple
    thresholds: Mapping
    vetoed_stars: int
    maximum: int


@dataclass(frozen=True, slots=True)
class Quota:
    grade: str | None
    stars: int | None
    max_share: Decimal | None
    min_share: Decimal | None
    fallback: str | None
    fallback_stars: int | None
    per_branch_min: int | None


@dataclass(frozen=True, slots=True)
class ActionRule:
    when: Condition
    actions: tuple


@dataclass(frozen=True, slots=True)
class Check:
    type: str
    threshold: Decimal | None = None
    min_share: Decimal | None = None
    max_share: Decimal | None = None
    when: Condition | None = None
    per_capita: Decimal | None = None
    base_points: Decimal | None = None
    step: Decimal | None = None
    step_points: Decimal | None = None
    message: str | None = None
    per_grade: Mapping | None = None
    scope: str = "all"


@dataclass(frozen=True, slots=True)
class Scheme:
    """A validated scheme. Build it with :func:`parse_scheme`, never directly."""

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
    review: Mapping = field(default_factory=dict)
    no_commendation: tuple = ()
    definition: Mapping = field(compare=False, repr=False, default=None)
    component_index: Mapping = field(compare=False, repr=False, default=None)

    def component(self, name):
        return self.components[self.component_index[name]]


# --------------------------------------------------------------------------- parsing

DEFAULT_VOTES = {"优秀": Decimal(100), "良好": Decimal(80), "合格": Decimal(60), "差": Decimal(40)}


def parse_scheme(data, path=""):
    """Validate a format-1 scheme mapping and return a frozen :class:`Scheme`."""
    top = _Obj(data, path)
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
    cycle_months = cycle_start_days = None
    if cycle is not None:
        cycle_months = cycle.integer("months", None, minimum=1)
        cycle_start_days = cycle.strings("start_days", None)
        for index, day in enumerate(cycle_start_days or ()):
            if len(day) != 5 or day[2] != "-" or not (day[:2] + day[3:]).isdigit():
                raise SchemeError(join(cycle.where("start_days"), index), "应为 MM-DD (expected MM-DD)")
        cycle.done()

    categories = top.strings("categories", None)
    categories = frozenset(categories) if categories is not None else None

    raw_components = top.array("components")
    if not raw_components:
        raise SchemeError(top.where("components"), "至少需要一个组成部分 (at least one component)")
    components = []
    names = {}
    for index, raw in enumerate(raw_components):
        component = _parse_component(raw, join(top.where("components"), index), categories, index)
        if component.name in names:
            raise SchemeError(join(join(top.where("components"), index), "name"),
                              f"组成部分名称 {component.name!r} 重复 (duplicate component name)")
        names[component.name] = index
        components.append(component)

    appraisal = top.obj("appraisal", None)
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

    terms = _parse_combination(top.obj("combination"), names, categories)

    total = top.obj("total", None)
    total_min = total_max = None
    if total is not None:
        total_min = total.decimal("min", None)
        total_max = total.decimal("max", None)
        total.done()
        if total_min is not None and total_max is not None and total_min > total_max:
            raise SchemeError(total.where("max"), f"上限 {total_max} 小于下限 {total_min} (max below min)")

    vetoes = tuple(
        _parse_condition(raw, join(top.where("vetoes"), index), names, None)
        for index, raw in enumerate(top.array("vetoes", ()) or ())
    )

    stars = _parse_stars(top.obj("stars", None), names, total_min, total_max)
    grades = _parse_grades(top.obj("grades", None), names, total_min, total_max, stars)
    labels = frozenset(b.value for b in grades.bands) | frozenset(grades.order) if grades else frozenset()
    if grades:
        labels |= frozenset(o.grade for o in grades.overrides)
        labels |= frozenset(a.to for a in grades.adjustments if a.to)

    quotas = tuple(
        _parse_quota(raw, join(top.where("quotas"), index), labels, stars)
        for index, raw in enumerate(top.array("quotas", ()) or ())
    )
    actions = tuple(
        _parse_action(raw, join(top.where("actions"), index), names, labels)
        for index, raw in enumerate(top.array("actions", ()) or ())
    )
    checks = tuple(
        _parse_check(raw, join(top.where("checks"), index), names, labels)
        for index, raw in enumerate(top.array("checks", ()) or ())
    )
    review = _parse_review(top.obj("review", None))
    no_commendation = tuple(
        _parse_condition(raw, join(top.where("no_commendation"), index), names, labels)
        for index, raw in enumerate(top.array("no_commendation", ()) or ())
    )
    top.done()

    return Scheme(
        key=key, name=name, source=source, format_version=version,
        cycle_months=cycle_months, cycle_start_days=cycle_start_days,
        categories=categories, components=tuple(components), terms=terms,
        total_min=total_min, total_max=total_max,
        appraisal_votes=votes, appraisal_raters=raters, appraisal_missing=missing,
        vetoes=vetoes, grades=grades, stars=stars, quotas=quotas, actions=actions, checks=checks,
        review=review, no_commendation=no_commendation, definition=data, component_index=names,
    )


def _parse_review(obj):
    """Settings the review chain (reviews app) reads: publicity length, review period, 党建指导员."""
    if obj is None:
        return {}
    review = {}
    if obj.has("publicity_days"):
        review["publicity_days"] = obj.integer("publicity_days", minimum=1)
    if obj.has("period_kind"):
        review["period_kind"] = obj.string("period_kind", choices=("quarter", "month"))
    if obj.has("rural"):
        review["rural"] = obj.boolean("rural")
    obj.done()
    return review


def _parse_component(raw, path, categories, index):
    obj = _Obj(raw, path)
    name = obj.string("name")
    label = obj.string("label", name)
    obj.raw("description", None)
    mode = obj.string("mode", "add", choices=("add", "deduct"))
    from_appraisal = obj.boolean("from_appraisal", False)
    start = obj.decimal("start", ZERO)
    start_by_category = {}
    by_cat = obj.obj("start_by_category", None)
    if by_cat is not None:
        for cat in by_cat.data:
            if categories is not None and cat not in categories:
                raise SchemeError(by_cat.where(cat), f"未声明的类别 {cat!r} (category not declared in categories)")
            start_by_category[cat] = by_cat.decimal(cat)
        by_cat.done()
    floor = obj.decimal("floor", None)
    ceiling = obj.decimal("ceiling", None)
    if floor is not None and ceiling is not None and floor > ceiling:
        raise SchemeError(obj.where("ceiling"), f"上限 {ceiling} 小于下限 {floor} (ceiling below floor)")
    quarter_cap = obj.decimal("quarter_cap", None)
    cycle_cap = obj.decimal("cycle_cap", None)
    for key, cap in (("quarter_cap", quarter_cap), ("cycle_cap", cycle_cap)):
        if cap is not None and cap < 0:
            raise SchemeError(obj.where(key), f"封顶分值不能为负数，收到 {cap} (a cap must not be negative)")
    accepts = obj.string("accepts", "any", choices=("any", "positive", "negative"))
    accepts_events = obj.boolean("accepts_events", not from_appraisal)
    appraisal_max = obj.decimal("appraisal_max", Decimal(100), minimum=ZERO)
    comp_categories = obj.strings("categories", None)
    if comp_categories is not None:
        for i, cat in enumerate(comp_categories):
            if categories is not None and cat not in categories:
                raise SchemeError(join(obj.where("categories"), i), f"未声明的类别 {cat!r} (category not declared)")
        comp_categories = frozenset(comp_categories)
    items = {}
    for i, raw_item in enumerate(obj.array("items", ()) or ()):
        item_path = join(obj.where("items"), i)
        item_obj = _Obj(raw_item, item_path)
        item = Item(
            key=item_obj.string("key"),
            label=item_obj.string("label", None) or item_obj.data.get("key", ""),
            points=item_obj.decimal("points", None),
            max_count=item_obj.integer("max_count", None, minimum=1),
        )
        item_obj.done()
        if item.key in items:
            raise SchemeError(join(item_path, "key"), f"条目 {item.key!r} 重复 (duplicate item)")
        if item.points is not None:
            _check_sign(accepts, item.points, join(item_path, "points"))
        items[item.key] = item
    best_per_item = obj.boolean("best_per_item", False)
    fraud_multiplier = obj.decimal("fraud_multiplier", None, minimum=ONE)
    if mode == "deduct":
        # In a 倒扣 component every event is a deduction of its magnitude, so a sign rule
        # or a fraud rule (which turns an event negative) would mean nothing there.
        if obj.has("accepts"):
            raise SchemeError(obj.where("accepts"),
                              "倒扣项的每条事件都按其绝对值扣分，不设正负限制 (a deduct component takes no sign rule)")
        if fraud_multiplier is not None:
            raise SchemeError(obj.where("fraud_multiplier"), "倒扣项不适用弄虚作假倍数 (no fraud rule on a deduct component)")
    share = obj.decimal("max_share_of_total", None)
    if share is not None and not (ZERO < share < ONE):
        raise SchemeError(obj.where("max_share_of_total"), f"应在 0 与 1 之间，收到 {share} (must be between 0 and 1)")
    obj.done()
    return Component(
        name=name, label=label, mode=mode, start=start, start_by_category=start_by_category,
        floor=floor, ceiling=ceiling, quarter_cap=quarter_cap, cycle_cap=cycle_cap,
        accepts=accepts, accepts_events=accepts_events, from_appraisal=from_appraisal,
        appraisal_max=appraisal_max, categories=comp_categories, items=items,
        best_per_item=best_per_item, fraud_multiplier=fraud_multiplier,
        max_share_of_total=share, index=index,
    )


def _check_sign(accepts, points, path):
    if accepts == "positive" and points < 0:
        raise SchemeError(path, f"该项只接受正数分值（扣分也填正数），收到 {points} (points must be positive)")
    if accepts == "negative" and points > 0:
        raise SchemeError(path, f"该项只接受负数分值，收到 {points} (points must be negative)")


def _parse_combination(obj, names, categories):
    raw_terms = obj.array("terms")
    obj.done()
    if not raw_terms:
        raise SchemeError(obj.where("terms"), "至少需要一项 (at least one term)")
    terms = []
    groups = {}
    for index, raw in enumerate(raw_terms):
        path = join(obj.where("terms"), index)
        term_obj = _Obj(raw, path)
        component = term_obj.string("component")
        if component not in names:
            raise SchemeError(join(path, "component"), f"未知组成部分 {component!r} (unknown component)")
        weight = term_obj.decimal("weight", ONE)
        group = term_obj.string("group", None)
        cats = term_obj.strings("categories", None)
        excluded = term_obj.strings("exclude_categories", None)
        for key, values in (("categories", cats), ("exclude_categories", excluded)):
            if values is not None and categories is not None:
                for i, cat in enumerate(values):
                    if cat not in categories:
                        raise SchemeError(join(join(path, key), i), f"未声明的类别 {cat!r} (category not declared)")
        term_obj.done()
        if group is not None:
            if weight < 0:
                raise SchemeError(join(path, "weight"), f"加权组内权重不能为负，收到 {weight} (negative weight in a group)")
            groups.setdefault(group, []).append((index, weight))
        terms.append(Term(component, weight, group, frozenset(cats) if cats is not None else None,
                          frozenset(excluded) if excluded is not None else None))
    for group, members in groups.items():
        total = sum((w for _, w in members), ZERO)
        if total != ONE:
            index = members[-1][0]
            raise SchemeError(join(join(obj.where("terms"), index), "weight"),
                              f"加权组 {group!r} 的权重之和为 {total}，应为 1 (weights of group {group!r} sum to {total}, must be 1)")
    return tuple(terms)


def _parse_history_test(obj, labels):
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


def _parse_condition(raw, path, names, labels):
    obj = _Obj(raw, path)
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
        previous = _parse_history_test(prev_obj, labels)
        prev_obj.done()
    if obj.has("not_previous"):
        prev_obj = obj.obj("not_previous")
        not_previous = _parse_history_test(prev_obj, labels)
        prev_obj.done()
    if obj.has("earlier"):
        earlier_obj = obj.obj("earlier")
        earlier = _parse_history_test(earlier_obj, labels)
        count = earlier_obj.integer("count_at_least", 1, minimum=1)
        within = earlier_obj.integer("within_months", None, minimum=1)
        earlier_obj.done()
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
        earlier_count_at_least=count, earlier_within_months=within,
    )
    if (condition.component_at_least is not None or condition.component_below is not None) and component is None:
        raise SchemeError(obj.where("component"), "使用 component_at_least/below 时须指明 component (component required)")
    obj.done()
    return condition


def _parse_bands(raw_bands, path, value_key, lo, hi, integer_values=False):
    if not raw_bands:
        raise SchemeError(path, "至少需要一个区间 (at least one band)")
    bands = []
    for index, raw in enumerate(raw_bands):
        band_path = join(path, index)
        obj = _Obj(raw, band_path)
        if value_key == "label":
            value = obj.string("label")
        else:
            value = obj.integer("stars", minimum=0)
        band = Band(
            value=value,
            min=obj.decimal("min", None),
            max=obj.decimal("max", None),
            min_inclusive=obj.boolean("min_inclusive", True),
            max_inclusive=obj.boolean("max_inclusive", False),
            index=index,
        )
        obj.done()
        if band.min is not None and band.max is not None and (
            band.min > band.max or (band.min == band.max and not (band.min_inclusive and band.max_inclusive))
        ):
            raise SchemeError(band_path, f"区间为空：{band.describe()} (empty band)")
        bands.append(band)
    check_partition(bands, path, lo, hi, integer_values=integer_values)
    return tuple(bands)


def _parse_stars(obj, names, total_min, total_max):
    if obj is None:
        return None
    mode = obj.string("mode", choices=("bands", "dimensions"))
    bands = ()
    dimensions = ()
    thresholds = {}
    if mode == "bands":
        bands = _parse_bands(obj.array("bands"), obj.where("bands"), "stars", total_min, total_max)
        maximum = max(b.value for b in bands)
    else:
        dims = obj.array("dimensions")
        if not dims:
            raise SchemeError(obj.where("dimensions"), "至少需要一个维度 (at least one dimension)")
        result = []
        for index, raw in enumerate(dims):
            dim = _Obj(raw, join(obj.where("dimensions"), index))
            component = dim.string("component")
            if component not in names:
                raise SchemeError(dim.where("component"), f"未知组成部分 {component!r} (unknown component)")
            thresholds[component] = dim.decimal("threshold")
            dim.done()
            result.append(component)
        dimensions = tuple(result)
        maximum = len(dimensions)
    vetoed_stars = obj.integer("vetoed_stars", 0, minimum=0)
    obj.done()
    return Stars(mode, bands, dimensions, thresholds, vetoed_stars, maximum)


def _parse_grades(obj, names, total_min, total_max, stars):
    if obj is None:
        return None
    basis = obj.string("basis", "total", choices=("total", "stars"))
    if basis == "stars":
        if stars is None:
            raise SchemeError(obj.where("basis"), "按星级定等次须先定义 stars (basis 'stars' needs a stars section)")
        lo, hi = Decimal(0), Decimal(stars.maximum)
    else:
        lo, hi = total_min, total_max
    bands = _parse_bands(obj.array("bands"), obj.where("bands"), "label", lo, hi, integer_values=basis == "stars")
    labels = {b.value for b in bands}
    order = obj.strings("order", None) or ()
    for i, label in enumerate(order):
        if label not in labels:
            raise SchemeError(join(obj.where("order"), i), f"未知等次 {label!r} (unknown grade label)")
    if order and set(order) != labels:
        raise SchemeError(obj.where("order"), "order 须列出全部等次 (order must list every grade)")
    overrides = []
    for index, raw in enumerate(obj.array("overrides", ()) or ()):
        path = join(obj.where("overrides"), index)
        o = _Obj(raw, path)
        grade = o.string("grade")
        if grade not in labels:
            raise SchemeError(o.where("grade"), f"未知等次 {grade!r} (unknown grade label)")
        overrides.append(GradeOverride(_parse_condition(o.raw("when"), o.where("when"), names, labels), grade))
        o.raw("reason", None)
        o.done()
    adjustments = []
    for index, raw in enumerate(obj.array("adjustments", ()) or ()):
        path = join(obj.where("adjustments"), index)
        a = _Obj(raw, path)
        to = a.string("to", None)
        shift = a.integer("shift", None)
        shift_flag = a.string("shift_flag", None)
        max_shift = a.integer("max_shift", len(order) or 1, minimum=1)
        a.raw("reason", None)
        if sum(x is not None for x in (to, shift, shift_flag)) != 1:
            raise SchemeError(path, "to、shift、shift_flag 须且只须给出一个 (give exactly one of to/shift/shift_flag)")
        if to is not None and to not in labels:
            raise SchemeError(a.where("to"), f"未知等次 {to!r} (unknown grade label)")
        if (shift is not None or shift_flag is not None) and not order:
            raise SchemeError(a.where("shift" if shift is not None else "shift_flag"),
                              "按级移动须先定义 grades.order (shifting needs grades.order)")
        adjustments.append(GradeAdjustment(
            _parse_condition(a.raw("when", {}), a.where("when"), names, labels), to, shift, shift_flag, max_shift))
        a.done()
    obj.done()
    return Grades(basis, bands, tuple(order), tuple(overrides), tuple(adjustments))


def _parse_quota(raw, path, labels, stars):
    obj = _Obj(raw, path)
    grade = obj.string("grade", None)
    star_count = obj.integer("stars", None, minimum=0)
    if (grade is None) == (star_count is None):
        raise SchemeError(path, "名额须针对 grade 或 stars 之一 (a quota targets either grade or stars)")
    if grade is not None and grade not in labels:
        raise SchemeError(obj.where("grade"), f"未知等次 {grade!r} (unknown grade label)")
    if star_count is not None and stars is None:
        raise SchemeError(obj.where("stars"), "方案未定义星级 (the scheme has no stars)")
    max_share = obj.decimal("max_share", None)
    min_share = obj.decimal("min_share", None)
    for key, share in (("max_share", max_share), ("min_share", min_share)):
        if share is not None and not (ZERO <= share <= ONE):
            raise SchemeError(obj.where(key), f"比例应在 0 与 1 之间，收到 {share} (share must be within 0..1)")
    if max_share is None and min_share is None:
        raise SchemeError(path, "须给出 max_share 或 min_share (give max_share or min_share)")
    fallback = obj.string("fallback", None)
    if fallback is not None and fallback not in labels:
        raise SchemeError(obj.where("fallback"), f"未知等次 {fallback!r} (unknown grade label)")
    fallback_stars = obj.integer("fallback_stars", None, minimum=0)
    if max_share is not None:
        if grade is not None and fallback is None:
            raise SchemeError(obj.where("fallback"), "超出名额者的等次须指明 (fallback grade required)")
        if star_count is not None and fallback_stars is None:
            raise SchemeError(obj.where("fallback_stars"), "超出名额者的星级须指明 (fallback_stars required)")
    per_branch_min = obj.integer("per_branch_min", None, minimum=1)
    obj.raw("reason", None)
    obj.done()
    return Quota(grade, star_count, max_share, min_share, fallback, fallback_stars, per_branch_min)


def _parse_action(raw, path, names, labels):
    obj = _Obj(raw, path)
    when = _parse_condition(obj.raw("when", {}), obj.where("when"), names, labels)
    actions = obj.strings("do")
    for i, action in enumerate(actions):
        if action not in ACTIONS:
            raise SchemeError(join(obj.where("do"), i),
                              f"未知处理措施 {action!r}，可选：{', '.join(ACTIONS)} (unknown action)")
    obj.raw("reason", None)
    obj.done()
    return ActionRule(when, actions)


CHECK_TYPES = ("share_below", "group_bonus", "branch_ranking", "member_flag", "grade_summary")


def _parse_check(raw, path, names, labels):
    obj = _Obj(raw, path)
    kind = obj.string("type", choices=CHECK_TYPES)
    obj.raw("reason", None)
    if kind == "share_below":
        check = Check(kind, threshold=obj.decimal("threshold"),
                      min_share=obj.decimal("min_share", None, minimum=ZERO),
                      max_share=obj.decimal("max_share", None, minimum=ZERO),
                      scope=obj.string("scope", "all", choices=("all", "branch")))
        if check.min_share is None and check.max_share is None:
            raise SchemeError(path, "须给出 min_share 或 max_share (give min_share or max_share)")
        if check.min_share is not None and check.max_share is not None and check.min_share > check.max_share:
            raise SchemeError(obj.where("max_share"), "max_share 小于 min_share (max below min)")
    elif kind == "group_bonus":
        check = Check(kind, per_capita=obj.decimal("per_capita", minimum=ZERO),
                      base_points=obj.decimal("base_points", minimum=ZERO),
                      step=obj.decimal("step", minimum=ONE), step_points=obj.decimal("step_points", minimum=ZERO))
    elif kind == "branch_ranking":
        check = Check(kind)
    elif kind == "grade_summary":
        per = obj.obj("per_grade")
        per_grade = {}
        for label in per.data:
            if label not in labels:
                raise SchemeError(per.where(label), f"未知等次 {label!r} (unknown grade label)")
            per_grade[label] = per.decimal(label, minimum=ZERO)
        per.done()
        check = Check(kind, per_grade=per_grade, message=obj.string("message"))
    else:
        check = Check(kind, when=_parse_condition(obj.raw("when"), obj.where("when"), names, labels),
                      message=obj.string("message"))
    obj.done()
    return check
