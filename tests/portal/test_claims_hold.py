"""A claim holds until it is released or handed on (转交, recorded): nobody else completes the task,
on the portal's screens or on viewflow's pages, and both record claims the same way (issue #13, item 8).
"""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from organisations.models import Delegation
from reviews.flows import ReviewRoundFlow
from reviews.models import RoundStatus
from reviews.services import meeting
from tests import world
from workflow import assignment
from workflow.models import EventKind, TaskEvent
from workflow.steps import StepConflict

pytestmark = pytest.mark.django_db


def _branch_task(rr):
    return Task.objects.filter(process_id=rr.process.pk, flow_task=ReviewRoundFlow.branch_meeting).order_by("-pk").first()


@pytest.fixture
def ready(w):
    """东街's round, decided and ready to be reported; its branch meeting task claimed by the deputy secretary."""
    world.declare(w, w.members[1], "2")
    rr = world.open_round(w)
    world.quorate_meeting(w, rr, by=w.secretary)
    meeting.bulk_approve(rr, w.secretary)
    task = _branch_task(rr)
    assignment.claim(task, w.deputy)
    return w, rr, task


def _submit_on_screen(client, rr):
    return client.post(reverse("reviews:branch_meeting", args=[rr.pk]), {"action": "submit"})


def test_another_secretary_cannot_complete_a_claimed_task_on_the_portal_screen(ready, client):
    w, rr, task = ready
    client.force_login(w.secretary)
    response = _submit_on_screen(client, rr)
    assert response.status_code == 400
    html = response.content.decode()
    assert "已由" in html and "领取" in html
    rr.refresh_from_db()
    task.refresh_from_db()
    assert rr.status == RoundStatus.BRANCH_MEETING
    assert (task.owner, task.status) == (w.deputy, STATUS.ASSIGNED)


def test_the_service_refuses_with_a_code(ready):
    w, rr, task = ready
    with pytest.raises(StepConflict) as caught:
        meeting.submit_to_higher(rr, w.secretary)
    assert caught.value.code == "task_claimed"


def test_the_holder_completes_it(ready, client):
    w, rr, task = ready
    client.force_login(w.deputy)
    assert _submit_on_screen(client, rr).status_code == 302
    rr.refresh_from_db()
    task.refresh_from_db()
    assert rr.status == RoundStatus.HIGHER_REVIEW and task.status == STATUS.DONE and task.owner == w.deputy


def test_after_release_anyone_allowed_completes_it(ready, client):
    w, rr, task = ready
    client.force_login(w.deputy)
    client.post(f"/tasks/{task.pk}/release/")
    client.force_login(w.secretary)
    assert _submit_on_screen(client, rr).status_code == 302
    rr.refresh_from_db()
    task.refresh_from_db()
    assert rr.status == RoundStatus.HIGHER_REVIEW and task.owner == w.secretary
    assert TaskEvent.objects.filter(kind=EventKind.RELEASED, task=task, actor=w.deputy).exists()


def test_after_transfer_the_new_holder_completes_it(ready, client):
    w, rr, task = ready
    client.force_login(w.deputy)
    client.post(f"/tasks/{task.pk}/reassign/", {"to": w.secretary.pk, "reason": "本人外出"})
    client.force_login(w.secretary)
    assert _submit_on_screen(client, rr).status_code == 302
    rr.refresh_from_db()
    assert rr.status == RoundStatus.HIGHER_REVIEW
    event = TaskEvent.objects.get(kind=EventKind.REASSIGNED, task=task)
    assert (event.actor, event.target, event.reason) == (w.deputy, w.secretary, "本人外出")


def test_a_deputy_on_delegation_acts_for_the_holder(ready):
    w, rr, task = ready
    now = timezone.now()
    role = w.deputy.org_roles.get()
    Delegation.objects.create(principal=w.deputy, deputy=w.secretary, organisation=role.organisation, kind=role.kind,
                              starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(days=1),
                              reason="外出学习")
    meeting.submit_to_higher(rr, w.secretary)
    rr.refresh_from_db()
    assert rr.status == RoundStatus.HIGHER_REVIEW


def test_viewflow_claim_page_records_the_claim_like_the_portal(w, client):
    rr = world.open_round(w)
    task = _branch_task(rr)
    assert task.status == STATUS.NEW
    client.force_login(w.secretary)
    url = ReviewRoundFlow.branch_meeting.reverse("assign", args=[rr.process.pk, task.pk])
    response = client.post(url, {"_continue": "1"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.owner == w.secretary
    assert TaskEvent.objects.filter(kind=EventKind.CLAIMED, task=task, actor=w.secretary).count() == 1


def test_viewflow_release_page_is_the_holders_only(ready, client):
    w, rr, task = ready
    url = ReviewRoundFlow.branch_meeting.reverse("unassign", args=[rr.process.pk, task.pk])
    client.force_login(w.secretary)
    assert client.post(url).status_code == 403
    task.refresh_from_db()
    assert task.owner == w.deputy
    client.force_login(w.deputy)
    assert client.post(url).status_code == 302
    task.refresh_from_db()
    assert task.owner is None and task.status == STATUS.NEW
    assert TaskEvent.objects.filter(kind=EventKind.RELEASED, task=task, actor=w.deputy).exists()
