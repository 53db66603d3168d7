import datetime

import chinese_calendar
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from workdays.calendar import (
    add_working_days,
    is_working_day,
    uncovered_years,
    working_day_map,
    working_days_between,
    year_is_covered,
)
from workdays.models import CalendarOverride

D = datetime.date


def test_package_agrees_with_2025_national_day_facts():
    # The facts the other tests rely on, checked against the package itself.
    assert chinese_calendar.is_workday(D(2025, 9, 28))  # Sunday, 调休上班
    assert chinese_calendar.is_workday(D(2025, 10, 11))  # Saturday, 调休上班
    for day in range(1, 9):
        assert not chinese_calendar.is_workday(D(2025, 10, day))


@pytest.mark.django_db
class TestNationalDay2025:
    def test_is_working_day_follows_holiday_and_makeup_days(self):
        assert is_working_day(D(2025, 9, 28))  # Sunday made a working day
        assert not is_working_day(D(2025, 10, 1))
        assert not is_working_day(D(2025, 10, 6))  # Monday inside the holiday
        assert not is_working_day(D(2025, 10, 8))
        assert is_working_day(D(2025, 10, 9))
        assert is_working_day(D(2025, 10, 11))  # Saturday made a working day
        assert not is_working_day(D(2025, 10, 12))  # ordinary Sunday

    def test_objection_received_before_the_holiday(self):
        # Received Tue 09-30: 10-09, 10-10, 10-11 (Sat, make-up), 10-13, 14, 15, 16.
        assert add_working_days(D(2025, 9, 30), 7) == D(2025, 10, 16)

    def test_objection_received_on_the_makeup_sunday(self):
        # Received Sun 09-28 (a working day, but the start is never counted): 09-29, 09-30, 10-09, 10-10, 10-11, 10-13, 10-14.
        assert add_working_days(D(2025, 9, 28), 7) == D(2025, 10, 14)

    def test_objection_received_during_the_holiday(self):
        assert add_working_days(D(2025, 10, 3), 1) == D(2025, 10, 9)
        assert add_working_days(D(2025, 10, 3), 3) == D(2025, 10, 11)
        assert add_working_days(D(2025, 10, 3), 7) == D(2025, 10, 16)

    def test_naive_weekday_count_would_be_wrong(self):
        naive = D(2025, 9, 30)
        count = 0
        while count < 7:
            naive += datetime.timedelta(days=1)
            if naive.weekday() < 5:
                count += 1
        assert naive == D(2025, 10, 9)
        assert add_working_days(D(2025, 9, 30), 7) != naive

    def test_between_counts_the_end_but_not_the_start(self):
        assert working_days_between(D(2025, 9, 30), D(2025, 10, 16)) == 7
        assert working_days_between(D(2025, 9, 30), D(2025, 10, 8)) == 0
        assert working_days_between(D(2025, 9, 27), D(2025, 9, 28)) == 1
        assert working_days_between(D(2025, 10, 16), D(2025, 9, 30)) == -7
        assert working_days_between(D(2025, 10, 16), D(2025, 10, 16)) == 0


@pytest.mark.django_db
def test_spring_festival_2025():
    # 2025: 01-28 .. 02-04 off; Sun 01-26 and Sat 02-08 are make-up working days.
    assert is_working_day(D(2025, 1, 26))
    assert not is_working_day(D(2025, 1, 28))
    assert not is_working_day(D(2025, 2, 4))
    assert is_working_day(D(2025, 2, 8))
    # Received Mon 01-27: 02-05, 02-06, 02-07, 02-08 (Sat), 02-10, 02-11, 02-12.
    assert add_working_days(D(2025, 1, 27), 7) == D(2025, 2, 12)
    assert working_days_between(D(2025, 1, 24), D(2025, 2, 7)) == 5  # 01-26, 01-27, 02-05, 02-06, 02-07


@pytest.mark.django_db
def test_override_takes_precedence_over_the_package():
    assert add_working_days(D(2025, 9, 30), 7) == D(2025, 10, 16)
    # A local decision: Monday 10-13 is also off.
    CalendarOverride.objects.create(date=D(2025, 10, 13), is_working_day=False, note="本地调整")
    assert not is_working_day(D(2025, 10, 13))
    assert add_working_days(D(2025, 9, 30), 7) == D(2025, 10, 17)
    # And a holiday turned into a working day.
    CalendarOverride.objects.create(date=D(2025, 10, 8), is_working_day=True, note="值班")
    assert is_working_day(D(2025, 10, 8))
    assert add_working_days(D(2025, 9, 30), 7) == D(2025, 10, 16)
    assert add_working_days(D(2025, 10, 3), 1) == D(2025, 10, 8)


