"""The scenario's events, validated and folded into per-member, per-component, per-quarter sums.

Events are not kept as objects: each is folded straight into its member's sum
(``Inputs.sums``). Sums do not depend on the order of addition, which is what makes
results independent of the order of events, and folding keeps 1.8 million events
cheap in time and memory.
"""
from collections.abc import Iterator
from decimal import Decimal

from .cycle import parse_date
from .errors import SchemeError, join
from .reader import to_decimal

EVENT_KEYS = frozenset({"member", "date", "component", "points", "item", "quantity", "fraudulent", "id", "note",
                        "recorded"})


def _recorded_points(raw, component, where):
    """An event the review chain already decided (``recorded: true``, read back from the ledger).

    Its ``points`` are the branch's decision for all units — fixed, ranged, adjusted for 弄虚作假
    or corrected on objection — and are taken as they are (a 倒扣 component still deducts their
    magnitude); its ``item`` only places it among the item's count limits and 同类别不重复加分.
    """
    item_key = raw.get("item")
    if item_key is not None and not isinstance(item_key, str):
        raise SchemeError(join(where, "item"), "条目应为文本 (item must be a string)")
    if item_key is not None and component.items and item_key not in component.items:
        raise SchemeError(join(where, "item"), f"{component.name} 没有条目 {item_key!r} (unknown item)")
    if "points" not in raw:
        raise SchemeError(join(where, "points"), "缺少分值 (points required)")
    value = to_decimal(raw["points"], join(where, "points"))
    return (abs(value) if component.mode == "deduct" else value), item_key


def _event_points(raw, component, where):
    """Resolve an event's signed contribution from points, item, quantity and the fraud flag."""
    recorded = raw.get("recorded", False)
    if not isinstance(recorded, bool):
        raise SchemeError(join(where, "recorded"), "应为 true/false (expected a boolean)")
    if recorded:
        return _recorded_points(raw, component, where)
    item_key = raw.get("item")
    points = raw.get("points")
    quantity = raw.get("quantity", 1)
    if item_key is not None and not isinstance(item_key, str):
        raise SchemeError(join(where, "item"), "条目应为文本 (item must be a string)")
    if item_key is not None and not component.items and component.best_per_item:
        pass  # 同类别不重复加分 with free categories: the item names the category, points come from the event
    elif item_key is not None:
        item = component.items.get(item_key)
        if item is None:
            known = ", ".join(component.items) or "（无）"
            raise SchemeError(join(where, "item"),
                              f"{component.name} 没有条目 {item_key!r}，可选：{known} (unknown item)")
        if item.points is not None:
            unit = item.points
            if points is not None:
                given = to_decimal(points, join(where, "points"))
                qty = to_decimal(quantity, join(where, "quantity"))
                if given != unit * qty:
                    raise SchemeError(join(where, "points"),
                                      f"条目 {item_key} 的分值为 {unit}×{qty}，收到 {given} (points disagree with the item)")
            points = unit
        elif points is not None and not item.allows(to_decimal(points, join(where, "points"))):
            raise SchemeError(join(where, "points"),
                              f"条目“{item.label}”（{item_key}）每次的分值应在 {item.minimum} 至 {item.maximum} 之间，"
                              f"收到 {points} (points outside the item's range)", code="points_out_of_range",
                              params={"item": item_key, "item_label": item.label, "minimum": item.minimum,
                                      "maximum": item.maximum, "given": points})
    elif component.items and component.best_per_item:
        raise SchemeError(join(where, "item"), f"{component.name} 的事件须指明条目 (item required)")
    if points is None:
        raise SchemeError(join(where, "points"), "缺少分值 (points required)")
    value = to_decimal(points, join(where, "points"))
    if quantity != 1:
        qty = to_decimal(quantity, join(where, "quantity"))
        if qty <= 0:
            raise SchemeError(join(where, "quantity"), f"数量应为正数，收到 {qty} (quantity must be positive)")
        value = value * qty
    if component.accepts == "positive" and value < 0:
        raise SchemeError(join(where, "points"),
                          f"{component.name} 只接受正数分值（扣分也以正数记录），收到 {value} (points must be positive)")
    if component.accepts == "negative" and value > 0:
        raise SchemeError(join(where, "points"), f"{component.name} 只接受负数分值，收到 {value} (points must be negative)")
    if component.mode == "deduct":
        # 倒扣: every event is a deduction; "扣5分" arrives as 5 or as -5, both mean 5.
        value = abs(value)
    fraudulent = raw.get("fraudulent", False)
    if not isinstance(fraudulent, bool):
        raise SchemeError(join(where, "fraudulent"), "应为 true/false (expected a boolean)")
    if fraudulent:
        if component.fraud_multiplier is None:
            raise SchemeError(join(where, "fraudulent"),
                              f"{component.name} 未规定弄虚作假的处理 (the component has no fraud rule)")
        # 钟祥: "申报弄虚作假，给予相应项目双倍扣分" -- the item is deducted, twice over.
        value = -abs(value) * component.fraud_multiplier
    return value, item_key


