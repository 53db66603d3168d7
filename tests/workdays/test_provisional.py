"""Years chinese-calendar does not know: statutory holidays by the 2024 rules, marked provisional,
replaced by the imported State Council schedule; every calendar change is recorded with what moved."""
import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from workdays.calendar import add_working_days, is_provisional_span, is_working_day, provisional_years
from workdays.models import CalendarChange, CalendarOverride, PublishedSchedule
from workdays.schedules import delete_overrides, import_schedule, parse_schedule, save_override
from workdays.signals import calendar_changed
from workdays.statutory import provisional_holidays, statutory_days

D = datetime.date

#: The State Council schedule of 2027 as an administrator would type it (invented for the test: a
#: 9-day Spring Festival with two make-up Saturdays/Sundays).
CSV_2027 = """日期,类型,说明
2027-01-01,放假,元旦
2027-02-05,放假,春节
2027-02-06,放假,春节
2027-02-07,放假,春节
2027-02-08,放假,春节
2027-02-09,放假,春节
2027-02-10,放假,春节
2027-02-11,放假,春节
2027-02-12,放假,春节
2027-02-13,放假,春节
2027-02-14,上班,春节调休上班
2027-02-20,上班,春节调休上班
"""


@pytest.mark.django_db
def test_done_when_values_for_2027():
    assert add_working_days(D(2026, 12, 24), 7) == D(2027, 1, 5)
    for day in (D(2027, 2, 5), D(2027, 2, 8), D(2027, 4, 5), D(2027, 6, 9), D(2027, 9, 15), D(2027, 10, 1)):
        assert not is_working_day(day), day
    # Receipts of 12-25 and 12-28 come out right too (1 January is a holiday).
    assert add_working_days(D(2026, 12, 25), 7) == D(2027, 1, 6)
    assert add_working_days(D(2026, 12, 28), 7) == D(2027, 1, 7)


def test_statutory_days_of_2027_come_from_the_lunar_library():
    days = dict(statutory_days(2027))
    assert days["春节"] == [D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 7), D(2027, 2, 8)]  # 除夕 .. 初三
    assert days["清明节"] == [D(2027, 4, 5)]
    assert days["端午节"] == [D(2027, 6, 9)]
    assert days["中秋节"] == [D(2027, 9, 15)]
    assert days["劳动节"] == [D(2027, 5, 1), D(2027, 5, 2)]
    assert days["国庆节"] == [D(2027, 10, 1), D(2027, 10, 2), D(2027, 10, 3)]
    # Checked against published years: 2025's 春节 began on 01-29, 清明 04-04, 端午 05-31, 中秋 10-06.
    days_2025 = dict(statutory_days(2025))
    assert days_2025["春节"][1] == D(2025, 1, 29)
    assert days_2025["清明节"] == [D(2025, 4, 4)] and days_2025["端午节"] == [D(2025, 5, 31)]
    assert days_2025["中秋节"] == [D(2025, 10, 6)]


def test_days_on_a_weekend_are_given_back_on_the_next_weekdays():
    off = provisional_holidays(2027)
    # 初一 and 初二 fall on Saturday and Sunday: Tuesday 02-09 and Wednesday 02-10 are given back.
    assert off[D(2027, 2, 9)] == "春节（补假）" and off[D(2027, 2, 10)] == "春节（补假）"
    assert D(2027, 2, 11) not in off
    # 国庆 10-02/10-03 are a weekend: 10-04, 10-05 off; 10-06 working.
    assert off[D(2027, 10, 4)] == off[D(2027, 10, 5)] == "国庆节（补假）" and D(2027, 10, 6) not in off
    # 2031: 中秋 is 10-01, the day 国庆 starts; the shared day is given back on 10-06.
    assert provisional_holidays(2031)[D(2031, 10, 6)] == "国庆节（补假）"
    assert len([n for n in provisional_holidays(2027).values() if "补假" not in n]) == 13


