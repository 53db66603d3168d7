"""No award for a member disposed of or under a disposal (appraisals.services.standing, issue 11).

The demo gave 陆俊杰 a four-star certificate although the town had approved his 劝其退党: the
use of results read the scheme's [[awards]] and not the dispositions. The walked demo checks the
certificate and the commendation (tests/documents/test_walked_documents.py); here the rule
itself, and the tied quota place the branch awards by hand.
"""
import datetime

import pytest
from django.core.exceptions import ValidationError

from appraisals.errors import AppraisalErrorCode as Code
from appraisals.models import Disposition, MemberResult, QuotaAward
from appraisals.services import awards, compute, evaluations, standing
from reviews.models import local_today

from .conftest import add_members, make_scheme, post, votes

pytestmark = pytest.mark.django_db


@pytest.fixture
def tied(county):
    """东街's seven members all on 100 points: one 优秀 place tied seven ways."""
    year = local_today().year
    make_scheme(county.town, "county-7-3", year=year)
    add_members(county.east, "张红梅", "刘志强", "陈小燕", "赵卫东", "孙丽", "钱进", "吴芳")
    evaluation = evaluations.open_evaluation(organisation=county.east, by=county.secretary)
    members = evaluations.evaluated_members(evaluation)[0]
    for m in members:
        post(county.east, m, "daily", 100, datetime.date(year, 3, 1))
        evaluations.record_appraisal(evaluation, m, county.clerk, votes=votes(10))
    compute.compute_results(evaluation, county.clerk)
    evaluation.refresh_from_db()
    return evaluation, members


def _disposal(evaluation, member, **fields):
    result = MemberResult.objects.get(evaluation=evaluation, member=member)
    return Disposition.objects.create(evaluation=evaluation, result=result, member=member, **fields)


@pytest.mark.parametrize(("fields", "barred"), [
    ({"action": "dispose", "status": "pending"}, True),  # the disposal is under way
    ({"action": "dispose", "status": "awaiting_approval", "measure": "除名"}, True),
    ({"action": "dispose", "status": "done", "measure": "劝其退党"}, True),  # approved
    ({"action": "dispose", "status": "in_rectification", "measure": "限期改正"}, True),
    ({"action": "cancel_probation", "status": "approved"}, True),
    ({"action": "dispose", "status": "rejected", "measure": "劝其退党"}, False),  # the committee refused it
    ({"action": "dispose", "status": "done", "measure": "限期改正", "rectification_outcome": "improved"}, False),
    ({"action": "talk", "status": "done"}, False),  # a talk is no disposal
])
def test_who_stands_barred_from_awards(tied, fields, barred):
    evaluation, members = tied
    _disposal(evaluation, members[0], **fields)
    assert standing.barred_from_awards(m.pk for m in members) == ({members[0].pk} if barred else set())


def test_a_tied_place_is_not_awarded_to_a_member_under_a_disposal(tied, county):
    evaluation, members = tied
    tie = next(c for c in evaluation.checks if c["type"] == "quota_tie")
    disposal = _disposal(evaluation, members[2], action="dispose", status="done", measure="劝其退党")
    with pytest.raises(ValidationError) as caught:
        awards.award_tied_places(evaluation, county.secretary, target=tie["target"], members=[members[2]],
                                 reason="支委会讨论")
    assert caught.value.error_dict["members"][0].code == Code.MEMBER_UNDER_DISPOSAL
    assert members[2].name in caught.value.error_dict["members"][0].messages[0]
    assert not QuotaAward.objects.exists()
    disposal.status = "rejected"
    disposal.save(update_fields=["status"])
    awards.award_tied_places(evaluation, county.secretary, target=tie["target"], members=[members[2]],
                             reason="支委会讨论")
    assert MemberResult.objects.get(evaluation=evaluation, member=members[2]).grade == "优秀"
