"""Scenario inputs: cycle, members, events, appraisal and history, validated against a scheme.

Validation happens once, here; the engine then trusts what it is given. Events are not
kept as objects: each is folded straight into its member's per-component, per-quarter
sum (``Inputs.sums``). Sums do not depend on the order of addition, which is what makes
results independent of the order of events, and folding keeps 1.8 million events
cheap in time and memory.
"""
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .errors import SchemeError, join
from .scheme import ZERO, to_decimal

EVENT_KEYS = frozenset({"member", "date", "component", "points", "item", "quantity", "fraudulent", "id", "note"})
MEMBER_KEYS = frozenset({"id", "name", "branch", "category", "probationary", "flags"})
HISTORY_KEYS = frozenset({"cycle_start", "total", "grade", "stars", "vetoed"})


@dataclass(frozen=True, slots=True)
class Cycle:
    start: date
    end: date

    def months_from_start(self, day):
        months = (day.year - self.start.year) * 12 + (day.month - self.start.month)
        if day.day < self.start.day:
            months -= 1
        return months

    def quarter_of(self, day):
        """0-based quarter counted from the cycle's start (Jan–Mar is 0 for a calendar year)."""
        return self.months_from_start(day) // 3

    @property
    def quarters(self):
        return self.quarter_of(self.end) + 1

    @property
    def months(self):
        """Length in whole months when the cycle ends the day before a month-aligned date, else None."""
        after = self.end + timedelta(days=1)
        months = self.months_from_start(after)
        if _add_months(self.start, months) == after:
            return months
        return None


@dataclass(frozen=True, slots=True)
class Member:
    id: str
    name: str
    branch: str
    category: str | None
    probationary: bool
    flags: dict
    excluded: bool
    index: int


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    cycle_start: date
    total: Decimal | None
    grade: str | None
    stars: int | None
    vetoed: bool


@dataclass(slots=True)
class Inputs:
    """Validated inputs. ``sums[m][c]`` is a list of per-quarter event sums (or None when no
    events); ``picks[m][c]`` maps item key -> list of (points, quarter) for components whose
    items need choosing (best per item, count limits)."""

    cycle: Cycle
    members: list
    sums: list
    picks: list
    appraisal: list
    history: list


def _add_months(day, months):
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    try:
        return date(year, month, day.day)
    except ValueError:
        return None


def parse_date(value, path):
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise SchemeError(path, "应为日期 YYYY-MM-DD (expected a date)")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SchemeError(path, f"日期格式无效 {value!r}，应为 YYYY-MM-DD (invalid date)") from None


def parse_cycle(data, scheme, path="cycle"):
    if not isinstance(data, dict):
        raise SchemeError(path, "应为对象 {start, end} (expected an object)")
    for key in data:
        if key not in ("start", "end"):
            raise SchemeError(join(path, key), "未知字段 (unknown field)")
    if "start" not in data or "end" not in data:
        raise SchemeError(join(path, "start" if "start" not in data else "end"), "缺少必填字段 (required)")
    cycle = Cycle(parse_date(data["start"], join(path, "start")), parse_date(data["end"], join(path, "end")))
    if cycle.end < cycle.start:
        raise SchemeError(join(path, "end"), f"周期结束 {cycle.end} 早于开始 {cycle.start} (end before start)")
    return cycle


def cycle_findings(cycle, scheme):
    """Where the scenario's cycle differs from the scheme's (篇四: a year from 1 January or 七一).

    Not an error: a designer may well try a scheme on half a year of events. The finding
    goes into ``checks`` so that nobody mistakes such a run for a year-end result.
    """
    findings = []
    if scheme.cycle_start_days and cycle.start.strftime("%m-%d") not in scheme.cycle_start_days:
        findings.append({
            "type": "cycle",
            "message": f"该方案的周期应从 {' 或 '.join(scheme.cycle_start_days)} 开始，本次为 {cycle.start} "
                       f"(the scheme's cycle starts on {'/'.join(scheme.cycle_start_days)})",
        })
    if scheme.cycle_months and cycle.months != scheme.cycle_months:
        expected = _add_months(cycle.start, scheme.cycle_months)
        last = expected - timedelta(days=1) if expected else "?"
        findings.append({
            "type": "cycle",
            "message": f"该方案的周期为 {scheme.cycle_months} 个月（应至 {last}），本次至 {cycle.end}，"
                       f"按季度、全年的封顶仍按本次周期计算 (the scheme's cycle lasts {scheme.cycle_months} months)",
        })
    return findings


