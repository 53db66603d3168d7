"""The demo stage and the minimal pages."""
import io

import pytest
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from appraisals.services import evaluations
from appraisals.demo import build_year_end
from appraisals.models import AppraisalInput, Evaluation, EvaluationStatus
from members.demo import build_people

from .conftest import add_members, make_scheme


@pytest.mark.django_db
def test_demo_stage_leaves_an_evaluation_in_publicity_and_is_idempotent():
    build_people(io.StringIO())
    first = build_year_end(io.StringIO())
    assert first.status == EvaluationStatus.PUBLICITY
    members, _excluded = evaluations.evaluated_members(first)
    assert first.results.count() == len(members) > 5
    assert Task.objects.filter(process__yearendprocess__evaluation=first, flow_task_type="TIMER",
                               status=STATUS.SCHEDULED).count() == 1
    out = io.StringIO()
    again = build_year_end(out)
    assert again.pk == first.pk and "已存在" in out.getvalue()
    assert Evaluation.objects.count() == 1


@pytest.fixture
def opened(county):
    members = add_members(county.east, "张红梅", "刘志强")
    version = make_scheme(county.town, "county-7-3")
    ev = evaluations.open_evaluation(organisation=county.east, by=county.secretary, scheme_version=version)
    return ev, members


def test_detail_page_scoped_by_the_tree(client, county, opened):
    ev, members = opened
    url = reverse("appraisals:detail", args=[ev.pk])
    client.force_login(county.west_secretary)
    assert client.get(url).status_code == 404
    client.force_login(county.reviewer)
    assert client.get(url).status_code == 200
    client.force_login(county.clerk)
    page = client.get(url).content.decode()
    assert "民主评议录入" in page and "张红梅" in page
    assert ev.organisation.name in client.get(reverse("appraisals:list")).content.decode()


def test_vote_form_records_and_reports_errors(client, county, opened):
    ev, (zhang, liu) = opened
    url = reverse("appraisals:detail", args=[ev.pk])
    client.force_login(county.clerk)
    response = client.post(url, {"action": "record_appraisal", "member": zhang.pk, "method": "votes",
                                 "votes_0": "8", "votes_1": "2", "votes_2": "0", "votes_3": "0"}, follow=True)
    assert response.status_code == 200
    item = AppraisalInput.objects.get(evaluation=ev, member=zhang)
    assert item.votes() == {"优秀": 8, "良好": 2, "合格": 0, "差": 0}
    response = client.post(url, {"action": "record_appraisal", "member": liu.pk, "method": "votes",
                                 "votes_0": "-3"}, follow=True)
    assert "不能为负数" in response.content.decode()
    assert not AppraisalInput.objects.filter(member=liu).exists()
    response = client.post(url, {"action": "compute"}, follow=True)
    page = response.content.decode()
    assert "张红梅" in page and ev.results.count() == 2
    # the organisation-level check is shown with the member's name
    assert "1 人尚无民主评议结果" in page and "（刘志强）" in page
    assert "重算结果与已存结果一致" in client.get(url + "?verify=1").content.decode()


def test_approve_button_only_for_the_higher_reviewer(client, county, opened):
    ev, members = opened
    for m in members:
        evaluations.record_appraisal(ev, m, county.clerk, score="80")
    evaluations.finish_appraisal(ev, county.clerk, confirm=True)  # no ledger entries: computed on the appraisal alone
    evaluations.propose_results(ev, county.secretary)
    url = reverse("appraisals:detail", args=[ev.pk])
    client.force_login(county.self_reviewer)
    assert "同意，进入公示" not in client.get(url).content.decode()
    response = client.post(url, {"action": "approve"}, follow=True)
    assert "上级党组织审查人" in response.content.decode()
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.PROPOSED
    client.force_login(county.reviewer)
    assert "同意，进入公示" in client.get(url).content.decode()
    client.post(url, {"action": "approve", "comments": "同意"})
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.PUBLICITY
