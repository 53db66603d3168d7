"""Webhooks out: registered per organisation, told of its subtree's events, signed with HMAC-SHA256, retried, logged."""
import hashlib
import hmac
import json
import urllib.error
from unittest import mock

import pytest

from api import webhooks
from api.models import DeliveryStatus, WebhookDelivery
from api.tasks import deliver_webhook
from notifications.models import Event
from notifications.services import notify
from tests.world import round_in_publicity


class FakeResponse:
    def __init__(self, status=200):
        self.status = status

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def register(client, headers, organisation, events, url="https://oa.example.org/hook"):
    response = client.post("/api/v1/webhooks", {"organisation_id": organisation.pk, "url": url, "events": events},
                           content_type="application/json", headers=headers)
    assert response.status_code == 201, response.content
    return response.json()


@pytest.mark.django_db
def test_events_of_the_subtree_are_posted_signed_and_logged(client, county, token, django_capture_on_commit_callbacks):
    east = register(client, token(county.secretary), county.east, ["result_published", "document_issued"])
    register(client, token(county.west_secretary), county.west, ["result_published", "document_issued"],
             url="https://west.example.org/hook")
    sent = []

    def fake_urlopen(request, timeout):
        sent.append(request)
        return FakeResponse(204)

    with mock.patch("api.webhooks.urllib.request.urlopen", side_effect=fake_urlopen), \
            django_capture_on_commit_callbacks(execute=True):
        review_round = round_in_publicity(county)
    assert {r.full_url for r in sent} == {"https://oa.example.org/hook"}  # nothing of east goes to west
    published = [r for r in sent if r.headers["X-jifen-event"] == "result_published"]
    assert len(published) == 1
    request = published[0]
    body = request.data
    timestamp = request.headers["X-jifen-timestamp"]
    expected = "sha256=" + hmac.new(east["secret"].encode(), f"{timestamp}.".encode() + body,
                                    hashlib.sha256).hexdigest()
    assert request.headers["X-jifen-signature"] == expected
    payload = json.loads(body)
    assert payload["event"] == "result_published" and payload["organisation"] == county.east.code
    assert str(review_round) in payload["data"]["title"]
    issued = {d.payload["data"]["kind"] for d in WebhookDelivery.objects.filter(event="document_issued")}
    assert {"meeting_record", "filing_report", "publicity_notice"} <= issued
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.DELIVERED}
    assert set(WebhookDelivery.objects.values_list("response_status", flat=True)) == {204}


@pytest.mark.django_db
def test_an_event_sent_again_by_a_sweep_is_delivered_once(client, county, token):
    register(client, token(county.secretary), county.east, ["deadline_missed"])
    with mock.patch("api.webhooks._queue") as queued:
        for _ in range(2):
            notify(Event.DEADLINE_MISSED, [county.reviewer], title="逾期未答复", organisation=county.east,
                   key="objection:1:deadline_missed:2026-01-09")
        notify(Event.DEADLINE_NEAR, [county.clerk], title="将至", organisation=county.east, key="k")
    assert WebhookDelivery.objects.count() == 1 and WebhookDelivery.objects.get().event == "deadline_missed"


@pytest.mark.django_db
def test_a_failed_post_is_retried_with_back_off_then_given_up(client, county, token):
    register(client, token(county.secretary), county.east, ["objection_lodged"])
    with mock.patch("api.webhooks._queue"):
        (delivery,) = webhooks.emit("objection_lodged", county.east, "objection:9:lodged", {"title": "x"})
    countdowns = []

    class Retry(Exception):
        pass

    def fake_retry(countdown):
        countdowns.append(countdown)
        return Retry()

    failing = mock.patch("api.webhooks.urllib.request.urlopen", side_effect=urllib.error.URLError("refused"))
    with failing, mock.patch.object(deliver_webhook, "retry", side_effect=fake_retry):
        for _ in range(webhooks.MAX_ATTEMPTS - 1):
            with pytest.raises(Retry):
                deliver_webhook.run(delivery.pk)
        assert deliver_webhook.run(delivery.pk) == DeliveryStatus.FAILED
    delivery.refresh_from_db()
    assert countdowns == [60, 120, 240, 480, 960]
    assert (delivery.attempts, delivery.status) == (webhooks.MAX_ATTEMPTS, DeliveryStatus.FAILED)
    assert "refused" in delivery.last_error


@pytest.mark.django_db
def test_only_branch_staff_over_the_organisation_register_webhooks(client, county, token):
    refused = client.post("/api/v1/webhooks", {"organisation_id": county.east.pk, "url": "https://x.example.org/",
                                               "events": ["result_published"]},
                          content_type="application/json", headers=token(county.west_secretary))
    assert refused.status_code == 404
    bad = client.post("/api/v1/webhooks", {"organisation_id": county.east.pk, "url": "ftp://x",
                                           "events": ["result_published"]},
                      content_type="application/json", headers=token(county.secretary))
    assert bad.status_code == 422 and (bad.json()["code"], bad.json()["field"]) == ("invalid", "url")


@pytest.mark.django_db
def test_a_webhook_title_is_in_the_site_language_whatever_the_request(client, county, token):
    """A notification's words are read in each reader's language; a webhook's payload has no reader and
    carries the site's language (zh-hans), even when the step ran under an English request."""
    from django.utils import translation
    from django.utils.translation import gettext_noop

    from notifications.text import message

    register(client, token(county.secretary), county.east, ["deadline_missed"])
    with mock.patch("api.webhooks._queue"), translation.override("en"):
        notify(Event.DEADLINE_MISSED, [county.reviewer], organisation=county.east, key="objection:2:missed",
               title=message(gettext_noop("逾期未答复：%(org)s的异议已过答复期限"), org=county.east))
    payload = WebhookDelivery.objects.get().payload
    assert payload["data"]["title"] == f"逾期未答复：{county.east}的异议已过答复期限"
