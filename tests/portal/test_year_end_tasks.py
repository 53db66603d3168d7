"""The year-end flows (YearEndFlow, DisposalFlow) in the portal's task list and the viewflow frontend.

A secretary with an open evaluation finds its task under /tasks/ (queue, then inbox once
taken), the link leads to the evaluation's page; another branch never sees it.
"""
import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from appraisals.flows import DisposalFlow, YearEndFlow
from appraisals.models import DisposalProcess, Disposition, YearEndProcess
from appraisals.services import dispositions, evaluations
from ledger.services import post_entry
from members.models import Member
from portal.site import FLOW_CLASSES, FLOW_ICONS, flow_url, task_url
from schemes.models import Scheme
from tests.world import sweep_after

CYCLE = datetime.date(2025, 1, 1)
TASKS = "/tasks/"


def _scheme(w):
    scheme = Scheme.objects.create(organisation=w.town, name="年终评定测试方案", cycle_start=CYCLE,
                                   cycle_end=datetime.date(2025, 12, 31))
    return scheme.revise(preset_key="county-7-3")


@pytest.fixture
def evaluation(w):
    return evaluations.open_evaluation(organisation=w.east, by=w.secretary, scheme_version=_scheme(w))


def _links(response):
    return re.findall(r'href="([^"]+)"', response.content.decode())


def _rows(client, tab):
    response = client.get(TASKS, {"tab": tab})
    assert response.status_code == 200
    return response


def _detail(evaluation):
    return reverse("appraisals:detail", args=[evaluation.pk])


def _task(process, name):
    return Task.objects.get(process=process, flow_task_type="HUMAN", flow_task=getattr(process.flow_class.instance, name),
                            status__in=[STATUS.NEW, STATUS.ASSIGNED])


def test_all_four_flows_registered_with_icons():
    names = [cls.__name__ for cls in FLOW_CLASSES]
    assert names == ["ReviewRoundFlow", "ObjectionFlow", "YearEndFlow", "DisposalFlow"]
    assert set(names) <= set(FLOW_ICONS)
    for cls in FLOW_CLASSES:
        assert flow_url("inbox", flow_class=cls), f"{cls.__name__} is not mounted in the viewflow site"


def test_secretary_finds_the_appraisal_task_in_queue_then_inbox(w, evaluation, login):
    process = YearEndProcess.objects.get(evaluation=evaluation)
    task = _task(process, "appraisal")
    client = login(w.secretary)
    queue = _rows(client, "queue")
    assert _detail(evaluation) in _links(queue)
    assert "民主评议" in queue.content.decode()
    page = client.get(_detail(evaluation))
    assert page.status_code == 200 and "东街社区党支部" in page.content.decode()

    # taking the task in viewflow's frontend (the tree's rule decides) moves it to the inbox
    assign = YearEndFlow.instance.appraisal.reverse("assign", args=[process.pk, task.pk])
    assert client.post(assign).status_code == 302
    task.refresh_from_db()
    assert task.status == STATUS.ASSIGNED and task.owner == w.secretary
    assert _detail(evaluation) not in _links(_rows(client, "queue"))
    inbox = _rows(client, "inbox")
    assert _detail(evaluation) in _links(inbox)
    assert client.get(_detail(evaluation)).status_code == 200
    # the inbox count in the navigation includes it
    home = client.get("/")
    assert re.search(r'href="/tasks/\?tab=inbox"[^>]*>我的待办 \(1\)<', home.content.decode())


def test_other_branch_and_reviewer_do_not_see_the_branch_task(w, evaluation, login):
    for user in (w.west_secretary, w.reviewer, w.clerk):
        client = login(user)
        shown = [_detail(evaluation) in _links(_rows(client, tab)) for tab in ("inbox", "queue")]
        # the clerk (branch staff of 东街) may take 民主评议; the reviewer only approves; 西街 never sees it
        assert shown == [False, user == w.clerk], user.username
    client = login(w.west_secretary)
    assert client.get(_detail(evaluation)).status_code == 404
    process = YearEndProcess.objects.get(evaluation=evaluation)
    task = _task(process, "appraisal")
    assign = YearEndFlow.instance.appraisal.reverse("assign", args=[process.pk, task.pk])
    assert client.post(assign).status_code == 403
    task.refresh_from_db()
    assert task.status == STATUS.NEW
    detail = YearEndFlow.instance.reverse("process_detail", args=[process.pk])
    assert client.get(detail).status_code == 403
    assert login(w.secretary).get(detail).status_code == 200


