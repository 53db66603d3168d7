"""Objections against year-end results run through reviews' ObjectionFlow, as quarterly ones do:
the results are final only once every objection is answered; an upheld one sends the
evaluation back to the branch, to be corrected, approved and publicised again."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from appraisals.flows import YearEndFlow
from appraisals.models import EvaluationStatus, YearEndProcess
from appraisals.services import evaluations, objections
from reviews.flows import ObjectionFlow
from reviews.models import AuditEntry, ObjectionOutcome, ObjectionProcess
from reviews.services import objections as review_objections
from tests.world import CAPTCHA, at, sweep_after
from workflow.tasks import fire_timers

from .conftest import add_members, make_scheme, post, refusal, votes


@pytest.fixture
def in_publicity(county):
    members = add_members(county.east, "孙丽", "张红梅", "刘志强")
    for m, pts in zip(members, (90, 80, 70)):
        post(county.east, m, "daily", pts, datetime.date(2025, 6, 1))
    version = make_scheme(county.town, "county-7-3")
    ev = evaluations.open_evaluation(organisation=county.east, by=county.secretary, scheme_version=version)
    for m in members:
        evaluations.record_appraisal(ev, m, county.clerk, votes=votes(6, 3, 1))
    evaluations.finish_appraisal(ev, county.clerk)
    evaluations.propose_results(ev, county.secretary)
    evaluations.approve_results(ev, county.reviewer)
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.PUBLICITY
    ev.members = members
    return ev


def _window_timer(ev):
    return Task.objects.get(process__yearendprocess__evaluation=ev, flow_task=YearEndFlow.publicity_window,
                            status=STATUS.SCHEDULED)


def _lodge(ev, member, **kw):
    return objections.lodge_objection(ev, member, objector_name="钱某", objector_contact="139",
                                      reason="民主测评票数统计有误", **kw)


def test_objection_runs_through_the_objection_flow_and_holds_the_results(county, in_publicity):
    ev = in_publicity
    objection = _lodge(ev, ev.members[2])
    process = ObjectionProcess.objects.get(objection=objection)
    assert process.flow_class is ObjectionFlow
    assert objection.organisation == county.east and objection.member == ev.members[2]
    assert Task.objects.get(process=process, flow_task=ObjectionFlow.answer).status == STATUS.NEW
    assert AuditEntry.objects.filter(action="objection_lodged", object_id=objection.pk).exists()

    # The window closes; the results wait for the answer, and no objection is taken any more.
    timer = _window_timer(ev)
    sweep_after(timer)
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.AWAITING_ANSWERS and ev.published_at is None
    with at(timer.scheduled + datetime.timedelta(minutes=2)), pytest.raises(ValidationError) as exc:
        _lodge(ev, ev.members[0])
    assert refusal(exc.value) == {"__all__": ["outside_publicity_window"]}

    # The branch answers (dismissed) through the same service as a quarterly objection.
    with at(timer.scheduled + datetime.timedelta(minutes=3)):
        review_objections.answer_objection(objection, county.clerk, ObjectionOutcome.DISMISSED, "经核实，票数无误。")
    with at(timer.scheduled + datetime.timedelta(minutes=4)):
        assert fire_timers()["conditions"] == 1
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.CONCLUDED and ev.published_at is not None
    # The higher committee files the explanation, as for a quarterly objection.
    review_objections.file_explanation(objection, county.reviewer)
    assert Task.objects.get(process=process, flow_task=ObjectionFlow.file_explanation).status == STATUS.DONE


def test_an_upheld_objection_sends_the_results_back_for_correction(county, in_publicity):
    ev = in_publicity
    objection = _lodge(ev, ev.members[1])
    with pytest.raises(ValidationError) as exc:
        review_objections.answer_objection(objection, county.clerk, ObjectionOutcome.UPHELD, "票数漏计",
                                           corrected_points="85")
    assert refusal(exc.value) == {"corrected_points": ["corrected_points_not_allowed"]}
    review_objections.answer_objection(objection, county.clerk, ObjectionOutcome.UPHELD, "优秀票漏计 2 张。")
    timer = _window_timer(ev)
    sweep_after(timer)
    ev.refresh_from_db()
    process = YearEndProcess.objects.get(evaluation=ev)
    assert ev.status == EvaluationStatus.RETURNED and ev.published_at is None
    assert "优秀票漏计" in ev.review_comments and ev.publicity_start is None
    assert Task.objects.get(process=process, flow_task=YearEndFlow.appraisal, status=STATUS.NEW)
    assert AuditEntry.objects.filter(action="results_reopened", object_id=ev.pk).exists()

    # Corrected, approved and publicised again; with no objection this time, the results are final.
    with at(timer.scheduled + datetime.timedelta(hours=1)):
        evaluations.record_appraisal(ev, ev.members[1], county.clerk, votes=votes(8, 1, 1))
        evaluations.finish_appraisal(ev, county.clerk)
        evaluations.propose_results(ev, county.secretary)
        evaluations.approve_results(ev, county.reviewer)
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.PUBLICITY
    assert not objections.publicity_objections(ev).exists()  # the first publicity's objection is settled
    sweep_after(_window_timer(ev))
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.CONCLUDED


def test_the_public_board_takes_an_objection_against_a_result(county, in_publicity, client):
    ev = in_publicity
    board = client.get(reverse("public_board", args=[county.town.code]))
    url = reverse("public_result_objection", args=[county.town.code, ev.pk, ev.members[0].pk])
    assert url in board.content.decode()
    refused = client.post(url, {"objector_name": "钱某", "objector_contact": "", "reason": "测评票数统计有误", **CAPTCHA})
    assert refused.status_code == 400
    done = client.post(url, {"objector_name": "钱某", "objector_contact": "139", "reason": "测评票数统计有误", **CAPTCHA})
    assert done.status_code == 302
    objection = objections.evaluation_objections(ev).get()
    assert objection.member == ev.members[0] and objection.process.flow_class is ObjectionFlow
    # The branch finds it on the evaluation's page and answers it on the objection screen.
    client.force_login(county.clerk)
    page = client.get(reverse("appraisals:detail", args=[ev.pk])).content.decode()
    assert reverse("reviews:answer_objection", args=[objection.pk]) in page
    answer = client.get(reverse("reviews:answer_objection", args=[objection.pk]))
    assert answer.status_code == 200 and "corrected_points" not in answer.content.decode()
    answered = client.post(reverse("reviews:answer_objection", args=[objection.pk]),
                           {"outcome": "dismissed", "reason": "经核实，票数无误。"})
    assert answered.status_code == 302 and answered["Location"] == reverse("appraisals:detail", args=[ev.pk])


def test_an_upheld_answer_on_the_screen_needs_no_points(county, in_publicity, client):
    ev = in_publicity
    objection = _lodge(ev, ev.members[0])
    client.force_login(county.clerk)
    answered = client.post(reverse("reviews:answer_objection", args=[objection.pk]),
                           {"outcome": "upheld", "reason": "优秀票漏计 2 张，重新评定。"})
    assert answered.status_code == 302
    objection.refresh_from_db()
    assert objection.outcome == ObjectionOutcome.UPHELD and objection.corrected_points is None


def test_objections_to_results_have_the_public_forms_challenge_limits_and_refusal_log(county, in_publicity, client):
    """The year-end board takes objections under the same rules as a quarterly item (#13 item 2)."""
    from reviews.refusals import RefusedObjection, limits

    ev = in_publicity
    url = reverse("public_result_objection", args=[county.town.code, ev.pk, ev.members[0].pk])
    body = {"objector_name": "钱某", "objector_contact": "139", "reason": "测评票数统计有误"}
    no_challenge = client.post(url, body)
    assert no_challenge.status_code == 400 and "captcha" in no_challenge.context["form"].errors
    assert client.post(url, {**body, **CAPTCHA}).status_code == 302
    twin = client.post(url, {**body, **CAPTCHA})  # the same objector and text: one objection
    assert twin.status_code == 400
    for n in range(2, limits()["per_client"] + 1):
        assert client.post(url, {**body, "reason": f"测评票数统计有误（{n}）", **CAPTCHA}).status_code == 302
    over = client.post(url, {**body, "reason": "测评票数统计有误（又一条）", **CAPTCHA})
    assert over.status_code == 400
    assert objections.evaluation_objections(ev).count() == limits()["per_client"]
    assert list(RefusedObjection.objects.filter(organisation=ev.organisation).order_by("at", "pk")
                .values_list("code", flat=True)) == ["captcha_failed", "objection_duplicate", "objection_client_limit"]