_FLAG_TYPES = frozenset({bool, str, int, Decimal, type(None)})


def _flag_value(value, path):
    if isinstance(value, (bool, str, int, Decimal)) or value is None:
        return value
    if isinstance(value, float):
        return to_decimal(value, path)
    raise SchemeError(path, "标记值应为布尔、数字或文本 (flag must be a boolean, number or string)")


def parse_members(data, scheme, path="members"):
    if not isinstance(data, list):
        raise SchemeError(path, "应为列表 (expected a list)")
    members = []
    seen = {}
    for index, raw in enumerate(data):
        where = join(path, index)
        if not isinstance(raw, dict):
            raise SchemeError(where, "应为对象 (expected an object)")
        for key in raw:
            if key not in MEMBER_KEYS:
                raise SchemeError(join(where, key), "未知字段 (unknown field)")
        member_id = raw.get("id")
        if not isinstance(member_id, str) or not member_id:
            raise SchemeError(join(where, "id"), "成员编号应为非空文本 (id must be a non-empty string)")
        if member_id in seen:
            raise SchemeError(join(where, "id"), f"成员编号 {member_id!r} 与 members[{seen[member_id]}] 重复 (duplicate id)")
        seen[member_id] = index
        category = raw.get("category")
        if category is not None and not isinstance(category, str):
            raise SchemeError(join(where, "category"), "类别应为文本 (category must be a string)")
        if scheme.categories is not None:
            if category is None:
                raise SchemeError(join(where, "category"),
                                  f"该方案须指明类别：{', '.join(sorted(scheme.categories))} (category required)")
            if category not in scheme.categories:
                raise SchemeError(join(where, "category"),
                                  f"未知类别 {category!r}，可选：{', '.join(sorted(scheme.categories))} (unknown category)")
        probationary = raw.get("probationary", False)
        if not isinstance(probationary, bool):
            raise SchemeError(join(where, "probationary"), "应为 true/false (expected a boolean)")
        raw_flags = raw.get("flags") or {}
        if not isinstance(raw_flags, dict):
            raise SchemeError(join(where, "flags"), "应为对象 (expected an object)")
        flags = dict(raw_flags)
        for key, value in raw_flags.items():
            if type(value) not in _FLAG_TYPES:
                flags[key] = _flag_value(value, join(join(where, "flags"), key))
        branch = raw.get("branch", "")
        if not isinstance(branch, str):
            raise SchemeError(join(where, "branch"), "应为文本 (expected a string)")
        members.append(Member(
            id=member_id, name=str(raw.get("name", "")), branch=branch, category=category,
            probationary=probationary, flags=flags, excluded=bool(flags.get("excluded")), index=index,
        ))
    return members


def _event_points(raw, component, where):
    """Resolve an event's signed contribution from points, item, quantity and the fraud flag."""
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


def parse_events(data, scheme, cycle, members, path="events"):
    """Fold events into per-member, per-component, per-quarter sums. Returns (sums, picks).

    This is the hot loop of a large simulation (1.8 million events for 30,000 members),
    so the common event -- exactly member/date/component/points with whole or Decimal
    points, on a component without items -- takes a short path of dictionary lookups
    and one addition. Sums start as Python ints and only become Decimal when a Decimal
    arrives, which avoids a Decimal conversion per event. Everything else (unknown
    keys, items, fraud, floats, first sight of a date, any error) goes through
    :meth:`_FoldState.fold`, which validates fully and names the field.
    """
    if not isinstance(data, list):
        raise SchemeError(path, "应为列表 (expected a list)")
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
            member_picks.setdefault(c, {}).setdefault(item_key, []).append((value, q))
            return
        row = self.sums[m]
        bucket = row[c]
        if bucket is None:
            bucket = row[c] = [0] * self.n_quarters
        bucket[q] += value


