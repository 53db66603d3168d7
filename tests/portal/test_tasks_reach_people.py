"""Tasks reach people: one responsible person gets the task, others claim it in one click; 转交,
退回, 委派, 抄送, 撤回 and 催办 each show in the process history and the audit trail."""
import datetime

import pytest
from django.utils import timezone, translation
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from notifications.models import Event, Notification
from organisations.models import Delegation, RoleKind
from reviews.audit import AuditAction
from reviews.flows import ReviewRoundFlow
from reviews.models import AuditEntry, RoundStatus
from reviews.services import filing, meeting, withdrawal
from tests import world
from workflow import assignment
from workflow.models import EventKind, TaskEvent
from workflow.steps import StepConflict

pytestmark = pytest.mark.django_db


def _task(process, node):
    return Task.objects.filter(process_id=process.pk, flow_task=node).order_by("-pk").first()


def test_single_responsible_person_gets_the_task_and_several_claim_it(w, login):
    rr = world.open_round(w)
    branch = _task(rr.process, ReviewRoundFlow.branch_meeting)
    # 东街 has three secretaries: the branch meeting waits in the queue
    assert branch.status == STATUS.NEW and branch.owner is None
    client = login(w.deputy)
    queue = client.get("/tasks/?tab=queue").content.decode()
    assert f"/tasks/{branch.pk}/claim/" in queue
    response = client.post(f"/tasks/{branch.pk}/claim/", {"next": "/tasks/?tab=inbox"})
    assert response.status_code == 302 and response.url == "/tasks/?tab=inbox"
    branch.refresh_from_db()
    assert branch.owner == w.deputy and branch.status == STATUS.ASSIGNED
    assert "支部会议审核" in client.get("/tasks/?tab=inbox").content.decode()
    # another secretary cannot claim it any more
    login(w.secretary).post(f"/tasks/{branch.pk}/claim/")
    branch.refresh_from_db()
    assert branch.owner == w.deputy
    # the general branch has one reviewer: the higher review is theirs on creation
    rr2 = _submitted_after(w, rr, branch)
    higher = _task(rr2.process, ReviewRoundFlow.higher_review)
    assert higher.owner == w.reviewer and higher.status == STATUS.ASSIGNED
    assert TaskEvent.objects.filter(kind=EventKind.CLAIMED, task=branch, actor=w.deputy).count() == 1
    assert AuditEntry.objects.filter(action=AuditAction.TASK_CLAIMED, review_round=rr, actor=w.deputy).exists()


def _submitted_after(w, rr, task):
    world.declare(w, w.members[2], "3")
    world.quorate_meeting(w, rr, by=w.secretary)
    meeting.bulk_approve(rr, w.secretary)
    meeting.submit_to_higher(rr, w.deputy)
    rr.refresh_from_db()
    return rr


