"""Webhooks out: an organisation's registered URLs are told of events in its subtree.

Events: ``result_published``, ``objection_lodged``, ``deadline_missed`` (from
``notifications.notify``, through ``notifications.signals.event_notified``) and
``document_issued`` (``documents.signals.document_issued``). Each event becomes one
``WebhookDelivery`` per matching endpoint (at most once per endpoint and event key, so the
deadline sweep that repeats ``deadline_missed`` posts it once), queued after the commit.

Each POST carries a JSON body and the headers ``X-Jifen-Event``, ``X-Jifen-Delivery``,
``X-Jifen-Timestamp`` and ``X-Jifen-Signature: sha256=<hex>``, the HMAC-SHA256 with the
endpoint's secret of ``"<timestamp>.<body>"``. A failed POST (network error or a non-2xx
answer) is retried by the Celery task with exponential back-off (1, 2, 4 … minutes, at most
``MAX_ATTEMPTS`` tries); every attempt is counted on the delivery and the last answer kept.
On the embedded default (no broker, tasks in-process) a failure is recorded and not retried
later, since nothing would wake it: the deliveries are for production with a worker.
"""
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from .models import WebhookDelivery, WebhookEndpoint, WebhookEvent

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
TIMEOUT_SECONDS = 10
SIGNATURE_HEADER = "X-Jifen-Signature"


def sign(secret, timestamp, body):
    """``sha256=<hex>`` of ``"<timestamp>.<body>"`` (body as bytes) keyed with ``secret``."""
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def backoff(attempts):
    """Seconds before the next try after ``attempts`` failed ones: 60, 120, 240 … (at most an hour)."""
    return min(60 * 2 ** max(attempts - 1, 0), 3600)


def endpoints_for(organisation, event):
    """Active endpoints of ``organisation`` or an organisation above it that listen to ``event``."""
    if organisation is None or not organisation.path:
        return []
    return [e for e in WebhookEndpoint.objects.filter(is_active=True).select_related("organisation")
            if organisation.path.startswith(e.organisation.path) and event in e.events]


def emit(event, organisation, key, data):
    """Record one delivery per matching endpoint and queue each after the commit; returns them."""
    created = []
    payload = {"event": event, "organisation": organisation.code if organisation else None,
               "occurred_at": timezone.now(), "data": data}
    payload = json.loads(json.dumps(payload, cls=DjangoJSONEncoder))
    for endpoint in endpoints_for(organisation, event):
        delivery, new = WebhookDelivery.objects.get_or_create(
            endpoint=endpoint, key=key[:200], defaults={"event": event, "payload": payload})
        if new:
            created.append(delivery)
            transaction.on_commit(lambda pk=delivery.pk: _queue(pk), robust=True)
    return created


def _queue(delivery_id):
    from .tasks import deliver_webhook

    deliver_webhook.delay(delivery_id)


def on_event_notified(sender, event, organisation, key, title, url, **kwargs):
    if event not in (WebhookEvent.RESULT_PUBLISHED, WebhookEvent.OBJECTION_LODGED, WebhookEvent.DEADLINE_MISSED):
        return
    emit(event, organisation, key or f"{event}:{title}", {"title": str(title), "url": url})


def on_document_issued(sender, document, **kwargs):
    emit(WebhookEvent.DOCUMENT_ISSUED, document.organisation, f"document:{document.pk}", {
        "id": document.pk, "kind": document.kind, "document_number": document.document_number,
        "version": document.version, "sha256": document.sha256,
        "download": f"/api/v1/documents/{document.pk}/download",
    })


def post(delivery):
    """One attempt; returns ``(ok, status or None, error text)``."""
    body = json.dumps(delivery.payload, ensure_ascii=False).encode("utf-8")
    timestamp = str(int(time.time()))
    request = urllib.request.Request(delivery.endpoint.url, data=body, method="POST", headers={
        "Content-Type": "application/json", "User-Agent": "jifen-webhooks/1",
        "X-Jifen-Event": delivery.event, "X-Jifen-Delivery": str(delivery.pk),
        "X-Jifen-Timestamp": timestamp, SIGNATURE_HEADER: sign(delivery.endpoint.secret, timestamp, body),
    })
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - registered URL
            return 200 <= response.status < 300, response.status, ""
    except urllib.error.HTTPError as exc:
        return False, exc.code, str(exc)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return False, None, str(exc)