def _score_from(spec, scheme, component, where):
    """One appraisal score on the component's scale from {score}, {votes} or {raters}."""
    if not isinstance(spec, dict) or len(spec) != 1 or next(iter(spec)) not in ("score", "votes", "raters"):
        raise SchemeError(where, "应为 {\"score\": n}、{\"votes\": {...}} 或 {\"raters\": {...}} 之一 "
                                 "(expected one of score / votes / raters)")
    kind, value = next(iter(spec.items()))
    scale = component.appraisal_max
    if kind == "score":
        if type(value) is Decimal and value.is_finite():
            score = value
        else:
            score = to_decimal(value, join(where, "score"))
        if not (ZERO <= score <= scale):
            raise SchemeError(join(where, "score"), f"评议分应在 0 至 {scale} 之间，收到 {score} (score out of range)")
        return score
    if kind == "votes":
        vwhere = f"{where}.votes"
        if not isinstance(value, dict):
            raise SchemeError(vwhere, "应为对象 (expected an object)")
        values = scheme.appraisal_votes
        cast = 0
        weighted = ZERO
        for label, count in value.items():
            if label not in values:
                raise SchemeError(join(vwhere, label),
                                  f"未知票种 {label!r}，可选：{', '.join(values)} (unknown vote kind)")
            if type(count) is not int or count < 0:
                n = to_decimal(count, join(vwhere, label))
                if n < 0 or n != n.to_integral_value():
                    raise SchemeError(join(vwhere, label), f"票数应为非负整数，收到 {count} (votes must be a whole number)")
                count = int(n)
            cast += count
            weighted += count * values[label]
        if cast == 0:
            raise SchemeError(vwhere, "总票数为 0，无法计算测评分 (no votes cast)")
        # 东塘: (优秀票×100 + 良好票×80 + 合格票×60 + 差票×40) ÷ 总票数, on the component's scale.
        return weighted / cast * scale / 100 if scale != 100 else weighted / cast
    rwhere = join(where, "raters")
    weights = scheme.appraisal_raters
    if not weights:
        raise SchemeError(rwhere, "该方案未规定评价主体权重 (the scheme defines no rater weights)")
    if not isinstance(value, dict):
        raise SchemeError(rwhere, "应为对象 (expected an object)")
    for label in value:
        if label not in weights:
            raise SchemeError(join(rwhere, label), f"未知评价主体 {label!r}，可选：{', '.join(weights)} (unknown rater)")
    total = ZERO
    for label, weight in weights.items():
        if label not in value:
            raise SchemeError(join(rwhere, label), f"缺少评价主体 {label} 的评分 (rater score missing)")
        rater = value[label]
        rater_spec = rater if isinstance(rater, dict) else {"score": rater}
        total += weight * _score_from(rater_spec, scheme, component, join(rwhere, label))
    return total


