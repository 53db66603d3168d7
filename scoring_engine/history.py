"""Members' results in earlier cycles, for rules such as "基本合格两年连续" (篇四) or "<60 两年连续" (篇十二)."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .cycle import parse_date
from .errors import SchemeError, join
from .reader import to_decimal

HISTORY_KEYS = frozenset({"cycle_start", "total", "grade", "stars", "vetoed"})


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    cycle_start: date
    total: Decimal | None
    grade: str | None
    stars: int | None
    vetoed: bool


def parse_history(data, scheme, members, cycle, path="history"):
    """``{member id: [earlier results]}`` -> per member (by index) a tuple of :class:`HistoryEntry`, oldest first."""
    result = [()] * len(members)
    if data is None:
        return result
    if not isinstance(data, dict):
        raise SchemeError(path, "应为对象 {成员编号: [往期结果]} (expected an object keyed by member id)")
    by_id = {m.id: m for m in members} if data else {}  # no history (the usual case): no table to build
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
