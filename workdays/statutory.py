"""Statutory holidays computed from the law, for years whose schedule is not yet published.

The State Council publishes each year's holiday schedule (放假安排, with make-up working days)
only in the autumn before; ``chinese_calendar`` ships the published ones. For a later year
the days are computed here from 《全国年节及纪念日放假办法》 as revised in 2024 (国务院令第795号):

* 第二条 全体公民放假的节日: 元旦 1 day (1 January); 春节 4 days (除夕, 正月初一至初三);
  清明节 1 day (the day of the 清明 solar term); 劳动节 2 days (1–2 May); 端午节 1 day
  (农历五月初五); 中秋节 1 day (农历八月十五); 国庆节 3 days (1–3 October).
* 第六条: a holiday day that falls on a Saturday or Sunday is given back (补假) on a working
  day. Here each such day, and each day two holidays share, becomes a day off on the first
  Monday–Friday after that holiday that is not already off.

Make-up working days (调休上班) cannot be foreseen and are not guessed: every other Saturday and
Sunday is a rest day. Lunar dates and the 清明 solar term come from ``lunar_python`` (6tail's
lunar, computed astronomically, no table typed in here). Every day decided this way is
*provisional*; ``workdays.calendar`` marks the deadlines that depend on one.
"""
import datetime
from functools import lru_cache

from lunar_python import Lunar

ONE_DAY = datetime.timedelta(days=1)


def _solar(lunar):
    solar = lunar.getSolar()
    return datetime.date(solar.getYear(), solar.getMonth(), solar.getDay())


def _span(first, days):
    return [first + ONE_DAY * i for i in range(days)]


def statutory_days(year: int) -> list[tuple[str, list[datetime.date]]]:
    """``[(holiday name, [its days]), ...]`` for ``year`` by 第二条, before any 补假.

    Example: 2027 → 春节 [2027-02-05 (除夕), 02-06, 02-07, 02-08], 清明节 [2027-04-05], ...
    """
    new_year = _solar(Lunar.fromYmd(year, 1, 1))  # 正月初一 of the lunar year starting in ``year``
    qingming = Lunar.fromYmd(year, 1, 1).getJieQiTable()["清明"]
    return [
        ("元旦", [datetime.date(year, 1, 1)]),
        ("春节", _span(new_year - ONE_DAY, 4)),
        ("清明节", [datetime.date(qingming.getYear(), qingming.getMonth(), qingming.getDay())]),
        ("劳动节", _span(datetime.date(year, 5, 1), 2)),
        ("端午节", [_solar(Lunar.fromYmd(year, 5, 5))]),
        ("中秋节", [_solar(Lunar.fromYmd(year, 8, 15))]),
        ("国庆节", _span(datetime.date(year, 10, 1), 3)),
    ]


@lru_cache(maxsize=64)
def provisional_holidays(year: int) -> dict[datetime.date, str]:
    """``{date: note}`` of every day off in ``year`` by the 2024 rules, 补假 included.

    Notes read ``春节`` for a holiday day and ``春节（补假）`` for a day given back. Only days
    in ``year`` are returned (a 春节 starting on 31 December would be cut at the year's end).
    """
    off = {}
    for name, days in statutory_days(year):
        for day in days:
            off.setdefault(day, name)
    for name, days in statutory_days(year):
        owed = sum(1 for day in days if day.weekday() >= 5 or off[day] != name)
        cursor = max(days)
        while owed:
            cursor += ONE_DAY
            if cursor.weekday() < 5 and cursor not in off:
                off[cursor] = f"{name}（补假）"
                owed -= 1
    return {day: note for day, note in sorted(off.items()) if day.year == year}
