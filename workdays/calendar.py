"""Chinese working days (工作日): weekends and statutory holidays off, make-up days (调休) on.

Sources, in order of precedence, for one date:

1. a ``CalendarOverride`` row for that date (admin-editable, or imported with the State
   Council's published schedule of its year, ``workdays.schedules``);
2. the ``chinese_calendar`` package, for the years it knows (2004–2026 in 1.11);
3. for a year whose schedule was imported (``PublishedSchedule``): Monday–Friday working,
   as every holiday and make-up day of that year is an override row;
4. otherwise the year is *provisional*: the statutory holidays computed from the 2024 rules
   (``workdays.statutory``) are off, every other Monday–Friday is working.
   ``is_provisional_span(a, b)`` tells whether a deadline counted over ``a..b`` depends on
   such a year; every screen and document that shows it says so ("暂按法定节假日推算").

Counting convention (used for objection answers, 篇二 "7个工作日内答复"):
``add_working_days(start, n)`` is the n-th working day *after* ``start``; ``start`` itself
is never counted, whether or not it is a working day. An objection received on day ``D``
must be answered by ``add_working_days(D, 7)`` **inclusive**: an answer given on that date
is on time, an answer given the day after is overdue. Example: received Tuesday
2025-09-30, the days 10-01..10-08 are the National Day holiday, 10-09 (Thu) is working day
1, 10-10 (Fri) day 2, 10-11 (Sat, 调休上班) day 3, 10-13..10-16 days 4–7, so the deadline is
Thursday 2025-10-16.

``working_days_between(a, b)`` counts the working days ``d`` with ``a < d <= b``, so
``working_days_between(D, add_working_days(D, n)) == n`` for every ``n >= 0``.

Overrides for a whole range are loaded with one query; nothing here queries per day.
"""
import datetime
from functools import lru_cache

import chinese_calendar
from django.utils import timezone

from .models import CalendarOverride, PublishedSchedule
from .statutory import provisional_holidays

ONE_DAY = datetime.timedelta(days=1)


@lru_cache(maxsize=None)
def year_is_covered(year: int) -> bool:
    """True when the ``chinese_calendar`` package knows the holiday arrangement of ``year``.

    False means: the year's days come from an imported schedule (``PublishedSchedule``) or,
    until one is imported, provisionally from the statutory rules (``workdays.statutory``).
    """
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def uncovered_years(first_year: int, last_year: int) -> list[int]:
    """The years in ``first_year..last_year`` (inclusive) the package does not know."""
    return [year for year in range(first_year, last_year + 1) if not year_is_covered(year)]


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            return timezone.localtime(value).date()
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raise TypeError(f"expected a date, got {type(value).__name__}: {value!r}")


def published_years(first_year: int, last_year: int) -> set[int]:
    """The years in ``first_year..last_year`` the package does not know but whose schedule was imported.

    One query, and none at all when every year of the range is covered by the package.
    """
    uncovered = uncovered_years(first_year, last_year)
    if not uncovered:
        return set()
    return set(PublishedSchedule.objects.filter(year__in=uncovered).values_list("year", flat=True))


def provisional_years(first_year: int, last_year: int) -> list[int]:
    """The years in ``first_year..last_year`` counted by the statutory rules (neither package nor import)."""
    published = published_years(first_year, last_year)
    return [year for year in uncovered_years(first_year, last_year) if year not in published]


def is_provisional_span(start, end) -> bool:
    """True when a count over the days ``start < d <= end`` uses a provisional year.

    ``start``/``end`` are dates (datetimes are taken in Asia/Shanghai); order does not matter.
    A deadline ``add_working_days(start, n)`` is provisional exactly when this is true for
    ``(start, deadline)``.
    """
    start, end = _as_date(start), _as_date(end)
    if end < start:
        start, end = end, start
    first = start + ONE_DAY if end > start else start
    return bool(provisional_years(first.year, end.year))


def _default_is_working_day(day: datetime.date, published: set) -> bool:
    if year_is_covered(day.year):
        return chinese_calendar.is_workday(day)
    if day.year not in published and day in provisional_holidays(day.year):
        return False
    return day.weekday() < 5


def working_day_map(first: datetime.date, last: datetime.date) -> dict[datetime.date, bool]:
    """``{date: is_working_day}`` for every date in ``first..last`` (inclusive).

    One query for the overrides, plus one for the imported schedules when the range reaches a
    year the package does not know.
    """

    first, last = _as_date(first), _as_date(last)
    if last < first:
        first, last = last, first
    overrides = dict(
        CalendarOverride.objects.filter(date__range=(first, last)).values_list("date", "is_working_day")
    )
    published = published_years(first.year, last.year)
    result = {}
    day = first
    while day <= last:
        result[day] = overrides[day] if day in overrides else _default_is_working_day(day, published)
        day += ONE_DAY
    return result


def is_working_day(day: datetime.date) -> bool:
    """True when ``day`` is a Chinese working day (override > package > weekday rule)."""
    day = _as_date(day)
    return working_day_map(day, day)[day]


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The ``n``-th working day after ``start`` (``start`` itself is not counted).

    ``n == 0`` returns ``start`` unchanged; ``n < 0`` returns the ``|n|``-th working day
    before ``start``. An objection received on ``D`` is due by ``add_working_days(D, 7)``,
    inclusive (see the module docstring).
    """
    start = _as_date(start)
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n must be an int, got {n!r}")
    if n == 0:
        return start
    step = ONE_DAY if n > 0 else -ONE_DAY
    remaining = abs(n)
    cursor = start
    while True:
        # A window comfortably larger than needed (Spring Festival is at most ~9 days off),
        # loaded in one query; extended if a long run of overrides eats it.
        span = remaining * 2 + 21
        window_first = cursor + step
        window_last = cursor + step * span
        days = working_day_map(window_first, window_last)
        day = window_first
        for _ in range(span):
            if days[day]:
                remaining -= 1
                if remaining == 0:
                    return day
            day += step
        cursor = window_last


def working_days_between(a: datetime.date, b: datetime.date) -> int:
    """The number of working days ``d`` with ``a < d <= b``; negative when ``b < a``."""
    a, b = _as_date(a), _as_date(b)
    if a == b:
        return 0
    if b < a:
        return -working_days_between(b, a)
    days = working_day_map(a + ONE_DAY, b)
    return sum(1 for is_working in days.values() if is_working)
