"""Fault tests with real workers (PostgreSQL + Redis leg of CI; skipped on SQLite): a worker
killed with SIGKILL mid-render and mid-bulk-job, a new worker started, and nothing lost or
duplicated (issue 13, item 7).

The worker runs tasks with the solo pool, so SIGKILL stops it inside the task. Its message
was acknowledged late, so the broker still holds it: the broker's visibility timeout (a few
seconds here, ``JIFEN_BROKER_VISIBILITY_TIMEOUT``) hands it to the next worker; when the
message is not handed back (the default hour), the sweep (``documents.sweep``) queues it.
"""
import datetime
import io
import time
import zipfile

import pytest
from django.utils import timezone

from documents import chain, services, sweep
from documents.models import BulkStatus, DocumentStatus, GeneratedDocument
from organisations.models import Organisation, OrganisationKind

from .conftest import notice_context

pytestmark = [pytest.mark.worker, pytest.mark.postgres]

VISIBILITY = 4


def _wait(predicate, timeout=120, step=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def _kill(worker):
    """SIGKILL: the worker gets no chance to finish, acknowledge or hand back anything."""
    worker.process.kill()
    worker.process.wait()
    worker.process = None


def _org(code):
    return Organisation.objects.create(name=f"故障{code}支部", short_name=f"故障{code}", kind=OrganisationKind.BRANCH,
                                       code=code)


def _assert_each_issued_once(org, count):
    docs = GeneratedDocument.objects.filter(organisation=org)
    assert docs.count() == count
    assert {d.status for d in docs} == {DocumentStatus.DONE}
    assert set(docs.values_list("version", flat=True)) == {1}
    assert sorted(docs.values_list("number_seq", flat=True)) == list(range(1, count + 1))  # no gap, no twin
    for doc in docs:
        assert services.read_verified(doc)
    report = chain.verify_chain(org)
    assert report.ok and report.entries == count, report.problem
    return docs


def _request(org, n):
    return [services.request_document("result_notice", organisation=org, subject_key=f"m:{i}",
                                      context=notice_context(member_name=f"党员{i:03d}")) for i in range(n)]


def _kill_mid_render(worker, org, n=40):
    docs = _request(org, n)
    assert _wait(lambda: GeneratedDocument.objects.filter(organisation=org, status=DocumentStatus.DONE).count() >= 5)
    _kill(worker)
    pending = GeneratedDocument.objects.filter(organisation=org, status=DocumentStatus.PENDING).count()
    assert 0 < pending < n
    return docs


def test_a_worker_killed_mid_render_loses_nothing(live_worker, monkeypatch):
    monkeypatch.setenv("JIFEN_BROKER_VISIBILITY_TIMEOUT", str(VISIBILITY))
    live_worker.stop()
    live_worker.start()
    org = _org("kr")
    _kill_mid_render(live_worker, org)
    time.sleep(VISIBILITY + 1)  # the killed task's message becomes visible again
    live_worker.start()
    assert _wait(lambda: not GeneratedDocument.objects.filter(organisation=org, status=DocumentStatus.PENDING).exists())
    _assert_each_issued_once(org, 40)


def test_the_sweep_requeues_what_a_killed_worker_left_pending(live_worker):
    # The default visibility timeout (an hour): the broker does not hand the message back soon.
    org = _org("ks")
    _kill_mid_render(live_worker, org)
    live_worker.start()
    # The new worker renders what was still queued; the one being rendered when the first died stays pending.
    assert _wait(lambda: GeneratedDocument.objects.filter(organisation=org, status=DocumentStatus.PENDING).count() <= 1)
    time.sleep(1)
    stuck = GeneratedDocument.objects.filter(organisation=org, status=DocumentStatus.PENDING).count()
    documents, _jobs = sweep.requeue_stale(now=timezone.now() + datetime.timedelta(hours=1))
    assert documents == stuck
    assert _wait(lambda: not GeneratedDocument.objects.filter(organisation=org, status=DocumentStatus.PENDING).exists())
    _assert_each_issued_once(org, 40)


def test_a_worker_killed_mid_bulk_job_resumes_without_a_second_version(live_worker, monkeypatch):
    monkeypatch.setenv("JIFEN_BROKER_VISIBILITY_TIMEOUT", str(VISIBILITY))
    live_worker.stop()
    live_worker.start()
    org = _org("kb")
    total = 120
    items = [{"context": notice_context(member_name=f"党员{i:03d}"), "subject_key": f"member:{i}:2025"}
             for i in range(1, total + 1)]
    job = services.start_bulk_job("result_notice", organisation=org, items=items)
    assert _wait(lambda: GeneratedDocument.objects.filter(bulk_job=job).count() >= 40)
    _kill(live_worker)
    issued_before = dict(GeneratedDocument.objects.filter(bulk_job=job).values_list("bulk_index", "sha256"))
    job.refresh_from_db()
    assert job.status == BulkStatus.RUNNING and 40 <= len(issued_before) < total

    time.sleep(VISIBILITY + 1)
    live_worker.start()
    assert _wait(lambda: services.bulk_progress(job)["status"] in (BulkStatus.DONE, BulkStatus.FAILED), timeout=180)
    progress = services.bulk_progress(job)
    assert (progress["status"], progress["done"], progress["failed"]) == (BulkStatus.DONE, total, 0)
    docs = _assert_each_issued_once(org, total)
    assert sorted(docs.values_list("bulk_index", flat=True)) == list(range(1, total + 1))
    assert {k: v for k, v in docs.values_list("bulk_index", "sha256") if k in issued_before} == issued_before
    job.refresh_from_db()
    with job.zip_file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        names = archive.namelist()
        assert len(names) == total
        by_index = {int(n[:5]): archive.read(n) for n in names}
    for doc in docs:
        assert services.read_verified(doc) == by_index[doc.bulk_index]
