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


#: The calendar's periods by name, each one msgid so that each reads naturally in English.
MONTH_LABELS = (
    _("%(year)s年1月"), _("%(year)s年2月"), _("%(year)s年3月"), _("%(year)s年4月"), _("%(year)s年5月"),
    _("%(year)s年6月"), _("%(year)s年7月"), _("%(year)s年8月"), _("%(year)s年9月"), _("%(year)s年10月"),
    _("%(year)s年11月"), _("%(year)s年12月"),
)
QUARTER_LABELS = (_("%(year)s年第一季度"), _("%(year)s年第二季度"), _("%(year)s年第三季度"), _("%(year)s年第四季度"))
HALF_LABELS = (_("%(year)s年上半年"), _("%(year)s年下半年"))


def period_label(kind, start, end):
    """``2025年3月``, ``2025年第一季度``, ``2025年下半年``, ``2025年度``; a period not aligned with the
    calendar (a cycle from 七一) reads ``2025年7月—2026年6月``. ``kind`` is a ``PeriodKind`` value.
    In the active language (``Mar 2025``, ``Q1 2025`` in English); documents are built in Chinese."""
    if kind == PeriodKind.MONTH:
        return str(MONTH_LABELS[start.month - 1]) % {"year": start.year}
    if kind == PeriodKind.QUARTER and start.month % 3 == 1:
        return str(QUARTER_LABELS[(start.month - 1) // 3]) % {"year": start.year}
    if kind == PeriodKind.HALF_YEAR and start.month in (1, 7):
        return str(HALF_LABELS[0 if start.month == 1 else 1]) % {"year": start.year}
    if kind == PeriodKind.YEAR and (start.month, start.day) == (1, 1):
        return str(_("%(year)s年度")) % {"year": start.year}
    first = str(MONTH_LABELS[start.month - 1]) % {"year": start.year}
    last = str(MONTH_LABELS[end.month - 1]) % {"year": end.year}
    if start.year == end.year:
        return str(_("%(year)s年%(first)s月—%(last)s月")) % {"year": start.year, "first": start.month,
                                                             "last": end.month}
    return str(_("%(first)s—%(last)s")) % {"first": first, "last": last}
