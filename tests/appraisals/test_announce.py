"""The year-end evaluation tells the branch when its results are returned and each member their grade."""
import datetime

from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from appraisals.models import YearEndProcess
from appraisals.services import evaluations
from notifications.models import Event, Notification
from tests.world import make_user, sweep_after

from .conftest import add_members, make_scheme, post, votes


def test_returned_and_published_results_are_announced(county, django_capture_on_commit_callbacks):
    members = add_members(county.east, "孙丽", "张红梅", "吴芳")
    members[0].user = make_user("sun-li")
    members[0].save()
    for m, pts in zip(members, (100, 80, 20)):
        post(county.east, m, "daily", pts, datetime.date(2025, 6, 1))
    ev = evaluations.open_evaluation(organisation=county.east, by=county.secretary,
                                     scheme_version=make_scheme(county.town, "county-7-3"))
    for m in members:
        evaluations.record_appraisal(ev, m, county.clerk, votes=votes(2, 4, 4))
    evaluations.finish_appraisal(ev, county.clerk)
    evaluations.propose_results(ev, county.secretary)
    with django_capture_on_commit_callbacks(execute=True):
        evaluations.return_results(ev, county.reviewer, "请核对吴芳的日常积分")
    returned = Notification.objects.filter(event=Event.ROUND_RETURNED)
    assert {n.recipient for n in returned} == {county.secretary, county.deputy, county.self_reviewer}
    assert "请核对吴芳的日常积分" in returned[0].body and "退回" in returned[0].title

    evaluations.finish_appraisal(ev, county.clerk)
    evaluations.propose_results(ev, county.secretary)
    evaluations.approve_results(ev, county.reviewer)
    timer = Task.objects.get(process=YearEndProcess.objects.get(evaluation=ev), flow_task_type="TIMER",
                             status=STATUS.SCHEDULED)
    with django_capture_on_commit_callbacks(execute=True):
        sweep_after(timer)
    published = Notification.objects.get(event=Event.RESULT_PUBLISHED)
    grade = ev.results.get(member=members[0]).grade
    assert published.recipient.username == "sun-li" and published.body == f"您的评定等次：{grade}"
    # read in English: the sentence, the evaluation's name and the scheme's grade label (its English label)
    from django.utils import translation

    from schemes.words import word
    with translation.override("en"):
        english_grade = word(grade, ev.scheme_version)
        assert published.display_body == f"Your grade: {english_grade}" and english_grade != grade
        assert published.display_title.endswith("results published") and "年度" not in published.display_title
        assert "returned" in returned[0].display_title
