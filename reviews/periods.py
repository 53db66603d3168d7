"""The periods a review round covers: a month, quarter, half-year or year, and how each is named.

A round covers one publicity period of the scheme in force, counted from the scheme's cycle
start (``reviews.integration.round_period``); these are its kinds and their labels.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("季度")
    MONTH = "month", _("月度")
    HALF_YEAR = "half_year", _("半年")
    YEAR = "year", _("年度")


#: Months in a period of each kind.
PERIOD_MONTHS = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.HALF_YEAR: 6, PeriodKind.YEAR: 12}


def period_label(kind, start, end):
    """``2025年3月``, ``2025年第一季度``, ``2025年下半年``, ``2025年度``; a period not aligned with the
    calendar (a cycle from 七一) reads ``2025年7月—2026年6月``. ``kind`` is a ``PeriodKind`` value."""
    if kind == PeriodKind.MONTH:
        return f"{start.year}年{start.month}月"
    if kind == PeriodKind.QUARTER and start.month % 3 == 1:
        return f"{start.year}年第{'一二三四'[(start.month - 1) // 3]}季度"
    if kind == PeriodKind.HALF_YEAR and start.month in (1, 7):
        return f"{start.year}年{'上' if start.month == 1 else '下'}半年"
    if kind == PeriodKind.YEAR and (start.month, start.day) == (1, 1):
        return f"{start.year}年度"
    if start.year == end.year:
        return f"{start.year}年{start.month}月—{end.month}月"
    return f"{start.year}年{start.month}月—{end.year}年{end.month}月"
