"""Refusals carry the input they concern and a code (``appraisals.errors``), in either language.

Checked in English: the message is translated, and the field and code do not depend on it.
"""
import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from appraisals.errors import AppraisalErrorCode as Code
from appraisals.models import AppraisalInput, Disposition, DispositionStatus
from appraisals.services import compute, dispositions, evaluations
from members.models import MemberCategory
from organisations.models import Organisation, OrganisationKind, RoleKind
from tests.world import make_user
from workflow.steps import StepConflict

from .conftest import add_members, make_scheme, post, refusal, votes, walk_to_publication


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def opened(county):
    (zhang,) = add_members(county.east, "张三")
    ev = evaluations.open_evaluation(organisation=county.east, by=county.secretary,
                                     scheme_version=make_scheme(county.town, "county-7-3"))
    return ev, zhang



@pytest.mark.parametrize("kwargs, field, code, text", [
    ({"votes": {"优秀": -1, "良好": 3}}, "votes", Code.NEGATIVE, "Excellent votes cannot be negative (-1)."),
    ({"votes": {"优秀": "x"}}, "votes", Code.NOT_AN_INTEGER, "Excellent votes"),
    ({"votes": votes()}, "votes", Code.NO_VOTES, "There are no votes"),
    ({"votes": {"很好": 3}}, "votes", Code.UNKNOWN_VOTE_GRADE, "很好"),
    ({"votes": ["优秀"]}, "votes", Code.VOTES_NOT_BY_GRADE, ""),
    ({"score": "101"}, "score", Code.OUT_OF_RANGE, "Appraisal score must be between 0 and 100; got 101."),
    ({"score": "abc"}, "score", Code.NOT_A_NUMBER, "abc"),
    ({"raters": {"self": 90, "masses": 80}}, "raters", Code.REQUIRED, "Leadership appraisal score is required."),
    ({"raters": {"self": 90, "masses": 80, "leadership": 120}}, "raters", Code.OUT_OF_RANGE, "120"),
    ({"score": "90", "flags": {"dues_unpaid_months": -2}}, "flags", Code.INVALID_FLAG_VALUE, "-2"),
    ({"score": "90", "flags": {" ": True}}, "flags", Code.FLAG_NAME_BLANK, "A circumstance flag needs a name."),
    ({"score": "90", "flags": ["sanctioned"]}, "flags", Code.INVALID_FLAGS, ""),
    ({"score": "90", "votes": votes(1)}, "__all__", Code.ONE_APPRAISAL_METHOD, "Enter exactly one kind"),
    ({}, "__all__", Code.ONE_APPRAISAL_METHOD, "Enter exactly one kind"),
])
def test_appraisal_refusals_name_their_input(county, opened, english, kwargs, field, code, text):
    ev, zhang = opened
    with pytest.raises(ValidationError) as info:
        evaluations.record_appraisal(ev, zhang, county.clerk, **kwargs)
    assert refusal(info.value) == {field: [code]}
    assert text in info.value.messages[0]
    assert not AppraisalInput.objects.exists()


def test_member_of_another_branch(county, opened, english):
    ev, _zhang = opened
    with pytest.raises(ValidationError) as info:
        evaluations.record_appraisal(ev, county.west_member, county.clerk, score="80")
    assert refusal(info.value) == {"member": [Code.MEMBER_OUTSIDE_ORGANISATION]}
    assert "does not belong to" in info.value.messages[0]


