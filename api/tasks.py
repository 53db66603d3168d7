"""The API's Celery task: one webhook delivery, retried with back-off (``api.webhooks``)."""
import logging

from celery import shared_task
from django.utils import timezone

from .models import DeliveryStatus, WebhookDelivery
from .webhooks import MAX_ATTEMPTS, backoff, post

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=MAX_ATTEMPTS - 1, acks_late=True)
def deliver_webhook(self, delivery_id):
    """POST one delivery; on failure retry with back-off until ``MAX_ATTEMPTS`` tries are spent."""
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status == DeliveryStatus.DELIVERED:
        return None
    ok, status, error_text = post(delivery)
    delivery.attempts += 1
    delivery.response_status = status
    delivery.last_error = error_text[:2000]
    if ok:
        delivery.status, delivery.delivered_at = DeliveryStatus.DELIVERED, timezone.now()
    elif delivery.attempts >= MAX_ATTEMPTS or self.request.is_eager:
        delivery.status = DeliveryStatus.FAILED
    delivery.save(update_fields=["attempts", "response_status", "last_error", "status", "delivered_at"])
    if not ok and delivery.status == DeliveryStatus.PENDING:
        logger.warning("webhook delivery %s to %s failed (%s), retrying", delivery.pk, delivery.endpoint.url, error_text)
        raise self.retry(countdown=backoff(delivery.attempts))
    return delivery.status