def test_transfer_needs_a_reason_and_someone_with_the_role(w, login):
    rr = world.open_round(w)
    task = _task(rr.process, ReviewRoundFlow.branch_meeting)
    assignment.claim(task, w.secretary)
    client = login(w.secretary)
    page = client.get(f"/tasks/{task.pk}/reassign/").content.decode()
    assert f'value="{w.deputy.pk}"' in page and f'value="{w.clerk.pk}"' not in page  # the clerk is no secretary
    response = client.post(f"/tasks/{task.pk}/reassign/", {"to": w.deputy.pk, "reason": ""})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    response = client.post(f"/tasks/{task.pk}/reassign/", {"to": w.deputy.pk, "reason": "本人外出学习"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.owner == w.deputy
    event = TaskEvent.objects.get(kind=EventKind.REASSIGNED, task=task)
    assert (event.actor, event.target, event.reason) == (w.secretary, w.deputy, "本人外出学习")
    entry = AuditEntry.objects.get(action=AuditAction.TASK_REASSIGNED, review_round=rr)
    assert entry.after["reason"] == "本人外出学习" and entry.after["task"] == "支部会议审核"
    detail = client.get(ReviewRoundFlow.instance.reverse("process_detail", args=[rr.process.pk])).content.decode()
    assert "转交" in detail and "本人外出学习" in detail
    # back to the queue
    login(w.deputy).post(f"/tasks/{task.pk}/release/")
    task.refresh_from_db()
    assert task.owner is None and task.status == STATUS.NEW


def test_a_deputy_acts_for_the_reviewer_during_the_delegation(w, login):
    deputy = world.make_user("deputy-reviewer", (RoleKind.CLERK, w.general), name="钱副")
    client = login(w.reviewer)
    today = timezone.localdate()
    response = client.post("/delegations/", {
        "role": w.reviewer.org_roles.get().pk, "deputy": deputy.pk, "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(days=3)).isoformat(), "reason": "外出学习"})
    assert response.status_code == 302
    delegation = Delegation.objects.get()
    assert AuditEntry.objects.filter(action=AuditAction.DELEGATION_GRANTED, actor=w.reviewer).exists()
    rr = world.round_at_higher_review(w)
    higher = _task(rr.process, ReviewRoundFlow.higher_review)
    # the reviewer is away: the task goes to the deputy, who may file the round
    assert higher.owner == deputy
    assert "上级审查备案" in login(deputy).get("/tasks/?tab=inbox").content.decode()
    filing.file_round(rr, deputy, "同意备案")
    rr.refresh_from_db()
    assert rr.status == RoundStatus.PUBLICITY
    login(w.reviewer).post(f"/delegations/{delegation.pk}/revoke/")
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None
    assert AuditEntry.objects.filter(action=AuditAction.DELEGATION_REVOKED).exists()


def test_filing_is_copied_to_the_committee_above(w, login):
    town_reviewer = world.make_user("town-reviewer", (RoleKind.REVIEWER, w.town), name="镇审查人")
    rr = world.round_at_higher_review(w)
    filing.file_round(rr, w.reviewer, "同意备案")
    event = TaskEvent.objects.get(kind=EventKind.COPIED)
    assert event.target == town_reviewer and event.actor == w.reviewer
    assert AuditEntry.objects.filter(action=AuditAction.COPIED_TO_HIGHER, review_round=rr).exists()
    client = login(town_reviewer)
    page = client.get("/tasks/?tab=cc").content.decode()
    assert "上级已审查备案" in page and "东街社区党支部" in page
    # the copy's note reads in the reader's language, whoever sent it (issue 14, a new user's walk)
    english = client.get("/tasks/?tab=cc", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "上级已审查备案" not in english
    from django.utils import translation
    with translation.override("en"):
        assert translation.gettext("上级已审查备案") in english


def test_the_branch_withdraws_before_the_reviewer_acts(w, login):
    rr = world.round_at_higher_review(w)
    client = login(w.secretary)
    detail = client.get(ReviewRoundFlow.instance.reverse("process_detail", args=[rr.process.pk])).content.decode()
    assert f"/rounds/{rr.pk}/withdraw/" in detail
    assert client.post(f"/rounds/{rr.pk}/withdraw/", {"reason": ""}).status_code == 200
    response = client.post(f"/rounds/{rr.pk}/withdraw/", {"reason": "分值有误，需重新审核"})
    assert response.status_code == 302
    rr.refresh_from_db()
    assert rr.status == RoundStatus.BRANCH_MEETING
    higher = Task.objects.filter(process_id=rr.process.pk, flow_task=ReviewRoundFlow.higher_review).get()
    assert higher.status == STATUS.CANCELED
    branch = _task(rr.process, ReviewRoundFlow.branch_meeting)
    assert branch.status == STATUS.ASSIGNED and branch.owner == w.secretary
    assert AuditEntry.objects.get(action=AuditAction.REPORT_WITHDRAWN, review_round=rr).after["reason"] == "分值有误，需重新审核"
    # reported again, the reviewer files it
    meeting.submit_to_higher(rr, w.secretary)
    filing.file_round(rr, w.reviewer, "同意")
    rr.refresh_from_db()
    assert rr.status == RoundStatus.PUBLICITY
    # after the reviewer acted there is nothing to withdraw
    with pytest.raises(StepConflict) as caught:
        withdrawal.withdraw_report(rr, w.secretary, "晚了")
    assert caught.value.error_dict["__all__"][0].code == "round_not_at_higher_review"
    rr.refresh_from_db()
    assert rr.status == RoundStatus.PUBLICITY


def test_the_reviewer_urges_an_open_task(w, login, django_capture_on_commit_callbacks):
    rr = world.open_round(w)
    task = _task(rr.process, ReviewRoundFlow.branch_meeting)
    assert login(w.secretary).get(f"/tasks/{task.pk}/urge/").status_code == 403
    client = login(w.reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/tasks/{task.pk}/urge/", {"reason": "请于本周内召开支部会议"})
    assert response.status_code == 302
    assert TaskEvent.objects.get(kind=EventKind.URGED).reason == "请于本周内召开支部会议"
    assert AuditEntry.objects.filter(action=AuditAction.TASK_URGED, review_round=rr, actor=w.reviewer).exists()
    # 催办 reaches those who must act, with the note, in the reader's language
    notices = Notification.objects.filter(event=Event.REMINDER)
    # the task waits to be claimed: every holder of the role it is offered to is told, the reviewer is not
    assert task.owner is None
    assert set(notices.values_list("recipient", flat=True)) == {u.pk for u in ReviewRoundFlow.branch_meeting.predicate.holders(rr)}
    assert w.secretary.pk in set(notices.values_list("recipient", flat=True)) and not notices.filter(recipient=w.reviewer).exists()
    notice = notices.get(recipient=w.secretary)
    assert "支部会议审核" in notice.title and "请于本周内召开支部会议" in notice.body
    with translation.override("en"):
        assert notice.display_title.startswith("Reminder:") and "Branch meeting review" in notice.display_title
    # once someone has taken the task, only they are urged
    assignment.claim(task, w.secretary)
    before = notices.count()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/tasks/{task.pk}/urge/", {"reason": ""})
    assert list(notices.order_by("-pk").values_list("recipient", flat=True)[: notices.count() - before]) == [w.secretary.pk]


def test_site_pages_are_portal_pages_without_raw_ids(w, login):
    rr = world.round_at_higher_review(w)
    client = login(w.secretary)
    flow = ReviewRoundFlow.instance
    for url in (flow.reverse("index"), flow.reverse("process_detail", args=[rr.process.pk]), flow.reverse("chart"),
                flow.reverse("process_chart", args=[rr.process.pk])):
        html = client.get(url).content.decode()
        assert 'class="site"' in html and "mdc-" not in html, url
        assert f"#{rr.process.pk}/" not in html and "Inbox" not in html, url
    forbidden = login(w.west_secretary).get(flow.reverse("process_detail", args=[rr.process.pk]))
    assert forbidden.status_code == 403 and "没有权限" in forbidden.content.decode()


def test_large_text_is_remembered_per_user_and_browser(w, client):
    client.force_login(w.secretary)
    client.post("/display/", {"large": "1", "next": "/"})
    client.cookies.clear()
    client.force_login(w.secretary)
    assert 'class="large"' in client.get("/").content.decode()  # remembered for the user
    client.logout()
    assert 'class="large"' not in client.get("/public/").content.decode()
    client.post("/display/", {"large": "1", "next": "/public/"})
    assert 'class="large"' in client.get("/public/").content.decode()  # the visitor's browser