def test_viewflow_frontend_pages_of_the_year_end_flow(w, evaluation, login):
    client = login(w.secretary)
    for name in ("index", "inbox", "queue", "archive"):
        url = flow_url(name, flow_class=YearEndFlow)
        assert client.get(url, follow=True).status_code == 200, url
    # the flow's 待领取 is the portal's task page filtered to the flow
    response = client.get(flow_url("queue", flow_class=YearEndFlow))
    assert response.url == "/tasks/?tab=queue&flow=yearend"
    queue = client.get(response.url).content.decode()
    assert _detail(evaluation) in queue  # the task link is the evaluation's page, not viewflow's
    other = login(w.west_secretary).get(response.url).content.decode()
    assert _detail(evaluation) not in other


def _results_for_disposal(w, evaluation):
    """Seven members of 东街, one with a poor year (吴芳): the engine asks for her disposal."""
    extra = [Member.objects.create(organisation=w.east, name=n) for n in ("钱进", "吴芳")]
    members = [*w.members, *extra]
    for m, pts in zip(members, (100, 80, 78, 75, 72, 70, 20)):
        post_entry(organisation=w.east, member=m, component="daily", points=Decimal(pts),
                   occurred_on=datetime.date(2025, 6, 1), cycle_start=CYCLE, source="test")
    for m in members:
        good = {"优秀": 8, "良好": 2, "合格": 0, "差": 0} if m is members[0] else {"优秀": 2, "良好": 4, "合格": 4, "差": 0}
        if m is members[-1]:
            good = {"优秀": 0, "良好": 2, "合格": 4, "差": 4}
        evaluations.record_appraisal(evaluation, m, w.clerk, votes=good)
    evaluations.finish_appraisal(evaluation, w.clerk)


def test_reviewer_task_and_disposal_tasks_link_to_the_evaluation(w, evaluation, login):
    _results_for_disposal(w, evaluation)
    evaluations.propose_results(evaluation, w.secretary)
    detail = _detail(evaluation)

    # 上级党组织审批: the general branch's only reviewer has it in 我的待办 at once; not 西街
    reviewer = login(w.reviewer)
    assert detail in _links(_rows(reviewer, "inbox"))
    assert detail not in _links(_rows(reviewer, "queue"))
    assert reviewer.get(detail).status_code == 200
    assert detail not in _links(_rows(login(w.west_secretary), "queue"))
    # the secretary's finished 支部提出等次意见 is in their archive, linked to the same page
    archive = _rows(login(w.secretary), "archive")
    assert detail in _links(archive) and "支部提出等次意见" in archive.content.decode()

    evaluations.approve_results(evaluation, w.reviewer, "同意")
    timer = Task.objects.get(process__yearendprocess__evaluation=evaluation, flow_task_type="TIMER",
                             status=STATUS.SCHEDULED)
    assert sweep_after(timer)["timers"] == 1

    dispose = Disposition.objects.get(evaluation=evaluation, action="dispose")
    dprocess = DisposalProcess.objects.get(disposition=dispose)
    task = _task(dprocess, "branch_decision")
    assert task_url(task) == detail
    secretary = login(w.secretary)
    queue = _rows(secretary, "queue")
    assert detail in _links(queue) and "支部决定并请示" in queue.content.decode()
    assert secretary.get(detail).status_code == 200
    for user in (w.west_secretary, w.reviewer):
        assert "支部决定并请示" not in _rows(login(user), "queue").content.decode(), user.username

    dispositions.decide_disposal(dispose, w.secretary, measure="限期改正", entitled=10, present=8, votes_for=6,
                             requirements="按时参加组织生活")
    higher = _task(dprocess, "higher_decision")
    assert task_url(higher) == detail
    reviewer = login(w.reviewer)
    inbox = _rows(reviewer, "inbox")
    assert "上级党组织批复" in inbox.content.decode() and detail in _links(inbox)
    assert "上级党组织批复" not in _rows(login(w.west_secretary), "queue").content.decode()
    assert login(w.reviewer).get(flow_url("inbox", flow_class=DisposalFlow), follow=True).status_code == 200


def test_navigation_links_year_end_for_staff_only(w, login):
    client = login(w.secretary)
    assert reverse("appraisals:list") in _links(client.get("/"))
    page = client.get(reverse("appraisals:list"))
    assert page.status_code == 200
    assert re.search(r'href="/appraisals/" aria-current="page">年终评定<', page.content.decode())
    member = login(w.member_user)
    assert reverse("appraisals:list") not in _links(member.get("/"))
