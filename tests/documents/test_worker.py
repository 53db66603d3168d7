"""Through a real broker and worker (PostgreSQL + Redis leg of CI): the document is rendered
by another process after the request commits, and bulk progress is visible from here."""
import hashlib
import time
from pathlib import Path

import pytest

from documents import services
from documents.models import BulkStatus, DocumentStatus, GeneratedDocument
from organisations.models import Organisation, OrganisationKind

from .conftest import notice_context


def _wait(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.worker
def test_worker_renders_a_requested_document(live_worker):
    org = Organisation.objects.create(name="工作进程支部", short_name="进程党支", kind=OrganisationKind.BRANCH, code="w1")
    doc = services.request_document("result_notice", organisation=org, context=notice_context())
    assert _wait(lambda: GeneratedDocument.objects.get(pk=doc.pk).status != DocumentStatus.PENDING)
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.DONE, doc.error
    data = Path(doc.file.path).read_bytes()
    assert hashlib.sha256(data).hexdigest() == doc.sha256


@pytest.mark.worker
def test_worker_runs_a_bulk_job_with_visible_progress(live_worker):
    org = Organisation.objects.create(name="批量支部", short_name="批量党支", kind=OrganisationKind.BRANCH, code="w2")
    items = [{"context": notice_context(member_name=f"党员{i}"), "subject_key": f"m:{i}"} for i in range(30)]
    job = services.start_bulk_job("result_notice", organisation=org, items=items)
    seen = set()

    def finished():
        progress = services.bulk_progress(job)
        seen.add(progress["percent"])
        return progress["status"] in (BulkStatus.DONE, BulkStatus.FAILED)

    assert _wait(finished, timeout=120)
    progress = services.bulk_progress(job)
    assert (progress["status"], progress["done"], progress["failed"], progress["percent"]) == (BulkStatus.DONE, 30, 0, 100)
    assert progress["zip_ready"]