def summable_components(scheme):
    """Names of the components whose events fold as plain per-quarter sums.

    Such a component takes events without items, sign rule, 倒扣, category restriction, fraud
    rule or best-per-item: every event of it is added to its quarter's sum and nothing else
    (:func:`parse_events`'s short path), so one event per member and quarter carrying the sum
    of that quarter's points gives the same results as the events one by one. The review
    chain uses this to hand the engine sums computed by the database (``GROUP BY``).
    """
    return [c.name for c in scheme.components
            if c.accepts_events and not c.items and not c.best_per_item and c.fraud_multiplier is None
            and c.mode != "deduct" and c.accepts == "any" and c.categories is None]


def foldable_components(scheme):
    """``{name: sign}`` of the components whose events fold as per-quarter sums once each event is
    known to obey the component's sign rule (``sign``: 0 any, 1 every event ≥ 0, -1 every event ≤ 0).

    Besides :func:`summable_components` (sign 0) these are the components that only add up their
    events after checking each one's sign (``accepts = "positive"`` / ``"negative"``) or taking its
    magnitude (倒扣, ``mode = "deduct"``: with every event ≥ 0 its magnitude is itself). A caller
    that knows every event of a member's component in a quarter obeys the sign may hand their sum
    to :func:`parse_events` (``sums``) instead of the events: the folded inputs are the same.
    """
    foldable = {}
    for c in scheme.components:
        if not c.accepts_events or c.items or c.best_per_item or c.fraud_multiplier is not None:
            continue
        if c.categories is not None:
            continue
        if c.mode == "deduct":
            if c.accepts in ("any", "positive"):
                foldable[c.name] = 1
        else:
            foldable[c.name] = {"any": 0, "positive": 1, "negative": -1}[c.accepts]
    return foldable


