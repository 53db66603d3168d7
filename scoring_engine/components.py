"""Components (组成部分) of a member's score, their listed rule items, and how they combine into the total.

A component adds its events to a start value (``add``) or deducts them from it (``deduct``,
倒扣); its listed items fix an event's points, bound them to a range, or leave them to the
declaration. The combination weighs components into the total, per member category.
"""
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from .errors import SchemeError, join
from .reader import ONE, ZERO, Reader

#: The periods an item's ``max_count`` may be counted in (当年 / 每季度 / 每月).
COUNT_PERIODS = ("cycle", "quarter", "month")
#: Their Chinese names, for messages.
COUNT_PERIOD_LABELS = {"cycle": "每个周期", "quarter": "每季度", "month": "每月"}


@dataclass(frozen=True, slots=True)
class Item:
    """A listed rule item: its points fixed, chosen within a range, or left to the declaration.

    ``points``: the fixed points of one unit (钟祥 "协助处理群体性事件 15分"), or None.
    ``minimum``/``maximum``: the range one unit's points are chosen in (度假区 "加5-10分",
    篇十六 l.1279), or None; given together, and never with ``points``.
    ``max_count``: how many units may count, or None for no limit; ``per`` says within what:
    the whole cycle (``"cycle"``, the default: 当年), a ``"quarter"`` or a ``"month"`` (每月/当月,
    钟祥 l.1449–1459), periods counted from the cycle's start.
    """

    key: str
    label: str
    points: Decimal | None
    max_count: int | None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    per: str = "cycle"

    def allows(self, unit_points):
        """True when one unit's ``unit_points`` (Decimal) is what this item allows (fixed or in range)."""
        if self.points is not None:
            return unit_points == self.points
        if self.minimum is not None and unit_points < self.minimum:
            return False
        return self.maximum is None or unit_points <= self.maximum


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



def parse_component(raw, path, categories, index):
    obj = Reader(raw, path)
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
        item_obj = Reader(raw_item, item_path)
        item = parse_item(item_obj, accepts)
        if item.key in items:
            raise SchemeError(join(item_path, "key"), f"条目 {item.key!r} 重复 (duplicate item)")
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


def check_sign(accepts, points, path):
    if accepts == "positive" and points < 0:
        raise SchemeError(path, f"该项只接受正数分值（扣分也填正数），收到 {points} (points must be positive)")
    if accepts == "negative" and points > 0:
        raise SchemeError(path, f"该项只接受负数分值，收到 {points} (points must be negative)")



def parse_item(obj, accepts):
    """One listed item of a component whose events must be of sign ``accepts`` (any/positive/negative)."""
    item = Item(
        key=obj.string("key"),
        label=obj.string("label", None) or obj.data.get("key", ""),
        points=obj.decimal("points", None),
        max_count=obj.integer("max_count", None, minimum=1),
        minimum=obj.decimal("min", None),
        maximum=obj.decimal("max", None),
        per=obj.string("per", "cycle", choices=COUNT_PERIODS),
    )
    obj.done()
    if obj.has("per") and item.max_count is None:
        raise SchemeError(obj.where("per"), "per 规定 max_count 的计数期间，须同时给出 max_count (per needs max_count)")
    if item.points is not None:
        check_sign(accepts, item.points, obj.where("points"))
        if item.minimum is not None or item.maximum is not None:
            raise SchemeError(obj.where("min" if item.minimum is not None else "max"),
                              "固定分值的条目不设范围 (an item with fixed points takes no range)")
    elif (item.minimum is None) != (item.maximum is None):
        raise SchemeError(obj.where("max" if item.maximum is None else "min"),
                          "分值范围须同时给出 min 和 max (give both min and max)")
    elif item.minimum is not None:
        if item.minimum > item.maximum:
            raise SchemeError(obj.where("max"), f"上限 {item.maximum} 小于下限 {item.minimum} (max below min)")
        check_sign(accepts, item.minimum, obj.where("min"))
        check_sign(accepts, item.maximum, obj.where("max"))
    return item


def parse_combination(obj, names, categories):
    raw_terms = obj.array("terms")
    obj.done()
    if not raw_terms:
        raise SchemeError(obj.where("terms"), "至少需要一项 (at least one term)")
    terms = []
    groups = {}
    for index, raw in enumerate(raw_terms):
        path = join(obj.where("terms"), index)
        term_obj = Reader(raw, path)
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