def parse_appraisal(data, scheme, members, path="appraisal"):
    """Per member: {component name: score on that component's scale}."""
    result = [None] * len(members)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SchemeError(path, "应为对象 {成员编号: 评议} (expected an object keyed by member id)")
    appraisal_components = [c for c in scheme.components if c.from_appraisal]
    by_id = {m.id: m for m in members}
    for member_id, spec in data.items():
        where = join(path, member_id)
        member = by_id.get(member_id)
        if member is None:
            raise SchemeError(where, f"未知成员 {member_id!r} (unknown member)")
        if not appraisal_components:
            raise SchemeError(where, "该方案没有民主评议部分 (the scheme has no appraisal component)")
        if not isinstance(spec, dict):
            raise SchemeError(where, "应为对象 (expected an object)")
        scores = {}
        if "components" in spec:
            if len(spec) != 1 or not isinstance(spec["components"], dict):
                raise SchemeError(join(where, "components"), "应为 {组成部分: 评议} (expected an object)")
            for name, sub in spec["components"].items():
                sub_where = join(join(where, "components"), name)
                if name not in scheme.component_index or not scheme.component(name).from_appraisal:
                    raise SchemeError(sub_where, f"{name!r} 不是评议类组成部分 (not an appraisal component)")
                scores[name] = _score_from(sub, scheme, scheme.component(name), sub_where)
        else:
            if len(appraisal_components) != 1:
                raise SchemeError(where, "该方案有多个评议部分，请用 {\"components\": {...}} 分别给出 "
                                         "(several appraisal components: use components)")
            component = appraisal_components[0]
            scores[component.name] = _score_from(spec, scheme, component, where)
        result[member.index] = scores
    return result


def parse_history(data, scheme, members, cycle, path="history"):
    result = [()] * len(members)
    if data is None:
        return result
    if not isinstance(data, dict):
        raise SchemeError(path, "应为对象 {成员编号: [往期结果]} (expected an object keyed by member id)")
    by_id = {m.id: m for m in members}
    for member_id, entries in data.items():
        where = join(path, member_id)
        member = by_id.get(member_id)
        if member is None:
            raise SchemeError(where, f"未知成员 {member_id!r} (unknown member)")
        if not isinstance(entries, list):
            raise SchemeError(where, "应为列表 (expected a list)")
        parsed = []
        starts = set()
        for index, raw in enumerate(entries):
            ewhere = join(where, index)
            if not isinstance(raw, dict):
                raise SchemeError(ewhere, "应为对象 (expected an object)")
            for key in raw:
                if key not in HISTORY_KEYS:
                    raise SchemeError(join(ewhere, key), "未知字段 (unknown field)")
            if "cycle_start" not in raw:
                raise SchemeError(join(ewhere, "cycle_start"), "缺少必填字段 (required)")
            start = parse_date(raw["cycle_start"], join(ewhere, "cycle_start"))
            if start >= cycle.start:
                raise SchemeError(join(ewhere, "cycle_start"),
                                  f"往期周期 {start} 不早于本周期 {cycle.start} (history must precede the cycle)")
            if start in starts:
                raise SchemeError(join(ewhere, "cycle_start"), f"周期 {start} 重复 (duplicate cycle)")
            starts.add(start)
            total = raw.get("total")
            total = to_decimal(total, join(ewhere, "total")) if total is not None else None
            grade = raw.get("grade")
            if grade is not None and not isinstance(grade, str):
                raise SchemeError(join(ewhere, "grade"), "应为文本 (expected a string)")
            stars = raw.get("stars")
            if stars is not None:
                if isinstance(stars, bool) or not isinstance(stars, int) or stars < 0:
                    raise SchemeError(join(ewhere, "stars"), "应为非负整数 (expected a whole number)")
            vetoed = raw.get("vetoed", False)
            if not isinstance(vetoed, bool):
                raise SchemeError(join(ewhere, "vetoed"), "应为 true/false (expected a boolean)")
            parsed.append(HistoryEntry(start, total, grade, stars, vetoed))
        parsed.sort(key=lambda e: e.cycle_start)
        result[member.index] = tuple(parsed)
    return result


def previous_cycle_start(cycle, months=None):
    """Start of the cycle immediately before this one, for "两年连续" rules.

    ``months`` is the scheme's cycle length when it has one; otherwise the previous cycle
    is taken to be as long as this one.
    """
    months = months or cycle.months
    if months is None:
        return cycle.start - (cycle.end - cycle.start) - timedelta(days=1)
    return _add_months(cycle.start, -months)


def month_offset(day, months):
    return _add_months(day, months)
