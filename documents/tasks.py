"""Celery tasks: thin wrappers so the work itself (in services) is testable without Celery."""
from celery import shared_task

from . import services, sweep


@shared_task(name="documents.render_document")
def render_document(document_id):
    """Render and store one pending document (queued by request_document after commit)."""
    document = services.render_and_store(document_id)
    return {"id": document.pk, "status": document.status, "sha256": document.sha256}


@shared_task(name="documents.run_bulk_job")
def run_bulk_job(job_id, progress_every=None):
    """Render every item of a bulk job, reporting progress every N items, and write the zip."""
    job = services.run_bulk(job_id, progress_every=progress_every)
    return {"id": job.pk, "done": job.done, "failed": job.failed, "status": job.status}


@shared_task(name="documents.requeue_stale")
def requeue_stale():
    """Beat entry: queue again documents and bulk jobs a dead worker left pending (``documents.sweep``)."""
    documents, jobs = sweep.requeue_stale()
    return {"documents": documents, "jobs": jobs}
