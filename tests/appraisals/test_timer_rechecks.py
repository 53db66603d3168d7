"""The year-end timers ask their own date again before firing: early, they wait; due, they fire."""
import datetime

from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from appraisals.services import dispositions, evaluations
from appraisals.models import DisposalProcess, Disposition, DispositionStatus, EvaluationStatus, YearEndProcess
from tests.world import sweep_after
from workflow.tasks import fire_timers

from .conftest import add_members, make_scheme, post, votes


def _timer(process):
    return Task.objects.get(process=process, flow_task_type="TIMER", status=STATUS.SCHEDULED)


def _fired_early(task):
    """The row says "due a minute ago" (edited, restored, or moved by hand): run the sweep now."""
    Task.objects.filter(pk=task.pk).update(scheduled=timezone.now() - datetime.timedelta(minutes=1))
    return fire_timers()


def _approved(county):
    members = add_members(county.east, "孙丽", "张红梅", "刘志强", "吴芳")
    for m, pts in zip(members, (100, 80, 78, 20)):
        post(county.east, m, "daily", pts, datetime.date(2025, 6, 1))
    ev = evaluations.open_evaluation(organisation=county.east, by=county.secretary,
                                  scheme_version=make_scheme(county.town, "county-7-3"))
    for m in members:
        evaluations.record_appraisal(ev, m, county.clerk, votes=votes(2, 4, 4))
    evaluations.finish_appraisal(ev, county.clerk)
    evaluations.propose_results(ev, county.secretary)
    evaluations.approve_results(ev, county.reviewer)
    ev.refresh_from_db()
    return ev, YearEndProcess.objects.get(evaluation=ev)


def test_results_publicity_early_waits_and_due_publishes(county):
    ev, process = _approved(county)
    timer = _timer(process)
    closes_at = ev.publicity_closes_at
    assert timer.scheduled == closes_at

    assert _fired_early(timer)["timers"] == 0
    timer.refresh_from_db()
    ev.refresh_from_db()
    assert timer.status == STATUS.SCHEDULED and timer.scheduled == closes_at  # rescheduled to the domain date
    assert ev.status == EvaluationStatus.PUBLICITY and ev.published_at is None
    assert not Disposition.objects.filter(evaluation=ev).exists()

    assert sweep_after(timer, after=-datetime.timedelta(seconds=1))["timers"] == 0  # a second before: still waits
    assert sweep_after(timer)["timers"] == 1
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.CONCLUDED and ev.published_at is not None


def test_rectification_period_early_waits_and_due_opens_the_review(county):
    ev, process = _approved(county)
    sweep_after(_timer(process))
    dispose = Disposition.objects.get(evaluation=ev, action="dispose")
    dispositions.decide_disposal(dispose, county.secretary, measure="限期改正", entitled=10, present=8, votes_for=6,
                             requirements="按时参加组织生活")
    dispositions.review_disposal(dispose, county.reviewer, approve=True)
    dispose.refresh_from_db()
    assert dispose.status == DispositionStatus.IN_RECTIFICATION
    dprocess = DisposalProcess.objects.get(disposition=dispose)
    timer = _timer(dprocess)
    due = dispositions.rectification_due(dispose)

    assert _fired_early(timer)["timers"] == 0
    timer.refresh_from_db()
    assert timer.status == STATUS.SCHEDULED and timer.scheduled == due
    assert not Task.objects.filter(process=dprocess, flow_task_type="HUMAN", status=STATUS.NEW).exists()

    assert sweep_after(timer)["timers"] == 1
    review = Task.objects.get(process=dprocess, status=STATUS.NEW)
    assert review.flow_task.name == "rectification_review"
