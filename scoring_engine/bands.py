"""Bands: labelled intervals with explicit inclusive/exclusive bounds, and the check
that a set of bands covers a range exactly once.

The source documents write grade bands the way people talk ("90分以上", "70-79分",
"60分以下"), and taken literally several of them leave holes (篇二 has nothing for
80–89) or count a score twice (东塘's "70-80" and "60-70" share 70). A scheme whose
bands do that cannot grade a member whose total falls there, so it is rejected
before any score is computed, and the message names the uncovered or doubly covered
range so the scheme's author can fix it.
"""
from dataclasses import dataclass
from decimal import Decimal

from .errors import SchemeError, join

NEG_INF = Decimal("-Infinity")
POS_INF = Decimal("Infinity")


def fmt(number):
    """Render a Decimal without exponent or trailing zeros (90, 79.5, -3)."""
    if number.is_infinite():
        return "∞" if number > 0 else "-∞"
    text = format(number.normalize(), "f")
    return text


@dataclass(frozen=True, slots=True)
class Band:
    """An interval of totals (or star counts) mapped to ``value`` (a grade label or a star count).

    ``min``/``max`` of ``None`` mean unbounded. By default a band owns its lower bound and
    not its upper one (``[min, max)``), which is how "90分以上 / 70–89分" read once the
    integer gaps are closed; ``min_inclusive``/``max_inclusive`` say otherwise explicitly.
    """

    value: object
    min: Decimal | None
    max: Decimal | None
    min_inclusive: bool = True
    max_inclusive: bool = False
    index: int = 0

    def contains(self, x):
        if self.min is not None:
            if x < self.min or (x == self.min and not self.min_inclusive):
                return False
        if self.max is not None:
            if x > self.max or (x == self.max and not self.max_inclusive):
                return False
        return True

    def lower(self):
        """Position of the first covered point: (value, 0) = at value, (value, 1) = just above."""
        if self.min is None:
            return (NEG_INF, 0)
        return (self.min, 0 if self.min_inclusive else 1)

    def upper(self):
        """Position of the first point above the band that it does not cover."""
        if self.max is None:
            return (POS_INF, 0)
        return (self.max, 1 if self.max_inclusive else 0)

    def describe(self):
        return _interval(self.lower(), self.upper())


def _interval(start, end):
    left = "[" if start[1] == 0 else "("
    right = "]" if end[1] == 1 else ")"
    if start[0] == end[0] and left == "[" and right == "]":
        return f"[{fmt(start[0])}]"
    return f"{left}{fmt(start[0])}, {fmt(end[0])}{right}"


def _span(start, end):
    if start[0] == end[0]:
        return fmt(start[0])
    return f"{fmt(start[0])}–{fmt(end[0])}"


def find_band(bands, x):
    for band in bands:
        if band.contains(x):
            return band
    return None


def check_partition(bands, path, lo=None, hi=None, integer_values=False):
    """Raise :class:`SchemeError` unless ``bands`` cover ``[lo, hi]`` exactly once.

    ``lo``/``hi`` of ``None`` mean the range is unbounded on that side. With
    ``integer_values`` only the integers of the range need covering (star counts).
    """
    if integer_values:
        return _check_integers(bands, path, lo, hi)
    start = (lo, 0) if lo is not None else (NEG_INF, 0)
    end = (hi, 1) if hi is not None else (POS_INF, 0)
    cursor = start
    cursor_band = None
    for band in sorted(bands, key=lambda b: (b.lower(), b.upper())):
        low, up = band.lower(), band.upper()
        if low > cursor:
            gap_end = min(low, end)
            if cursor < gap_end:
                raise SchemeError(
                    join(path, band.index),
                    f"{_span(cursor, gap_end)} 未被任何区间覆盖：{_interval(cursor, gap_end)}"
                    f"（请补齐区间）(range {_interval(cursor, gap_end)} is not covered by any band)",
                )
        elif low < cursor and cursor_band is not None:
            o_start, o_end = max(low, start), min(cursor, up, end)
            if o_start < o_end:
                raise SchemeError(
                    join(path, band.index),
                    f"{_span(o_start, o_end)} 同时落入 {cursor_band.value} 与 {band.value} 两个区间："
                    f"{_interval(o_start, o_end)} (range {_interval(o_start, o_end)} is covered by "
                    f"bands {cursor_band.index} and {band.index})",
                )
        if up > cursor:
            cursor, cursor_band = up, band
    if cursor < end:
        raise SchemeError(
            path,
            f"{_span(cursor, end)} 未被任何区间覆盖：{_interval(cursor, end)}"
            f"（请补齐区间）(range {_interval(cursor, end)} is not covered by any band)",
        )


def _check_integers(bands, path, lo, hi):
    lo = int(lo if lo is not None else 0)
    hi = int(hi if hi is not None else lo)
    uncovered = []
    for n in range(lo, hi + 1):
        owners = [b for b in bands if b.contains(Decimal(n))]
        if len(owners) > 1:
            raise SchemeError(join(path, owners[1].index),
                              f"{n} 同时落入 {owners[0].value} 与 {owners[1].value} 两个区间 (value {n} is covered twice)")
        if not owners:
            uncovered.append(n)
    if uncovered:
        raise SchemeError(path, f"{uncovered[0]}–{uncovered[-1]} 未被任何区间覆盖 "
                                f"(values {', '.join(map(str, uncovered))} are not covered by any band)")
