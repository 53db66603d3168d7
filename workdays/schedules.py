"""Changing the calendar: importing a year's published schedule, saving or deleting one override.

Every change goes through ``change_calendar``: it reads the working days of the span before
and after, records a ``CalendarChange`` with the days that changed, and sends
``workdays.signals.calendar_changed`` so that the apps holding deadlines recompute them (and
their timers) in the same transaction, reporting what moved.

CSV of a published schedule (UTF-8, a BOM is allowed), one row per day that differs from the
plain Monday–Friday rule, with a header row::

    日期,类型,说明
    2027-01-01,放假,元旦
    2027-02-07,上班,春节调休上班

``类型`` is 放假 (also: 休, holiday, off) or 上班 (also: 班, workday, work); ``说明`` is optional.
English headers ``date,kind,note`` are accepted too. Every date must lie in the year imported.
"""
import csv
import datetime
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .calendar import working_day_map
from .models import CalendarChange, CalendarOverride, PublishedSchedule
from .signals import calendar_changed

OFF_WORDS = {"放假", "休", "休息", "holiday", "off"}
WORK_WORDS = {"上班", "班", "调休上班", "workday", "work"}
HEADERS = {"日期": "date", "date": "date", "类型": "kind", "kind": "kind", "说明": "note", "note": "note"}


def change_calendar(reason, mutate, *, first, last, by=None):
    """Run ``mutate()`` and record what it changed in ``first..last``; returns the ``CalendarChange``.

    Atomic: the change, its record and every deadline moved by the receivers of
    ``calendar_changed`` commit together or not at all.
    """
    with transaction.atomic():
        before = working_day_map(first, last)
        mutate()
        after = working_day_map(first, last)
        days = [
            {"date": day.isoformat(), "before": before[day], "after": after[day]}
            for day in sorted(after) if before[day] != after[day]
        ]
        change = CalendarChange.objects.create(reason=reason[:200], by=by, days=days)
        if days:
            moved = []
            changed_first = datetime.date.fromisoformat(days[0]["date"])
            changed_last = datetime.date.fromisoformat(days[-1]["date"])
            for _receiver, answer in calendar_changed.send(
                sender=CalendarChange, first=changed_first, last=changed_last, change=change
            ):
                moved.extend(answer or [])
            change.moved = moved
            change.save(update_fields=["moved"])
        return change


def _error(message, code):
    return ValidationError({"file": ValidationError(message, code=code)})


def _parse_kind(value, line):
    word = (value or "").strip().lower()
    if word in OFF_WORDS:
        return False
    if word in WORK_WORDS:
        return True
    raise _error(_("第 %(line)s 行：类型“%(kind)s”无效，应为“放假”或“上班”。") % {"line": line, "kind": value}, "bad_kind")


def parse_schedule(year, text):
    """``{date: (is_working_day, note)}`` from the CSV ``text`` of ``year``'s schedule.

    Raises:
        ValidationError({"file": ...}): code ``empty``, ``bad_header``, ``bad_date``,
            ``wrong_year``, ``bad_kind`` or ``duplicate_date`` (naming the line).
    """
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if len(rows) < 2:
        raise _error(_("文件中没有任何日期。"), "empty")
    columns = [HEADERS.get(cell.strip().lower()) for cell in rows[0]]
    if "date" not in columns or "kind" not in columns:
        raise _error(_("第一行应为表头“日期,类型,说明”。"), "bad_header")
    days = {}
    for line, row in enumerate(rows[1:], start=2):
        cells = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(columns) if name}
        try:
            day = datetime.date.fromisoformat(cells["date"])
        except ValueError:
            raise _error(_("第 %(line)s 行：日期“%(value)s”无效，应写作 2027-01-01。")
                         % {"line": line, "value": cells["date"]}, "bad_date") from None
        if day.year != year:
            raise _error(_("第 %(line)s 行：%(day)s 不在 %(year)s 年。") % {"line": line, "day": day, "year": year},
                         "wrong_year")
        if day in days:
            raise _error(_("第 %(line)s 行：%(day)s 重复出现。") % {"line": line, "day": day}, "duplicate_date")
        days[day] = (_parse_kind(cells["kind"], line), cells.get("note", "")[:200])
    return days


def import_schedule(year, text, *, by=None, source=""):
    """Replace ``year``'s overrides with the State Council's schedule in CSV ``text``.

    Every override of the year (earlier imports and hand-entered rows alike) is replaced; the
    year stops being provisional. Returns the ``CalendarChange`` (``.days`` changed, ``.moved``
    deadlines). Raises the ``ValidationError`` of ``parse_schedule``.
    """
    days = parse_schedule(year, text)
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)

    def mutate():
        CalendarOverride.objects.filter(date__range=(first, last)).delete()
        schedule, _created = PublishedSchedule.objects.update_or_create(
            year=year,
            defaults={
                "source": (source or "")[:200], "imported_by": by,
                "holidays": sum(1 for working, _note in days.values() if not working),
                "workdays": sum(1 for working, _note in days.values() if working),
            },
        )
        CalendarOverride.objects.bulk_create([
            CalendarOverride(date=day, is_working_day=working, note=note, schedule=schedule)
            for day, (working, note) in sorted(days.items())
        ])

    reason = _("导入 %(year)s 年国务院放假安排") % {"year": year}
    return change_calendar(reason, mutate, first=first, last=last, by=by)


def save_override(override, *, by=None):
    """Save one ``CalendarOverride`` (new or edited) and record the change."""
    days = [override.date]
    if override.pk:
        days += list(CalendarOverride.objects.filter(pk=override.pk).values_list("date", flat=True))
    reason = _("调整 %(day)s 的工作日设置") % {"day": override.date}
    return change_calendar(reason, override.save, first=min(days), last=max(days), by=by)


def delete_overrides(overrides, *, by=None):
    """Delete ``CalendarOverride`` rows (a queryset or list) and record the change."""
    rows = list(overrides)
    if not rows:
        return None
    dates = [row.date for row in rows]
    reason = _("删除 %(count)s 条工作日调整") % {"count": len(rows)}
    return change_calendar(
        reason, lambda: CalendarOverride.objects.filter(pk__in=[row.pk for row in rows]).delete(),
        first=min(dates), last=max(dates), by=by,
    )
