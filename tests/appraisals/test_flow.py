"""YearEndFlow and DisposalFlow walked end to end, timers fired by workflow.tasks.fire_timers."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from appraisals.flows import DisposalFlow, YearEndFlow
from appraisals.models import (
    DisposalProcess,
    Disposition,
    DispositionStatus,
    EvaluationStatus,
    MemberResult,
    RectificationOutcome,
    ResultImmutable,
    YearEndProcess,
)
from appraisals.services import compute, dispositions, evaluations
from documents.models import BulkJob, GeneratedDocument
from documents.services import run_bulk
from tests.world import sweep_after
from workdays.clock import local_today
from workflow import assignment
from workflow.steps import StepConflict
from workflow.tasks import fire_timers

from .conftest import add_members, make_scheme, post, votes


def _tasks(process, *, status=None):
    qs = Task.objects.filter(process=process)
    if status is not None:
        qs = qs.filter(status=status)
    return {t.flow_task.name for t in qs}


def _active(process):
    return _tasks(process, status=STATUS.NEW) | _tasks(process, status=STATUS.ASSIGNED)


def _timer(process):
    return Task.objects.get(process=process, flow_task_type="TIMER", status=STATUS.SCHEDULED)


def _docs(kind):
    return GeneratedDocument.objects.filter(kind=kind)


@pytest.fixture
def evaluation(county):
    """county-7-3 for 7 members of 东街: one 优秀, one 不合格 (dispose)."""
    members = add_members(county.east, "孙丽", "张红梅", "刘志强", "陈小燕", "赵卫东", "钱进", "吴芳")
    daily = dict(zip(members, (100, 80, 78, 75, 72, 70, 20)))
    for m, pts in daily.items():
        post(county.east, m, "daily", pts, datetime.date(2025, 6, 1))
    version = make_scheme(county.town, "county-7-3")
    ev = evaluations.open_evaluation(organisation=county.east, by=county.secretary, scheme_version=version)
    ev.members = members
    return ev


def test_year_end_flow_end_to_end(county, evaluation, django_capture_on_commit_callbacks, monkeypatch):
    ev, members = evaluation, evaluation.members
    process = YearEndProcess.objects.get(evaluation=ev)
    assert process.flow_class is YearEndFlow and _active(process) == {"appraisal"}
    for m in members:
        evaluations.record_appraisal(ev, m, county.clerk, votes=votes(8, 2) if m.name == "孙丽" else votes(2, 4, 4))
    evaluations.finish_appraisal(ev, county.clerk)
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.COMPUTED and ev.results.count() == 7
    assert _active(process) == {"branch_proposal"}
    with pytest.raises(PermissionDenied):
        evaluations.propose_results(ev, county.clerk)  # the secretary confirms the grades, not the clerk
    evaluations.propose_results(ev, county.secretary)
    assert _active(process) == {"higher_approval"}

    # the branch cannot approve its own results, even with a reviewer role on itself
    with pytest.raises(PermissionDenied):
        evaluations.approve_results(ev, county.self_reviewer)
    with pytest.raises(ValidationError, match="退回修改须写明意见"):
        evaluations.return_results(ev, county.reviewer, "")
    evaluations.return_results(ev, county.reviewer, "请核对吴芳的日常积分")
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.RETURNED and _active(process) == {"appraisal"}
    evaluations.record_appraisal(ev, members[-1], county.clerk, votes=votes(0, 2, 4, 4))
    evaluations.finish_appraisal(ev, county.clerk)
    evaluations.propose_results(ev, county.secretary)
    evaluations.approve_results(ev, county.reviewer, "同意")
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.PUBLICITY
    timer = _timer(process)
    assert timer.flow_task.name == "publicity_window"
    assert timer.scheduled - timezone.now() >= datetime.timedelta(days=6)
    assert timezone.localtime(ev.publicity_closes_at).date() - ev.publicity_start == datetime.timedelta(days=7)

    assert fire_timers()["timers"] == 0  # not yet due
    with django_capture_on_commit_callbacks(execute=False):
        assert sweep_after(timer)["timers"] == 1
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.CONCLUDED and ev.published_at is not None
    process.refresh_from_db()
    assert process.status == STATUS.DONE

    # the results are now immutable
    r = ev.results.first()
    r.total = Decimal("1")
    with pytest.raises(ResultImmutable):
        r.save()
    # use of results: one disposition per engine action
    by_action = {(d.member.name, d.action): d for d in Disposition.objects.filter(evaluation=ev)}
    assert set(by_action) == {("孙丽", "commend"), ("吴芳", "dispose")}
    assert by_action["孙丽", "commend"].status == DispositionStatus.DONE
    # documents: a result notice per member (bulk job), one commendation
    job = ev.result_notice_job
    assert job is not None and job.kind == "result_notice" and job.total == 7
    assert {i["label"] for i in job.items} == {m.name for m in members}
    run_bulk(job.pk)
    job = BulkJob.objects.get(pk=job.pk)
    assert job.done == 7 and job.failed == 0
    wu_notice = _docs("result_notice").get(context__member_name="吴芳")
    assert wu_notice.context["grade"] == "不合格" and wu_notice.context["year"] == "2025"
    assert wu_notice.member.name == "吴芳"  # addressed to the member (their own login may download it)
    commendation = _docs("commendation").get()
    assert [h["name"] for h in commendation.context["honourees"]] == ["孙丽"]

    # the disposal waits for the branch decision and the higher committee
    dispose = by_action["吴芳", "dispose"]
    dprocess = DisposalProcess.objects.get(disposition=dispose)
    assert dprocess.flow_class is DisposalFlow and _active(dprocess) == {"branch_decision"}
    with pytest.raises(ValidationError) as info:
        dispositions.decide_disposal(dispose, county.secretary, measure="限期改正", entitled=10, present=5, votes_for=5,
                                 requirements="按时参加组织生活")
    assert "半数" in info.value.messages[0]
    with pytest.raises(ValidationError, match="最长不超过1年"):
        dispositions.decide_disposal(dispose, county.secretary, measure="限期改正", entitled=10, present=8, votes_for=6,
                                 requirements="按时参加组织生活", months=13)
    dispositions.decide_disposal(dispose, county.secretary, measure="限期改正", entitled=10, present=8, votes_for=6,
                             requirements="按时参加组织生活，每月书面汇报思想")
    request = _docs("disposal_request").get()
    assert request.organisation == county.east and request.context["disposal"] == "限期改正"
    assert request.context["higher_org_name"] == "社区党总支" and request.context["votes_for"] == 6
    assert _active(dprocess) == {"higher_decision"}
    with pytest.raises(PermissionDenied):
        dispositions.review_disposal(dispose, county.self_reviewer, approve=True)
    with pytest.raises(PermissionDenied):
        dispositions.review_disposal(dispose, county.secretary, approve=True)
    dispositions.review_disposal(dispose, county.reviewer, approve=True, comments="请按期考察。")
    dispose.refresh_from_db()
    today = local_today()
    assert dispose.status == DispositionStatus.IN_RECTIFICATION
    assert dispose.rectification_start == today and dispose.rectification_end == dispositions.add_months(today, 6)
    approval = _docs("disposal_approval").get()
    assert approval.organisation == county.general
    assert approval.context["request_number"] == request.document_number and "同意" in approval.context["decision_text"]
    notice = _docs("rectification_notice").get()
    assert notice.context["deadline"] == dispose.rectification_end.isoformat()
    assert notice.context["problems"][0]["text"] == dispose.facts.removeprefix("吴芳同志")
    assert notice.member == approval.member == request.member == dispose.member

    # rectification period: a database timer at the period end, then the branch records the outcome
    rtimer = _timer(dprocess)
    assert rtimer.flow_task.name == "rectification_period" and timezone.localtime(rtimer.scheduled).date() == dispose.rectification_end + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="期满后才能记录整改结果"):
        dispositions.record_rectification_outcome(dispose, county.secretary, RectificationOutcome.IMPROVED)
    assert sweep_after(rtimer)["timers"] == 1
    assert _active(dprocess) == {"rectification_review"}
    monkeypatch.setattr(dispositions, "local_today", lambda: dispose.rectification_end + datetime.timedelta(days=1))
    dispositions.record_rectification_outcome(dispose, county.secretary, RectificationOutcome.NOT_IMPROVED)
    dispose.refresh_from_db()
    dprocess.refresh_from_db()
    assert dispose.status == DispositionStatus.DONE and dispose.rectification_outcome == "not_improved"
    assert dprocess.status == STATUS.DONE

    # every transition left an audit row, with who did it
    from reviews.models import AuditEntry

    trail = list(AuditEntry.objects.filter(organisation=county.east).values_list("action", "actor__username"))
    actions = [a for a, _u in trail]
    for expected in ("evaluation_opened", "appraisal_recorded", "results_computed", "results_proposed",
                     "results_returned", "results_approved", "publicity_started", "results_published",
                     "results_used", "disposal_decided", "disposal_approved", "rectification_outcome"):
        assert expected in actions, expected
    assert ("results_approved", "zhou-reviewer") in trail and ("disposal_decided", "li-secretary") in trail


def _published(county, evaluation, chosen=None):
    """Walk an evaluation to publication; returns its dispositions."""
    for m in evaluation.members:
        evaluations.record_appraisal(evaluation, m, county.clerk, votes=votes(2, 4, 4))
    evaluations.finish_appraisal(evaluation, county.clerk)
    evaluations.propose_results(evaluation, county.secretary)
    evaluations.approve_results(evaluation, county.reviewer)
    sweep_after(_timer(YearEndProcess.objects.get(evaluation=evaluation)))
    return Disposition.objects.filter(evaluation=evaluation)


def test_expulsion_approved_needs_no_rectification(county, evaluation):
    dispose = _published(county, evaluation).get(action="dispose")
    dispositions.decide_disposal(dispose, county.secretary, measure="除名", entitled=9, present=9, votes_for=8)
    dispositions.review_disposal(dispose, county.reviewer, approve=True)
    dispose.refresh_from_db()
    assert dispose.status == DispositionStatus.DONE and dispose.rectification_end is None
    assert DisposalProcess.objects.get(disposition=dispose).status == STATUS.DONE
    assert not _docs("rectification_notice").exists()


def test_rejected_disposal_by_the_town_committee(county, evaluation):
    from organisations.models import RoleKind
    from tests.world import make_user

    town_reviewer = make_user("gao-town", (RoleKind.REVIEWER, county.town))
    dispose = _published(county, evaluation).get(action="dispose")
    dispositions.decide_disposal(dispose, county.secretary, measure="劝其退党", entitled=9, present=9, votes_for=8)
    with pytest.raises(ValidationError, match="不予批准须写明理由"):
        dispositions.review_disposal(dispose, town_reviewer, approve=False)
    # the task is the general branch's reviewer's (its one responsible person): the town acts once it
    # is handed on (转交, recorded), never over the holder's head (#13 item 8)
    process = DisposalProcess.objects.get(disposition=dispose)
    task = Task.objects.get(process_id=process.pk, flow_task=DisposalFlow.higher_decision)
    with pytest.raises(StepConflict) as caught:
        dispositions.review_disposal(dispose, town_reviewer, approve=False, comments="事实不清，请补充材料。")
    assert caught.value.code == "task_claimed"
    assignment.reassign(task, county.reviewer, town_reviewer, "报镇党委审批")
    dispositions.review_disposal(dispose, town_reviewer, approve=False, comments="事实不清，请补充材料。")
    dispose.refresh_from_db()
    assert dispose.status == DispositionStatus.REJECTED
    reply = _docs("disposal_approval").get()
    assert "不同意" in reply.context["decision_text"] and reply.organisation == county.town
    with pytest.raises(StepConflict, match="不在上级审批环节"):
        dispositions.review_disposal(dispose, county.reviewer, approve=True)


def test_publicity_shorter_than_seven_days_is_refused(county):
    version = make_scheme(county.town, "county-7-3")
    with pytest.raises(ValidationError) as info:
        evaluations.open_evaluation(organisation=county.east, by=county.secretary, scheme_version=version, publicity_days=5)
    assert "少于规定的 7 天" in info.value.messages[0]


def test_results_cannot_change_during_publicity(county, evaluation):
    for m in evaluation.members:
        evaluations.record_appraisal(evaluation, m, county.clerk, score="80")
    evaluations.finish_appraisal(evaluation, county.clerk)
    evaluations.propose_results(evaluation, county.secretary)
    with pytest.raises(StepConflict, match="不能再修改民主评议或重新计算"):
        evaluations.record_appraisal(evaluation, evaluation.members[0], county.clerk, score="90")
    with pytest.raises(StepConflict, match="不能再修改民主评议或重新计算"):
        compute.compute_results(evaluation, county.clerk)
    assert MemberResult.objects.filter(evaluation=evaluation).count() == 7


def test_a_failing_computation_keeps_the_appraisal_step_open(county, evaluation):
    post(county.east, evaluation.members[0], "bonus", 3, datetime.date(2025, 3, 3))  # not a county-7-3 component
    with pytest.raises(ValidationError) as info:
        evaluations.finish_appraisal(evaluation, county.clerk)
    assert "台账第" in info.value.messages[0] and "bonus" in info.value.messages[0]
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.APPRAISAL and not evaluation.results.exists()
    assert _active(YearEndProcess.objects.get(evaluation=evaluation)) == {"appraisal"}