def fold_sums(state, sums, path="sums"):
    """Add per-quarter sums to the folded inputs: ``(member id, component, [quarter sum or None, …])``.

    The component must be one of :func:`foldable_components`; each sum stands for events that all
    obey its sign, so a sum of the wrong sign is refused. A quarter without events is ``None`` (its
    member's component then has sums only if some quarter has, as with events one by one). Each
    sum is added to 0 as an event's points are, so the figures are those of the events one by one.

    A county's 356,000 sums are a few hundred distinct values, which the review chain hands over
    as shared objects: what a sum object's checks and its addition to 0 give is worked out once
    per object (``seen``, keyed by the object's identity; it holds the object, so no other can
    take that identity meanwhile).
    """
    foldable = foldable_components(state.scheme)
    comp_index = state.scheme.component_index
    folding = {name: (sign, comp_index[name]) for name, sign in foldable.items()}  # one lookup per sum for both
    member_index = state.member_index
    n_quarters = state.n_quarters
    folded = state.sums
    Dec = Decimal
    zero = Dec(0)  # compared with a Decimal sum without converting an int each time
    seen = {}  # id(sum) -> (the sum, below zero, above zero, 0 + the sum)
    seen_get = seen.get
    for i, entry in enumerate(sums):
        try:
            member_id, comp_name, quarters = entry
            m = member_index[member_id]
            sign, c = folding[comp_name]
        except (TypeError, ValueError, KeyError):
            _refuse_sum(i, entry, member_index, foldable, path)
        if type(quarters) not in (list, tuple) or len(quarters) != n_quarters:
            raise SchemeError(join(join(path, i), "quarters"), f"应为 {n_quarters} 个季度之和 (expected one sum per quarter)")
        row = folded[m]
        bucket = row[c]
        fresh = bucket is None  # each quarter still 0: its figure is 0 + its sum
        q = -1
        for value in quarters:
            q += 1
            if value is None:
                continue
            known = seen_get(id(value))
            if known is None:
                kind = type(value)
                if kind is not Dec and kind is not int:
                    raise SchemeError(join(join(join(path, i), "quarters"), q), "应为整数或 Decimal (expected int or Decimal)")
                known = seen[id(value)] = (value, value < zero, value > zero, 0 + value)
            if sign and known[1 if sign == 1 else 2]:
                raise SchemeError(join(join(join(path, i), "quarters"), q),
                                  f"{comp_name} 的季度之和 {value} 与其正负规则不符 (sum has the wrong sign)")
            if fresh:
                if bucket is None:
                    bucket = row[c] = [0] * n_quarters
                bucket[q] = known[3]
            else:
                bucket[q] += value


def _refuse_sum(i, entry, member_index, foldable, path):
    """The SchemeError for a ``sums`` entry that is not (known member, foldable component, quarters)."""
    where = join(path, i)
    try:
        member_id, comp_name, _quarters = entry
    except (TypeError, ValueError):
        raise SchemeError(where, "应为 (成员, 组成部分, 各季度之和) (expected member, component, quarter sums)") from None
    if type(member_id) is not str or member_id not in member_index:
        raise SchemeError(join(where, "member"), f"未知成员 {member_id!r} (unknown member)")
    raise SchemeError(join(where, "component"), f"{comp_name!r} 的事件不能按季度合计 (component does not fold)")


def parse_events(data, scheme, cycle, members, path="events", sums=None):
    """Fold events into per-member, per-component, per-quarter sums. Returns (sums, picks).

    This is the hot loop of a large simulation (1.8 million events for 30,000 members),
    so the common event -- exactly member/date/component/points with whole or Decimal
    points, on a component without items -- takes a short path of dictionary lookups
    and one addition. Sums start as Python ints and only become Decimal when a Decimal
    arrives, which avoids a Decimal conversion per event. Everything else (unknown
    keys, items, fraud, floats, first sight of a date, any error) goes through
    :meth:`_FoldState.fold`, which validates fully and names the field. ``data`` is a list
    or an iterator of events (:func:`~scoring_engine.stream.simulate_file` passes the events
    as they are read from the file, so none is kept). ``sums`` (optional) are per-quarter sums
    of events not in ``data``, folded by :func:`fold_sums` (the review chain's ``GROUP BY``).
    """
    if not isinstance(data, (list, Iterator)):
        raise SchemeError(path, "应为列表 (expected a list)")
    sums_given = sums
    state = _FoldState(scheme, cycle, members, path)
    member_index = state.member_index
    comp_index = scheme.component_index
    date_cache = state.date_cache
    sums = state.sums
    quick = state.quick
    signs = state.signs
    restricted = state.restricted
    plain = [quick and not sign and r is None for quick, sign, r in zip(state.quick, state.signs, restricted)]
    categories = state.categories
    n_quarters = state.n_quarters
    Dec = Decimal
    fold = state.fold

    for i, raw in enumerate(data):
        try:
            points = raw["points"]
            m = member_index[raw["member"]]
            c = comp_index[raw["component"]]
            q = date_cache[raw["date"]]
        except (KeyError, TypeError, IndexError):
            fold(i, raw)
            continue
        kind = type(points)
        if not plain[c] or len(raw) != 4 or (kind is not int and kind is not Dec):
            # Components with a sign rule, a category restriction or items, and unusual events.
            sign = signs[c]
            if (
                not quick[c] or len(raw) != 4 or (kind is not int and kind is not Dec)
                or (sign == 1 and points < 0) or (sign == -1 and points > 0)
                or (restricted[c] is not None and categories[m] not in restricted[c])
            ):
                fold(i, raw)
                continue
            if sign == 2 and points < 0:
                points = -points
        row = sums[m]
        bucket = row[c]
        if bucket is None:
            bucket = row[c] = [0] * n_quarters
        bucket[q] += points
    if sums_given is not None:
        fold_sums(state, sums_given)
    return sums, state.picks


