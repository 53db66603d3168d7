"""A worker killed mid-render or mid-bulk-job loses and duplicates nothing (issue 13, item 7).

Here the kill is simulated in-process (a ``BaseException`` out of the renderer, as a SIGKILL
leaves the item's transaction uncommitted); ``test_worker_faults.py`` kills real workers.
"""
import datetime
import io
import zipfile

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from documents import services, sweep
from documents.models import BulkJob, BulkStatus, DocumentStatus, GeneratedDocument
from documents.permissions import mark_retryable

from .conftest import notice_context

pytestmark = pytest.mark.django_db


class Killed(BaseException):
    """What the worker's death looks like to the code it was running: nothing after it runs."""


def _items(n):
    return [{"context": notice_context(member_name=f"党员{i:03d}"), "subject_key": f"member:{i}:2025"}
            for i in range(1, n + 1)]


def _kill_at(monkeypatch, call):
    real = services.render_template_bytes
    calls = {"n": 0}

    def render(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == call:
            raise Killed
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "render_template_bytes", render)


def test_a_redelivered_bulk_job_resumes_and_never_issues_an_item_twice(branch, monkeypatch):
    job = services.start_bulk_job("result_notice", organisation=branch, items=_items(21))
    _kill_at(monkeypatch, 16)
    with pytest.raises(Killed):
        services.run_bulk(job.pk, progress_every=5)
    job.refresh_from_db()
    assert job.status == BulkStatus.RUNNING and job.done == 15
    assert GeneratedDocument.objects.filter(bulk_job=job).count() == 15
    first_fifteen = dict(GeneratedDocument.objects.filter(bulk_job=job).values_list("bulk_index", "sha256"))

    monkeypatch.undo()
    job = services.run_bulk(job.pk, progress_every=5)  # the task redelivered
    assert (job.status, job.done, job.failed) == (BulkStatus.DONE, 21, 0)
    docs = GeneratedDocument.objects.filter(organisation=branch)
    assert docs.count() == 21
    assert sorted(docs.values_list("bulk_index", flat=True)) == list(range(1, 22))
    assert set(docs.values_list("version", flat=True)) == {1}
    assert sorted(docs.values_list("number_seq", flat=True)) == list(range(1, 22))  # no gap, no twin
    # the items issued before the kill are the same documents, not re-rendered
    assert {k: v for k, v in docs.values_list("bulk_index", "sha256") if k <= 15} == first_fifteen
    with job.zip_file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        names = archive.namelist()
        assert len(names) == 21 and names[0].startswith("00001-") and names[-1].startswith("00021-")
        by_index = {int(n[:5]): archive.read(n) for n in names}
    for doc in docs:
        assert services.read_verified(doc) == by_index[doc.bulk_index]


def test_two_deliveries_of_a_finished_job_change_nothing(branch):
    job = services.start_bulk_job("result_notice", organisation=branch, items=_items(3))
    services.run_bulk(job.pk)
    BulkJob.objects.filter(pk=job.pk).update(status=BulkStatus.RUNNING)  # as if the ack was lost
    job = services.run_bulk(job.pk)
    assert job.done == 3 and GeneratedDocument.objects.filter(bulk_job=job).count() == 3


def test_the_sweep_renders_documents_whose_worker_died(branch, monkeypatch, settings):
    # The render tasks were lost (queued to a worker that died and acknowledged nothing more).
    monkeypatch.setattr(services, "_enqueue_render", lambda document_id: None)
    lost = [services.request_document("result_notice", organisation=branch, context=notice_context(member_name=n))
            for n in ("张三", "李四")]
    monkeypatch.undo()
    settings.JIFEN_STALE_AFTER_SECONDS = 300
    assert sweep.requeue_stale() == (0, 0)  # younger than the threshold: a worker may be on them
    assert {d.status for d in GeneratedDocument.objects.all()} == {DocumentStatus.PENDING}

    assert sweep.requeue_stale(now=timezone.now() + datetime.timedelta(minutes=6)) == (2, 0)
    for doc in lost:
        doc.refresh_from_db()
        assert doc.status == DocumentStatus.DONE and services.read_verified(doc)
    assert sweep.requeue_stale(now=timezone.now() + datetime.timedelta(minutes=6)) == (0, 0)
    assert GeneratedDocument.objects.count() == 2


def test_the_sweep_resumes_a_bulk_job_without_progress(branch, monkeypatch):
    job = services.start_bulk_job("result_notice", organisation=branch, items=_items(6))
    _kill_at(monkeypatch, 4)
    with pytest.raises(Killed):
        services.run_bulk(job.pk, progress_every=1)
    monkeypatch.undo()
    assert sweep.requeue_stale() == (0, 0)  # progress 0 s ago: still its worker's
    BulkJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(minutes=6))
    assert sweep.requeue_stale() == (0, 1)
    job.refresh_from_db()
    assert (job.status, job.done) == (BulkStatus.DONE, 6)
    assert GeneratedDocument.objects.filter(bulk_job=job).count() == 6


def test_the_sweep_is_on_the_beat_schedule_run_by_run_scheduler(branch, monkeypatch, settings):
    entries = {e["task"] for e in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert "documents.requeue_stale" in entries
    monkeypatch.setattr(services, "_enqueue_render", lambda document_id: None)
    lost = services.request_document("result_notice", organisation=branch, context=notice_context())
    monkeypatch.undo()
    settings.JIFEN_STALE_AFTER_SECONDS = 0
    call_command("run_scheduler", "--once")
    lost.refresh_from_db()
    assert lost.status == DocumentStatus.DONE


def test_a_document_left_pending_may_be_retried_once_stale(branch, clerk, client, monkeypatch, settings):
    monkeypatch.setattr(services, "_enqueue_render", lambda document_id: None)
    doc = services.request_document("result_notice", organisation=branch, context=notice_context())
    monkeypatch.undo()
    client.force_login(clerk)
    url = reverse("documents:retry", args=[doc.pk])
    settings.JIFEN_STALE_AFTER_SECONDS = 300
    client.post(url, {"next": "/"})  # a worker may still be on it: refused, nothing issued
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.PENDING
    assert not mark_retryable([doc], clerk)[0].may_retry

    settings.JIFEN_STALE_AFTER_SECONDS = 0
    assert mark_retryable([doc], clerk)[0].may_retry
    assert client.post(url, {"next": "/"}).status_code == 302
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.DONE and services.read_verified(doc)
    assert GeneratedDocument.objects.count() == 1  # the same document, not a second version
