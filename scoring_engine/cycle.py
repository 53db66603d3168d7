"""The scenario's cycle (周期): its dates, quarters and months, and how it compares with the scheme's.

A cycle is a year from 1 January or from 七一 (篇四, 篇十三); a scenario may try a scheme on a
shorter or shifted one, which :func:`cycle_findings` reports rather than refuses. Quarters
are counted from the cycle's start, so Jan–Mar is quarter 0 of a calendar year.
"""
from dataclasses import dataclass
from datetime import date, timedelta

from .errors import SchemeError, join


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

    def quarter_starts(self):
        """The first day of each quarter (``quarter_of`` changes there), or None when a quarter would
        start on a day its month lacks (a cycle from the 29th–31st)."""
        starts = [add_months(self.start, 3 * q) for q in range(self.quarters)]
        return None if any(day is None for day in starts) else starts

    @property
    def quarters(self):
        return self.quarter_of(self.end) + 1

    @property
    def months(self):
        """Length in whole months when the cycle ends the day before a month-aligned date, else None."""
        after = self.end + timedelta(days=1)
        months = self.months_from_start(after)
        if add_months(self.start, months) == after:
            return months
        return None


def add_months(day, months):
    """``day`` moved by ``months`` whole months, or None when that month has no such day."""
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    try:
        return date(year, month, day.day)
    except ValueError:
        return None


def parse_date(value, path):
    """A ``date`` from a date or an ISO ``YYYY-MM-DD`` string; SchemeError naming ``path`` otherwise."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise SchemeError(path, "应为日期 YYYY-MM-DD (expected a date)")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SchemeError(path, f"日期格式无效 {value!r}，应为 YYYY-MM-DD (invalid date)") from None


def parse_cycle(data, scheme, path="cycle"):
    """``{start, end}`` -> :class:`Cycle`; the end may not precede the start."""
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
        expected = add_months(cycle.start, scheme.cycle_months)
        last = expected - timedelta(days=1) if expected else "?"
        findings.append({
            "type": "cycle",
            "message": f"该方案的周期为 {scheme.cycle_months} 个月（应至 {last}），本次至 {cycle.end}，"
                       f"按季度、全年的封顶仍按本次周期计算 (the scheme's cycle lasts {scheme.cycle_months} months)",
        })
    return findings


def previous_cycle_start(cycle, months=None):
    """Start of the cycle immediately before this one, for "两年连续" rules.

    ``months`` is the scheme's cycle length when it has one; otherwise the previous cycle
    is taken to be as long as this one.
    """
    months = months or cycle.months
    if months is None:
        return cycle.start - (cycle.end - cycle.start) - timedelta(days=1)
    return add_months(cycle.start, -months)


def month_offset(day, months):
    """Alias of :func:`add_months` kept for the engine's history rules."""
    return add_months(day, months)
