"""The branch meeting screen's later steps through the API: 纳入本批次 (``POST /rounds/{id}/collect``),
through the same service, so the records and the audit trail change as they do from the screen."""
import pytest

from reviews.models import AuditEntry
from reviews.services import withdrawal
from tests import world

pytestmark = pytest.mark.django_db


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()
    return response.json()


def refused(response, status, code, field=None):
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["code"], body["field"]) == (code, field), body
    return body


def test_a_late_declaration_is_collected_into_the_round_once_it_is_back_at_its_meeting(client, county, token):
    rr = world.round_at_higher_review(county)
    late = world.declare(county, county.members[3], "4")
    assert late.review_round is None  # reported upward: the round did not take it by itself
    url = f"/api/v1/rounds/{rr.pk}/collect"

    refused(client.post(url, headers=token(county.clerk)), 422, "round_already_submitted")
    withdrawal.withdraw_report(rr, county.secretary, "漏报一项申报")
    refused(client.post(url, headers=token(county.reviewer)), 403, "permission_denied")  # sees it, not branch staff
    refused(client.post(url, headers=token(county.west_secretary)), 404, "not_found")
    late.refresh_from_db()
    assert late.review_round is None

    collected = ok(client.post(url, headers=token(county.clerk)))
    assert [(d["id"], d["review_round_id"], d["status"]) for d in collected] == [(late.pk, rr.pk, "submitted")]
    late.refresh_from_db()
    assert late.review_round == rr
    entry = AuditEntry.objects.get(action="declaration_collected", declaration=late)
    assert entry.actor == county.clerk and entry.after == {"review_round": rr.pk}
    assert ok(client.post(url, headers=token(county.clerk))) == []  # nothing left to collect