@pytest.mark.django_db
def test_provisional_marks_only_spans_over_unpublished_years():
    assert is_provisional_span(D(2026, 12, 24), D(2027, 1, 5))
    assert not is_provisional_span(D(2026, 12, 1), D(2026, 12, 10))
    assert not is_provisional_span(D(2026, 12, 31), D(2026, 12, 31))
    assert provisional_years(2026, 2028) == [2027, 2028]
    import_schedule(2027, CSV_2027)
    assert not is_provisional_span(D(2026, 12, 24), D(2027, 1, 5))
    assert provisional_years(2026, 2028) == [2028]


@pytest.mark.django_db
def test_the_imported_schedule_replaces_the_provisional_days():
    assert not is_working_day(D(2027, 2, 9))  # provisional 补假
    assert not is_working_day(D(2027, 4, 5))  # provisional 清明
    CalendarOverride.objects.create(date=D(2027, 3, 3), is_working_day=False, note="手工录入")
    admin = get_user_model().objects.create_user("cal-admin")
    change = import_schedule(2027, CSV_2027, by=admin, source="国办发明电〔2026〕X号")
    schedule = PublishedSchedule.objects.get(year=2027)
    assert (schedule.holidays, schedule.workdays, schedule.imported_by) == (10, 2, admin)
    assert is_working_day(D(2027, 2, 14))  # Sunday made a working day
    assert not is_working_day(D(2027, 2, 12))  # inside the published Spring Festival
    assert is_working_day(D(2027, 4, 5))  # not in this (partial) schedule: Monday, working
    assert is_working_day(D(2027, 3, 3))  # the hand-entered row of the year was replaced
    changed = {row["date"]: (row["before"], row["after"]) for row in change.days}
    assert changed["2027-02-14"] == (False, True)
    assert changed["2027-02-11"] == (True, False)
    assert changed["2027-04-05"] == (False, True)
    assert "2027-02-05" not in changed  # off before and after
    assert change.reason == "导入 2027 年国务院放假安排" and change.by == admin
    # Importing again replaces the year's rows, it does not add to them.
    import_schedule(2027, "日期,类型\n2027-01-01,放假\n")
    assert CalendarOverride.objects.filter(date__year=2027).count() == 1
    assert is_working_day(D(2027, 2, 8))


@pytest.mark.django_db
@pytest.mark.parametrize("text, code", [
    ("日期,类型,说明\n", "empty"),
    ("day,what\n2027-01-01,放假\n", "bad_header"),
    ("日期,类型\n2027-13-01,放假\n", "bad_date"),
    ("日期,类型\n2026-12-31,放假\n", "wrong_year"),
    ("日期,类型\n2027-01-01,半天\n", "bad_kind"),
    ("日期,类型\n2027-01-01,放假\n2027-01-01,上班\n", "duplicate_date"),
])
def test_a_bad_schedule_is_refused_with_a_code_and_changes_nothing(text, code):
    with pytest.raises(ValidationError) as caught:
        import_schedule(2027, text)
    assert caught.value.error_dict["file"][0].code == code
    assert not PublishedSchedule.objects.exists() and not CalendarChange.objects.exists()


def test_english_headers_and_words_are_accepted():
    days = parse_schedule(2027, "\ufeffdate,kind,note\n2027-10-09,workday,make-up\n2027-10-04,off,\n")
    assert days == {D(2027, 10, 9): (True, "make-up"), D(2027, 10, 4): (False, "")}


@pytest.mark.django_db
def test_receivers_report_what_moved_and_a_failing_receiver_rolls_back():
    seen = []

    def receiver(sender, first, last, change, **kwargs):
        seen.append((first, last))
        return [{"what": "test deadline", "before": "2027-02-10", "after": "2027-02-18"}]

    calendar_changed.connect(receiver, dispatch_uid="test-receiver")
    try:
        change = import_schedule(2027, CSV_2027)
    finally:
        calendar_changed.disconnect(dispatch_uid="test-receiver")
    assert seen == [(D(2027, 2, 11), D(2027, 10, 5))]  # 02-11 newly off .. 10-05 (国庆补假) no longer off
    assert change.moved == [{"what": "test deadline", "before": "2027-02-10", "after": "2027-02-18"}]

    def broken(sender, **kwargs):
        raise RuntimeError("deadline store unavailable")

    calendar_changed.connect(broken, dispatch_uid="test-broken")
    try:
        with pytest.raises(RuntimeError):
            save_override(CalendarOverride(date=D(2027, 3, 1), is_working_day=False))
    finally:
        calendar_changed.disconnect(dispatch_uid="test-broken")
    assert not CalendarOverride.objects.filter(date=D(2027, 3, 1)).exists()
    assert CalendarChange.objects.count() == 1