def test_opening_refusals(county, english):
    version = make_scheme(county.town, "county-7-3")
    with pytest.raises(ValidationError) as info:
        evaluations.open_evaluation(organisation=county.east, by=county.secretary, scheme_version=version,
                                    publicity_days=5)
    assert refusal(info.value) == {"publicity_days": [Code.PUBLICITY_TOO_SHORT]}
    assert info.value.error_dict["publicity_days"][0].params == {"days": 5, "min": 7}
    assert info.value.messages == ["The publicity period of 5 days is shorter than the required 7 days."]
    with pytest.raises(ValidationError) as info:
        evaluations.open_evaluation(organisation=county.east, by=county.secretary, scheme_version=version,
                                    publicity_days="seven")
    assert refusal(info.value) == {"publicity_days": [Code.NOT_AN_INTEGER]}
    group = Organisation.objects.create(name="第一党小组", kind=OrganisationKind.GROUP, parent=county.east, code="a-g1")
    with pytest.raises(ValidationError) as info:
        evaluations.open_evaluation(organisation=group, by=county.secretary, scheme_version=version)
    assert refusal(info.value) == {"organisation": [Code.ORGANISATION_CANNOT_EVALUATE]}
    with pytest.raises(ValidationError) as info:
        evaluations.open_evaluation(organisation=county.east, by=county.secretary,
                                    scheme_version=make_scheme(county.west, "county-7-3"))
    assert refusal(info.value) == {"scheme_version": [Code.SCHEME_NOT_APPLICABLE]}
    with pytest.raises(ValidationError) as info:
        evaluations.open_evaluation(organisation=county.east, by=county.secretary, on_date=datetime.date(2030, 6, 1))
    assert refusal(info.value) == {"scheme_version": [Code.NO_SCHEME_IN_FORCE]}
    evaluations.open_evaluation(organisation=county.east, by=county.secretary, scheme_version=version)
    with pytest.raises(ValidationError) as info:
        evaluations.open_evaluation(organisation=county.east, by=county.secretary, scheme_version=version)
    assert refusal(info.value) == {"organisation": [Code.EVALUATION_EXISTS]}
    secretary_above = make_user("wu-general", (RoleKind.SECRETARY, county.general))
    with pytest.raises(ValidationError) as info:  # the general branch above 东街 would evaluate its members again
        evaluations.open_evaluation(organisation=county.general, by=secretary_above, scheme_version=version)
    assert refusal(info.value) == {"organisation": [Code.EVALUATION_OVERLAPS]}


def test_step_refusals(county, opened, english):
    ev, zhang = opened
    with pytest.raises(StepConflict) as info:
        evaluations.propose_results(ev, county.secretary)
    assert refusal(info.value) == {"__all__": [Code.EVALUATION_WRONG_STATUS]}
    evaluations.record_appraisal(ev, zhang, county.clerk, score="80")
    evaluations.finish_appraisal(ev, county.clerk, confirm=True)  # an empty ledger, confirmed
    evaluations.propose_results(ev, county.secretary)
    with pytest.raises(StepConflict) as info:
        evaluations.record_appraisal(ev, zhang, county.clerk, score="90")
    assert refusal(info.value) == {"__all__": [Code.EVALUATION_NOT_EDITABLE]}
    assert "can no longer be changed" in info.value.messages[0]
    with pytest.raises(StepConflict) as info:
        compute.compute_results(ev, county.clerk)
    assert refusal(info.value) == {"__all__": [Code.EVALUATION_NOT_EDITABLE]}
    with pytest.raises(ValidationError) as info:
        evaluations.return_results(ev, county.reviewer, "  ")
    assert refusal(info.value) == {"comments": [Code.COMMENTS_REQUIRED]}
    assert info.value.messages == ["A return for correction needs comments."]
    with pytest.raises(ValidationError) as info:
        evaluations.approve_results(ev, county.reviewer, publicity_start=datetime.date(2020, 1, 1))
    assert refusal(info.value) == {"publicity_start": [Code.PUBLICITY_START_PAST]}


def test_a_failed_computation_has_a_code(county, opened, english):
    ev, zhang = opened
    post(county.east, zhang, "bonus", 3, datetime.date(2025, 3, 3))  # not a county-7-3 component
    with pytest.raises(ValidationError) as info:
        compute.compute_results(ev, county.clerk)
    assert refusal(info.value) == {"__all__": [Code.COMPUTATION_FAILED]}
    assert set(info.value.error_list[0].params) == {"where", "msg"}


