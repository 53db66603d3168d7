"""The sweep for work a dead worker left behind (beat entry ``requeue-stale-documents``).

A worker killed mid-render leaves its document ``pending``; one killed mid-job leaves its
bulk job ``running``. The broker redelivers such a task only if it still holds it (late
acknowledgement, ``visibility_timeout``); a message lost with the broker, or a task acked
when its pool process died, is gone. The sweep queues both again once they have waited
longer than ``JIFEN_STALE_AFTER_SECONDS``. Queuing twice is harmless: rendering stores a
document's file once (``render_and_store``), and a bulk job resumes, issuing each item once
(``services.run_bulk``).
"""
import logging

from django.db.models.functions import Coalesce
from django.utils import timezone

from . import services
from .models import BulkJob, BulkStatus, DocumentStatus, GeneratedDocument

logger = logging.getLogger(__name__)

#: At most this many documents are queued again per sweep (the next sweep takes the rest).
BATCH = 500


def requeue_stale(now=None):
    """Queue again every document pending and every bulk job queued or running without progress
    for longer than ``JIFEN_STALE_AFTER_SECONDS``. Returns ``(documents, jobs)`` re-queued."""
    cutoff = services.stale_cutoff(now)
    document_ids = list(
        GeneratedDocument.objects.filter(status=DocumentStatus.PENDING, created_at__lt=cutoff)
        .order_by("pk").values_list("pk", flat=True)[:BATCH]
    )
    for pk in document_ids:
        logger.warning("document %s pending since before %s: queued again", pk, cutoff)
        services._enqueue_render(pk)
    job_ids = list(
        BulkJob.objects.filter(status__in=(BulkStatus.PENDING, BulkStatus.RUNNING))
        .annotate(last=Coalesce("heartbeat_at", "created_at")).filter(last__lt=cutoff)
        .order_by("pk").values_list("pk", flat=True)
    )
    for pk in job_ids:
        # Claimed first, so the next sweep waits a full period again before queuing it once more.
        if BulkJob.objects.filter(pk=pk, status__in=(BulkStatus.PENDING, BulkStatus.RUNNING)).update(
                heartbeat_at=timezone.now()):
            logger.warning("bulk job %s without progress since before %s: queued again", pk, cutoff)
            services._enqueue_bulk(pk)
    return len(document_ids), len(job_ids)