@pytest.mark.django_db
def test_saving_and_deleting_one_override_is_recorded():
    change = save_override(CalendarOverride(date=D(2027, 3, 1), is_working_day=False, note="本地"))
    assert change.days == [{"date": "2027-03-01", "before": True, "after": False}]
    row = CalendarOverride.objects.get(date=D(2027, 3, 1))
    row.date = D(2027, 3, 2)
    change = save_override(row)
    assert [r["date"] for r in change.days] == ["2027-03-01", "2027-03-02"]
    change = delete_overrides(CalendarOverride.objects.all())
    assert change.days == [{"date": "2027-03-02", "before": False, "after": True}]
    same = save_override(CalendarOverride(date=D(2027, 3, 6), is_working_day=False))  # a Saturday anyway
    assert same.days == [] and same.moved == []


@pytest.mark.django_db
def test_ranges_in_unknown_years_take_two_queries_and_known_years_one():
    with CaptureQueriesContext(connection) as ctx:
        add_working_days(D(2027, 1, 1), 40)
    assert len(ctx.captured_queries) == 2
    with CaptureQueriesContext(connection) as ctx:
        add_working_days(D(2025, 1, 1), 40)
    assert len(ctx.captured_queries) == 1


@pytest.mark.django_db
def test_the_template_mark():
    template = Template("{% load workdays_tags %}{% provisional_mark start end %}")
    assert "暂按法定节假日推算" in template.render(Context({"start": D(2026, 12, 24), "end": D(2027, 1, 5)}))
    assert template.render(Context({"start": D(2026, 12, 1), "end": D(2026, 12, 10)})) == ""


@pytest.mark.django_db
def test_the_command_imports_a_file(tmp_path, capsys):
    path = tmp_path / "2027.csv"
    path.write_text(CSV_2027, encoding="utf-8")
    call_command("import_holidays", "2027", str(path), "--source", "通知")
    assert PublishedSchedule.objects.get(year=2027).source == "通知"
    assert "day(s) changed" in capsys.readouterr().out


@pytest.mark.django_db
@pytest.mark.urls("tests.workdays.admin_urls")
def test_admin_imports_a_schedule_and_shows_the_change(client):
    user = get_user_model().objects.create_superuser("admin", "a@example.com", "pw-long-enough-1")
    client.force_login(user)
    assert "导入国务院放假安排" in client.get("/admin/workdays/publishedschedule/").content.decode()
    upload = SimpleUploadedFile("2027.csv", CSV_2027.encode("utf-8-sig"), content_type="text/csv")
    response = client.post("/admin/workdays/publishedschedule/import/",
                           {"year": "2027", "source": "通知", "file": upload})
    change = CalendarChange.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/calendarchange/{change.pk}/change/")
    page = client.get(response["Location"]).content.decode()
    assert "2027-02-14（日）放假 → 上班" in page
    bad = SimpleUploadedFile("bad.csv", "日期,类型\n2026-01-01,放假\n".encode(), content_type="text/csv")
    response = client.post("/admin/workdays/publishedschedule/import/", {"year": "2027", "file": bad})
    assert response.status_code == 200 and "不在 2027 年" in response.content.decode()
    # An override saved through the admin is recorded as a change too.
    client.post("/admin/workdays/calendaroverride/add/", {"date": "2027-03-01", "note": "本地"})
    assert CalendarChange.objects.count() == 2