def test_a_member_of_a_category_the_scheme_lacks_is_named_and_nothing_is_stored(county, english):
    """The close reads its members ahead of the ledger's totals (``scoring_engine.parse_members``):
    a member the scheme refuses is still told by name, and the computation leaves no results."""
    category = MemberCategory.objects.get(code="retired")  # a standard category street-three-classes lacks
    (li,) = add_members(county.east, "李四", category=category)
    ev = evaluations.open_evaluation(organisation=county.east, by=county.secretary,
                                     scheme_version=make_scheme(county.town, "street-three-classes"))
    post(county.east, li, "daily", 2, datetime.date(2025, 3, 3))
    with pytest.raises(ValidationError) as info:
        compute.compute_results(ev, county.clerk)
    assert refusal(info.value) == {"__all__": [Code.COMPUTATION_FAILED]}
    params = info.value.error_list[0].params
    assert "李四" in str(params["where"]) and "retired" in params["msg"]
    assert not ev.results.exists()


@pytest.fixture
def published(county):
    """county-7-3, 东街: 孙建华 with a poor year (dispose), 吴芳 and 钱进 ordinary; published."""
    low, *others = add_members(county.east, "孙建华", "吴芳", "钱进")
    ev = evaluations.open_evaluation(organisation=county.east, by=county.secretary,
                                     scheme_version=make_scheme(county.town, "county-7-3"))
    post(county.east, low, "daily", 10, datetime.date(2025, 6, 1))
    evaluations.record_appraisal(ev, low, county.clerk, votes=votes(0, 0, 2, 8))
    for m in others:
        post(county.east, m, "daily", 80, datetime.date(2025, 6, 1))
        evaluations.record_appraisal(ev, m, county.clerk, votes=votes(2, 4, 4))
    return walk_to_publication(county, ev)


#: The branch meeting's refusals (2024 rules), each on its own input: (counts, field, code).
DECISION_REFUSALS = [
    ({"entitled": 0, "present": 0, "votes_for": 0}, "entitled", Code.NO_ONE_ENTITLED),
    ({"entitled": 9, "present": 10, "votes_for": 8}, "present", Code.MORE_PRESENT_THAN_ENTITLED),
    ({"entitled": 9, "present": 8, "votes_for": 9}, "votes_for", Code.MORE_VOTES_THAN_PRESENT),
    ({"entitled": 10, "present": 5, "votes_for": 5}, "present", Code.NO_QUORUM),
    ({"entitled": 10, "present": 8, "votes_for": 5}, "votes_for", Code.NO_MAJORITY),
    ({"entitled": 10, "present": 8, "votes_for": 5, "full_members": 12}, "votes_for", Code.NO_MAJORITY),
    ({"entitled": "ten", "present": 8, "votes_for": 5}, "entitled", Code.NOT_AN_INTEGER),
    ({"entitled": 10, "present": -8, "votes_for": 5}, "present", Code.NEGATIVE),
    ({"entitled": 10, "present": 8, "votes_for": 6, "measure": "罚款"}, "measure", Code.INVALID_MEASURE),
    ({"entitled": 10, "present": 8, "votes_for": 6, "requirements": ""}, "requirements", Code.REQUIRED),
    ({"entitled": 10, "present": 8, "votes_for": 6, "months": 13}, "months", Code.RECTIFICATION_PERIOD_OUT_OF_RANGE),
    ({"entitled": 10, "present": 8, "votes_for": 6, "months": "six"}, "months", Code.NOT_AN_INTEGER),
]


def test_disposal_decision_refusals(county, published, english):
    dispose = Disposition.objects.get(evaluation=published, action="dispose")
    for counts, field, code in DECISION_REFUSALS:
        kwargs = {"measure": "限期改正", "requirements": "按时参加组织生活", **counts}
        with pytest.raises(ValidationError) as info:
            dispositions.decide_disposal(dispose, county.secretary, **kwargs)
        assert refusal(info.value) == {field: [code]}, counts
    dispose.refresh_from_db()
    assert dispose.status == DispositionStatus.PENDING