@pytest.mark.django_db
def test_unknown_year_uses_overrides_over_the_statutory_rules():
    year = 2031
    assert not year_is_covered(year), "pick a year the installed chinese_calendar does not know"
    assert year_is_covered(2025)
    assert year in uncovered_years(2025, 2031)
    assert 2025 not in uncovered_years(2025, 2031)

    # 2031-10-01 is a Wednesday and also 中秋节: the statutory rules give 10-01..10-03 off and,
    # for the day the two holidays share, Monday 10-06 (补假), provisionally.
    assert not is_working_day(D(year, 10, 1))
    assert not is_working_day(D(year, 10, 6))
    assert is_working_day(D(year, 10, 7))
    # Received Tue 09-30: 10-07, 10-08, 10-09, 10-10, 10-13, 10-14, 10-15.
    assert add_working_days(D(year, 9, 30), 7) == D(year, 10, 15)

    # The admin enters the year's National Day arrangement by hand.
    for day in range(1, 8):
        CalendarOverride.objects.create(date=D(year, 10, day), is_working_day=False, note="国庆节")
    CalendarOverride.objects.create(date=D(year, 9, 28), is_working_day=True, note="国庆调休上班")  # Sunday
    CalendarOverride.objects.create(date=D(year, 10, 11), is_working_day=True, note="国庆调休上班")  # Saturday
    assert not is_working_day(D(year, 10, 1))
    assert is_working_day(D(year, 9, 28))
    # Received Tue 09-30: 10-08, 10-09, 10-10, 10-11 (Sat), 10-13, 10-14, 10-15.
    assert add_working_days(D(year, 9, 30), 7) == D(year, 10, 15)
    assert working_days_between(D(year, 9, 27), D(year, 10, 11)) == 1 + 2 + 4  # 09-28; 09-29, 09-30; 10-08..10-11


@pytest.mark.django_db
def test_overrides_for_a_range_are_loaded_in_one_query():
    with CaptureQueriesContext(connection) as ctx:
        add_working_days(D(2025, 1, 1), 40)
    assert len(ctx.captured_queries) == 1
    with CaptureQueriesContext(connection) as ctx:
        working_days_between(D(2025, 1, 1), D(2025, 12, 31))
    assert len(ctx.captured_queries) == 1


@pytest.mark.django_db
def test_long_spans_and_a_full_year():
    # 2025 has 248 working days; cross-checked against the package's own range function.
    assert len(chinese_calendar.get_workdays(D(2025, 1, 1), D(2025, 12, 31))) == 248
    assert working_days_between(D(2024, 12, 31), D(2025, 12, 31)) == 248
    assert add_working_days(D(2024, 12, 31), 248) == D(2025, 12, 31)  # Wednesday, a working day
    assert add_working_days(D(2024, 12, 31), 249) == D(2026, 1, 4)  # 01-01..01-03 off, Sun 01-04 调休上班


@pytest.mark.django_db
def test_add_working_days_edge_cases():
    assert add_working_days(D(2025, 10, 3), 0) == D(2025, 10, 3)
    assert add_working_days(D(2025, 10, 9), -1) == D(2025, 9, 30)
    assert add_working_days(D(2025, 10, 9), -3) == D(2025, 9, 28)
    with pytest.raises(TypeError, match="n must be an int"):
        add_working_days(D(2025, 10, 9), 1.5)
    with pytest.raises(TypeError, match="expected a date"):
        is_working_day("2025-10-01")


@pytest.mark.django_db
def test_working_day_map_reports_every_day():
    days = working_day_map(D(2025, 10, 1), D(2025, 10, 12))
    assert len(days) == 12
    assert [d.day for d, working in days.items() if working] == [9, 10, 11]


@pytest.mark.django_db
@pytest.mark.urls("tests.workdays.admin_urls")
def test_admin_changelist_warns_about_provisional_years(client, monkeypatch):
    import workdays.admin as wadmin

    user = get_user_model().objects.create_superuser("admin", "a@example.com", "pw-long-enough-1")
    client.force_login(user)
    monkeypatch.setattr(wadmin, "provisional_years", lambda first, last: [2031])
    response = client.get("/admin/workdays/calendaroverride/")
    assert response.status_code == 200
    assert "2031" in response.content.decode()
    monkeypatch.setattr(wadmin, "provisional_years", lambda first, last: [])
    response = client.get("/admin/workdays/calendaroverride/")
    assert "不包含" not in response.content.decode()
