"""The 事项 of a year-end result objection names the member and the result (trial 4: it read ``None``),
on 我的待办, the home page and the objection flow's list, in Chinese and in English."""
import datetime

import pytest
from django.utils import translation

from appraisals.models import EvaluationStatus
from appraisals.services import evaluations, objections
from reviews.flows import ObjectionFlow
from reviews.models import ObjectionProcess

from .conftest import add_members, make_scheme, post, votes

pytestmark = pytest.mark.django_db


@pytest.fixture
def objection(county):
    members = add_members(county.east, "孙丽", "张红梅", "刘志强")
    for m, pts in zip(members, (90, 80, 70), strict=True):
        post(county.east, m, "daily", pts, datetime.date(2025, 6, 1))
    ev = evaluations.open_evaluation(organisation=county.east, by=county.secretary,
                                     scheme_version=make_scheme(county.town, "county-7-3"))
    for m in members:
        evaluations.record_appraisal(ev, m, county.clerk, votes=votes(6, 3, 1))
    evaluations.finish_appraisal(ev, county.clerk)
    evaluations.propose_results(ev, county.secretary)
    evaluations.approve_results(ev, county.reviewer)
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.PUBLICITY
    return objections.lodge_objection(ev, members[2], objector_name="钱某", objector_contact="139",
                                      reason="民主测评票数统计有误")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_task_subject_names_the_member_and_the_result(county, client, objection, language):
    result = objection.subject.results.get(member=objection.member)
    process = ObjectionProcess.objects.get(objection=objection)
    with translation.override(language):
        brief = str(process.brief)
        expected = str(objection.subject_label)
    assert "None" not in brief and brief == expected
    assert "刘志强" in brief and "2025" in brief and (result.grade or "") in brief
    client.force_login(county.secretary)
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    for url in ("/tasks/?tab=queue", "/", ObjectionFlow.instance.reverse("index")):  # 东街 has three secretaries: queued
        html = client.get(url, **headers).content.decode()
        assert "None" not in html, url
        assert expected in html, url
