"""Trial 4: a year end whose ledger does not fit the scheme is not graded silently.

东街 2026 under the town's county-7-3: no 日常行为积分 entry for anyone (the quarter's round not yet
posted) put everyone at 不合格 and into 不合格党员处置 with no warning. The page now names the
gap (translated), a trial computation names entries under components the scheme lacks, and
closing the appraisal (计算) is refused until the branch confirms.
"""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from appraisals.errors import AppraisalErrorCode as Code
from appraisals.models import EvaluationStatus
from appraisals.services import compute, evaluations, findings

from .conftest import add_members, make_scheme, post, refusal, votes


@pytest.fixture
def opened(county):
    zhang, li = add_members(county.east, "张三", "李四")
    ev = evaluations.open_evaluation(organisation=county.east, by=county.secretary,
                                     scheme_version=make_scheme(county.town, "county-7-3"))
    for member in (zhang, li):
        evaluations.record_appraisal(ev, member, county.clerk, votes=votes(excellent=10))
    return ev, zhang, li


def test_no_daily_entry_for_anyone_is_shown_and_computing_needs_confirmation(county, opened, client):
    ev, _zhang, _li = opened
    assert findings.ledger_findings(ev) == [
        {"type": findings.COMPONENT_WITHOUT_ENTRIES, "component": "daily", "blocking": True}]
    client.force_login(county.secretary)
    page = client.get(reverse("appraisals:detail", args=[ev.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "no member has any &ldquo;Daily conduct points&rdquo; entry" in page or "no member has any “Daily conduct points” entry" in page
    with pytest.raises(ValidationError) as info:
        evaluations.finish_appraisal(ev, county.clerk)
    assert refusal(info.value) == {"confirm": [Code.LEDGER_FINDINGS_UNCONFIRMED]}
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.APPRAISAL and not ev.results.exists()
    response = client.post(reverse("appraisals:detail", args=[ev.pk]), {"action": "finish_appraisal"})
    assert response.status_code == 200 and "confirm" in response.context["finish_errors"]
    client.post(reverse("appraisals:detail", args=[ev.pk]), {"action": "finish_appraisal", "confirm": "1"})
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.COMPUTED


def test_entries_under_components_the_scheme_lacks_are_named(county, opened):
    ev, zhang, li = opened
    post(county.east, zhang, "daily", 20, datetime.date(2025, 3, 3))
    post(county.east, li, "bonus", 3, datetime.date(2025, 3, 3))
    post(county.east, li, "bonus", 2, datetime.date(2025, 5, 3))
    assert findings.ledger_findings(ev) == [{"type": findings.UNKNOWN_COMPONENTS, "components": {"bonus": 2}}]
    with translation.override("en"), pytest.raises(ValidationError) as info:
        compute.compute_results(ev, county.clerk)
    assert refusal(info.value) == {"__all__": [Code.COMPUTATION_FAILED]}
    assert "李四" in info.value.messages[0]  # the first such entry, named
    assert "bonus (2 entries)" in info.value.messages[0] and "Daily conduct points" in info.value.messages[0]


def test_a_fitting_ledger_has_no_finding_and_computes_without_confirmation(county, opened):
    ev, zhang, li = opened
    for member in (zhang, li):
        post(county.east, member, "daily", 80, datetime.date(2025, 3, 3))
    assert findings.ledger_findings(ev) == []
    evaluations.finish_appraisal(ev, county.clerk)
    assert {r.grade for r in ev.results.all()} != {"不合格"}
