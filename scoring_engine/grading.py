"""Grades (等次), stars (星级) and quotas (名额): their dataclasses and parsers.

Bands must cover the total's range exactly once (see :mod:`scoring_engine.bands`);
overrides and adjustments move a member's grade on a :class:`~scoring_engine.conditions.Condition`;
quotas cap or floor the share of members in a grade or at a star count.
"""
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from .bands import Band, check_partition
from .conditions import Condition, parse_condition
from .errors import SchemeError, join
from .reader import ONE, ZERO, Reader


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



def parse_bands(raw_bands, path, value_key, lo, hi, integer_values=False):
    if not raw_bands:
        raise SchemeError(path, "至少需要一个区间 (at least one band)")
    bands = []
    for index, raw in enumerate(raw_bands):
        band_path = join(path, index)
        obj = Reader(raw, band_path)
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


def parse_stars(obj, names, total_min, total_max):
    if obj is None:
        return None
    mode = obj.string("mode", choices=("bands", "dimensions"))
    bands = ()
    dimensions = ()
    thresholds = {}
    if mode == "bands":
        bands = parse_bands(obj.array("bands"), obj.where("bands"), "stars", total_min, total_max)
        maximum = max(b.value for b in bands)
    else:
        dims = obj.array("dimensions")
        if not dims:
            raise SchemeError(obj.where("dimensions"), "至少需要一个维度 (at least one dimension)")
        result = []
        for index, raw in enumerate(dims):
            dim = Reader(raw, join(obj.where("dimensions"), index))
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


def parse_grades(obj, names, total_min, total_max, stars):
    if obj is None:
        return None
    basis = obj.string("basis", "total", choices=("total", "stars"))
    if basis == "stars":
        if stars is None:
            raise SchemeError(obj.where("basis"), "按星级定等次须先定义 stars (basis 'stars' needs a stars section)")
        lo, hi = Decimal(0), Decimal(stars.maximum)
    else:
        lo, hi = total_min, total_max
    raw_bands = obj.array("bands", None)
    # Labels no band gives, reached only through overrides or adjustments (篇十二 l.413: 不合格
    # only in a second year below 60; 篇十三 作业区: 不合格 / 年度明星党员 only at the year's end).
    other_labels = obj.strings("other_labels", None) or ()
    if raw_bands is None:
        if not obj.data.get("overrides"):
            raise SchemeError(obj.where("bands"), "须给出 bands，或至少一条 overrides (give bands or overrides)")
        bands = ()
        labels = set()
    else:
        bands = parse_bands(raw_bands, obj.where("bands"), "label", lo, hi, integer_values=basis == "stars")
        labels = {b.value for b in bands}
    for i, label in enumerate(other_labels):
        if label in labels:
            raise SchemeError(join(obj.where("other_labels"), i), f"等次 {label!r} 已由 bands 给出 (already a band)")
    labels |= set(other_labels)
    order = obj.strings("order", None) or ()
    for i, label in enumerate(order):
        if label not in labels:
            raise SchemeError(join(obj.where("order"), i), f"未知等次 {label!r} (unknown grade label)")
    if order and set(order) != labels:
        raise SchemeError(obj.where("order"), "order 须列出全部等次 (order must list every grade)")
    overrides = []
    for index, raw in enumerate(obj.array("overrides", ()) or ()):
        path = join(obj.where("overrides"), index)
        o = Reader(raw, path)
        grade = o.string("grade")
        if grade not in labels:
            raise SchemeError(o.where("grade"), f"未知等次 {grade!r} (unknown grade label)")
        overrides.append(GradeOverride(parse_condition(o.raw("when"), o.where("when"), names, labels), grade))
        o.raw("reason", None)
        o.done()
    adjustments = []
    for index, raw in enumerate(obj.array("adjustments", ()) or ()):
        path = join(obj.where("adjustments"), index)
        a = Reader(raw, path)
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
            parse_condition(a.raw("when", {}), a.where("when"), names, labels), to, shift, shift_flag, max_shift))
        a.done()
    obj.done()
    return Grades(basis, bands, tuple(order), tuple(overrides), tuple(adjustments))


def parse_quota(raw, path, labels, stars):
    obj = Reader(raw, path)
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