class _FoldState:
    """Lookup tables shared by the fast loop and the validating slow path of :func:`parse_events`."""

    def __init__(self, scheme, cycle, members, path):
        self.scheme = scheme
        self.cycle = cycle
        self.path = path
        self.member_index = {m.id: m.index for m in members}
        self.categories = [m.category for m in members]
        components = scheme.components
        self.n_quarters = cycle.quarters
        self.sums = [[None] * len(components) for _ in members]
        self.picks = [None] * len(members)
        self.needs_pick = [c.best_per_item or any(i.max_count for i in c.items.values()) for c in components]
        self.quick = [not c.items and c.fraud_multiplier is None and c.accepts_events for c in components]
        # 1: must be ≥ 0, -1: must be ≤ 0, 2: 倒扣 -- every event deducts its magnitude.
        self.signs = [2 if c.mode == "deduct" else {"any": 0, "positive": 1, "negative": -1}[c.accepts]
                      for c in components]
        self.restricted = [c.categories for c in components]
        self.date_cache = {}

    def fold(self, i, raw):
        """Validate one event completely and add it; raise SchemeError naming the field."""
        where = join(self.path, i)
        if type(raw) is not dict:
            raise SchemeError(where, "应为对象 (expected an object)")
        for key in ("member", "date", "component"):
            if key not in raw:
                raise SchemeError(join(where, key), "缺少必填字段 (required field is missing)")
        for key in raw:
            if key not in EVENT_KEYS:
                raise SchemeError(join(where, key), "未知字段 (unknown field)")
        member_id, comp_name, day = raw["member"], raw["component"], raw["date"]
        m = self.member_index.get(member_id) if type(member_id) is str else None
        if m is None:
            raise SchemeError(join(where, "member"), f"未知成员 {member_id!r} (unknown member)")
        comp_index = self.scheme.component_index
        c = comp_index.get(comp_name) if type(comp_name) is str else None
        if c is None:
            raise SchemeError(join(where, "component"),
                              f"未知组成部分 {comp_name!r}，可选：{', '.join(comp_index)} (unknown component)")
        q = self.date_cache.get(day) if type(day) is str else None
        parsed = None
        if q is None:
            parsed = parse_date(day, join(where, "date"))
            cycle = self.cycle
            if parsed < cycle.start or parsed > cycle.end:
                raise SchemeError(join(where, "date"),
                                  f"日期 {parsed} 不在本周期 {cycle.start} 至 {cycle.end} 内 (event outside the cycle)")
            q = cycle.quarter_of(parsed)
            if type(day) is str:
                self.date_cache[day] = q
        component = self.scheme.components[c]
        category = self.categories[m]
        if component.categories is not None and category not in component.categories:
            raise SchemeError(join(where, "component"),
                              f"{comp_name} 不适用于类别 {category!r} 的成员 {member_id} (component does not apply)")
        if not component.accepts_events:
            raise SchemeError(join(where, "component"),
                              f"{comp_name} 由民主评议得出，不接受事件 (component takes no events)")
        value, item_key = _event_points(raw, component, where)
        if self.needs_pick[c] and item_key is not None:
            member_picks = self.picks[m]
            if member_picks is None:
                member_picks = self.picks[m] = {}
            month = self.cycle.months_from_start(parsed or parse_date(day, join(where, "date")))
            member_picks.setdefault(c, {}).setdefault(item_key, []).append((value, q, month))
            return
        row = self.sums[m]
        bucket = row[c]
        if bucket is None:
            bucket = row[c] = [0] * self.n_quarters
        bucket[q] += value