def test_disposition_refusals(county, published, english):
    dispose = Disposition.objects.get(evaluation=published, action="dispose")
    with pytest.raises(ValidationError) as info:
        dispositions.issue_talk_notice(dispose, county.secretary, talk_time="1月20日", place="会议室")
    assert refusal(info.value) == {"__all__": [Code.WRONG_DISPOSITION_ACTION]}
    with pytest.raises(ValidationError) as info:
        dispositions.start_rectification(dispose, county.secretary, requirements="x")
    assert refusal(info.value) == {"__all__": [Code.WRONG_DISPOSITION_ACTION]}
    with pytest.raises(ValidationError) as info:
        dispositions.record_rectification_outcome(dispose, county.secretary, "better")
    assert refusal(info.value) == {"outcome": [Code.INVALID_OUTCOME]}
    with pytest.raises(StepConflict) as info:
        dispositions.record_rectification_outcome(dispose, county.secretary, "improved")
    assert refusal(info.value) == {"__all__": [Code.NOT_IN_RECTIFICATION]}
    with pytest.raises(StepConflict) as info:
        dispositions.review_disposal(dispose, county.reviewer, approve=True)
    assert refusal(info.value) == {"__all__": [Code.DISPOSITION_WRONG_STATUS]}
    dispositions.decide_disposal(dispose, county.secretary, measure="限期改正", entitled=9, present=9, votes_for=8,
                                 requirements="按时参加组织生活")
    with pytest.raises(StepConflict) as info:
        dispositions.decide_disposal(dispose, county.secretary, measure="除名", entitled=9, present=9, votes_for=8)
    assert refusal(info.value) == {"__all__": [Code.DISPOSITION_HANDLED]}
    with pytest.raises(ValidationError) as info:
        dispositions.review_disposal(dispose, county.reviewer, approve=False)
    assert refusal(info.value) == {"comments": [Code.COMMENTS_REQUIRED]}
    assert info.value.messages == ["A refusal needs a reason."]
    dispositions.review_disposal(dispose, county.reviewer, approve=True)
    with pytest.raises(ValidationError) as info:
        dispositions.record_rectification_outcome(dispose, county.secretary, "improved")
    assert refusal(info.value) == {"__all__": [Code.RECTIFICATION_NOT_OVER]}


def _in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_page_shows_a_refusal_beside_its_input(client, county, opened):
    ev, zhang = opened
    url = reverse("appraisals:detail", args=[ev.pk])
    client.force_login(county.clerk)
    response = _in_english(client).post(url, {"action": "record_appraisal", "member": zhang.pk, "method": "votes",
                                              "votes_0": "-3"})
    assert response.status_code == 200  # shown again with the error, not redirected
    page = response.content.decode()
    error = '<ul class="errorlist" role="alert"><li>Excellent votes cannot be negative (-3).</li></ul>'
    assert page.index('name="votes_3"') < page.index(error) < page.index('name="score"')  # beside the vote inputs
    response = client.post(url, {"action": "record_appraisal", "member": zhang.pk, "method": "score", "score": "120"})
    page = response.content.decode()
    assert page.index('name="score"') < page.index("Appraisal score must be between 0 and 100; got 120.") < page.index(
        'name="rater_self"')
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = client.post(url, {"action": "record_appraisal", "member": zhang.pk, "method": "score", "score": "120"})
    page = response.content.decode()
    assert page.index('name="score"') < page.index("测评得分应在 0–100 之间，实际为 120。") < page.index(
        'name="rater_self"')
    assert not AppraisalInput.objects.exists()


def test_the_page_shows_a_disposal_refusal_on_its_row(client, county, published):
    dispose = Disposition.objects.get(evaluation=published, action="dispose")
    url = reverse("appraisals:detail", args=[published.pk])
    client.force_login(county.secretary)
    response = _in_english(client).post(url, {"action": "decide_disposal", "disposition": dispose.pk,
                                              "measure": "除名", "entitled": "10", "present": "5", "votes_for": "5"})
    assert response.status_code == 200
    page = response.content.decode()
    message = "5 present is not more than half of the 10 entitled; the meeting cannot vote."
    assert page.index('name="present"') < page.index(message) < page.index('name="votes_for"')
    # a refusal about no input is a message at the top of the page, after the redirect
    response = client.post(url, {"action": "propose"}, follow=True)
    assert response.redirect_chain and "is “Follow-up started” and cannot be submitted" in response.content.decode()
