"""Objection deadlines: visible when overdue or due within 2 working days, chased once by the sweep,
chased by hand by the reviewer (recorded), and recounted with their timers when the calendar changes."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from viewflow.workflow.models import Task

from notifications.models import Event, Notification
from reviews import deadlines
from reviews.services import objections
from reviews.flows import ObjectionFlow
from reviews.models import AuditEntry, Objection, ObjectionOutcome
from reviews.tasks import chase_deadlines
from tests.world import round_in_publicity
from workdays.clock import local_today, start_of_day
from workdays.schedules import import_schedule

D = datetime.date
#: A Monday in a published year; the Friday before it and the Tuesday after are working days.
MONDAY = D(2025, 6, 9)


@pytest.fixture
def review_round(county):
    return round_in_publicity(county)


def _objection(review_round, name="赵大伟", due_on=None, received_on=None):
    """An objection lodged today, its dates then set as if received/due on other days."""
    declaration = review_round.declarations.order_by("pk").first()
    objection = objections.lodge_objection(declaration, objector_name=name, objector_contact="138", reason="不实")
    changes = {k: v for k, v in (("due_on", due_on), ("received_on", received_on)) if v}
    if changes:
        Objection.objects.filter(pk=objection.pk).update(**changes)
        objection.refresh_from_db()
    return objection


def test_rows_show_overdue_and_due_within_two_working_days(county, review_round):
    overdue = _objection(review_round, "甲", due_on=MONDAY - datetime.timedelta(days=1))
    today_due = _objection(review_round, "乙", due_on=MONDAY)
    two_left = _objection(review_round, "丙", due_on=MONDAY + datetime.timedelta(days=2))  # Tue, Wed after Monday
    three_left = _objection(review_round, "丁", due_on=MONDAY + datetime.timedelta(days=3))
    answered = _objection(review_round, "戊", due_on=MONDAY - datetime.timedelta(days=3))
    objections.answer_objection(answered, county.clerk, ObjectionOutcome.DISMISSED, "经核实属实")
    rows = deadlines.deadline_rows(deadlines.open_objections(), today=MONDAY)
    assert [(r["objection"], r["state"], r["left"]) for r in rows] == [
        (overdue, "overdue", 0), (today_due, "due_soon", 0), (two_left, "due_soon", 2),
    ]
    assert three_left not in [r["objection"] for r in rows]
    assert not any(r["provisional"] for r in rows)
    # Over a weekend: due Monday 06-16, seen on Friday 06-13, is 1 working day away.
    three_left.due_on = D(2025, 6, 16)
    assert deadlines.deadline_rows([three_left], today=D(2025, 6, 13))[0]["left"] == 1


def test_the_sweep_reminds_the_branch_then_the_higher_committee_once_each(county, review_round, django_capture_on_commit_callbacks):
    near = _objection(review_round, "甲")
    Objection.objects.filter(pk=near.pk).update(due_on=MONDAY + datetime.timedelta(days=1))
    late = _objection(review_round, "乙", due_on=MONDAY - datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines.chase(today=MONDAY) == {"near": 1, "missed": 1}
        assert deadlines.chase(today=MONDAY) == {"near": 0, "missed": 0}  # once each
    branch = Notification.objects.filter(event=Event.DEADLINE_NEAR)
    assert {n.recipient for n in branch} == {county.secretary, county.deputy, county.clerk, county.self_reviewer}
    assert all("还剩1个工作日" in n.title and n.url == reverse("reviews:answer_objection", args=[near.pk])
               for n in branch)
    missed = Notification.objects.get(event=Event.DEADLINE_MISSED)
    assert missed.recipient == county.reviewer and missed.organisation == county.general
    assert "东街社区党支部" in missed.title and late.declaration.member.name in missed.body
    assert late.objector_name not in missed.body  # who objected stays on the answer page (#13 item 3)
    # The answer date moves (a calendar change): the branch is reminded again for the new date.
    Objection.objects.filter(pk=near.pk).update(due_on=MONDAY + datetime.timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines.chase(today=MONDAY)["near"] == 1
    assert chase_deadlines.name == "reviews.tasks.chase_deadlines"


def test_the_reviewer_sends_a_reminder_by_hand_and_it_is_recorded(county, review_round, login,
                                                                  django_capture_on_commit_callbacks):
    objection = _objection(review_round)
    with pytest.raises(PermissionDenied):
        deadlines.remind(objection, county.secretary)
    with django_capture_on_commit_callbacks(execute=True):
        sent = deadlines.remind(objection, county.reviewer, "请三日内答复")
    assert {n.recipient for n in sent} == {county.secretary, county.deputy, county.clerk, county.self_reviewer}
    assert sent[0].event == Event.REMINDER and "请三日内答复" in sent[0].body
    entry = AuditEntry.objects.get(action="objection_reminded")
    assert entry.actor == county.reviewer and entry.after["note"] == "请三日内答复"

    client = login(county.reviewer)
    tasks_page = client.get(reverse("portal:tasks")).content.decode()
    assert reverse("reviews:remind_objection", args=[objection.pk]) not in tasks_page  # not yet due soon
    Objection.objects.filter(pk=objection.pk).update(due_on=local_today() - datetime.timedelta(days=1))
    tasks_page = client.get(reverse("portal:tasks")).content.decode()
    assert reverse("reviews:remind_objection", args=[objection.pk]) in tasks_page and "已逾期" in tasks_page
    response = client.post(reverse("reviews:remind_objection", args=[objection.pk]),
                           {"note": "", "next": reverse("portal:tasks")})
    assert response.status_code == 302 and response["Location"] == reverse("portal:tasks")
    assert AuditEntry.objects.filter(action="objection_reminded").count() == 2
    assert login(county.secretary).post(reverse("reviews:remind_objection", args=[objection.pk])).status_code == 403

    objections.answer_objection(objection, county.clerk, ObjectionOutcome.DISMISSED, "经核实属实")
    with pytest.raises(ValidationError) as caught:
        deadlines.remind(objection, county.reviewer)
    assert caught.value.error_dict["objection"][0].code == "already_answered"


def test_branch_and_reviewer_see_the_deadline_in_the_inbox_and_dashboard(county, review_round, login):
    objection = _objection(review_round, due_on=local_today() - datetime.timedelta(days=1))
    for user in (county.secretary, county.reviewer):
        page = login(user).get(reverse("portal:tasks")).content.decode()
        assert reverse("reviews:answer_objection", args=[objection.pk]) in page and "已逾期" in page
    dashboard = login(county.reviewer).get(reverse("portal:dashboard")).content.decode()
    assert "异议答复期限" in dashboard and "已逾期" in dashboard
    # The secretary of the other branch does not see it; the branch's own secretary cannot chase.
    assert "已逾期" not in login(county.west_secretary).get(reverse("portal:tasks")).content.decode()
    page = login(county.secretary).get(reverse("portal:tasks")).content.decode()
    assert reverse("reviews:remind_objection", args=[objection.pk]) not in page


def test_a_calendar_import_recounts_open_deadlines_and_moves_their_timers(county, review_round):
    objection = _objection(review_round, received_on=D(2026, 12, 24), due_on=D(2027, 1, 5))
    answered = _objection(review_round, "钱多多")
    objections.answer_objection(answered, county.clerk, ObjectionOutcome.DISMISSED, "经核实属实")
    Objection.objects.filter(pk=answered.pk).update(received_on=D(2026, 12, 24), due_on=D(2027, 1, 5))
    timer = Task.objects.get(process_id=objection.process.pk, flow_task=ObjectionFlow.answer__timeout)
    Task.objects.filter(pk=timer.pk).update(scheduled=start_of_day(D(2027, 1, 6)))
    rows = deadlines.deadline_rows([objection], today=D(2027, 1, 4))
    assert rows[0]["provisional"] and rows[0]["left"] == 1

    # The published schedule: 元旦 01-01..01-03 and Monday 01-04 off (a 4-day break).
    change = import_schedule(2027, "日期,类型\n2027-01-01,放假\n2027-01-04,放假\n")
    objection.refresh_from_db()
    answered.refresh_from_db()
    timer.refresh_from_db()
    assert objection.due_on == D(2027, 1, 6) and answered.due_on == D(2027, 1, 5)
    assert timer.scheduled == start_of_day(D(2027, 1, 7))
    assert change.moved == [{"what": f"异议 #{objection.pk}（{objection}）答复期限",
                             "before": "2027-01-05", "after": "2027-01-06"}]
    entry = AuditEntry.objects.get(action="objection_due_moved")
    assert entry.before == {"due_on": "2027-01-05"} and entry.after["due_on"] == "2027-01-06"
    assert not deadlines.deadline_rows([objection], today=D(2027, 1, 4))[0]["provisional"]
