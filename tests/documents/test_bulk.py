"""Bulk generation: progress while running, failures listed per member, a zip at the end."""
import io
import zipfile

import pytest

from documents import services
from documents.models import BulkJob, BulkStatus, GeneratedDocument

from .conftest import notice_context
from .docx_helpers import load

pytestmark = pytest.mark.django_db


def _items(n, bad=()):
    items = []
    for i in range(1, n + 1):
        ctx = notice_context(member_name=f"党员{i:02d}", score=str(60 + i))
        if i in bad:
            del ctx["grade"]
        items.append({"context": ctx, "subject_key": f"member:{i}:2025"})
    return items


def test_bulk_job_continues_past_failures_and_writes_a_zip(branch, clerk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.start_bulk_job("result_notice", organisation=branch, items=_items(12, bad={4, 9}),
                                      triggered_by=clerk)
    assert services.bulk_progress(job)["percent"] == 0 and job.status == BulkStatus.PENDING
    assert len(callbacks) == 1

    job = services.run_bulk(job.pk, progress_every=5)
    progress = services.bulk_progress(job)
    assert progress == {**progress, "status": BulkStatus.DONE, "total": 12, "done": 10, "failed": 2,
                        "processed": 12, "percent": 100, "zip_ready": True}
    assert [(f["index"], f["label"]) for f in progress["failures"]] == [(4, "党员04"), (9, "党员09")]
    assert all("grade" in f["error"] for f in progress["failures"])
    with job.zip_file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        names = archive.namelist()
        assert len(names) == 10 and names[0] == "00001-党员01.docx" and "00004-党员04.docx" not in names
        text = "\n".join(p.text for p in load(archive.read("00010-党员10.docx")).paragraphs)
    # failed items took no number: the ten documents are numbered 1..10 without gaps
    numbers = list(GeneratedDocument.objects.filter(bulk_job=job).order_by("number_seq").values_list("number_seq", flat=True))
    assert numbers == list(range(1, 11))
    assert "党员10同志：" in text and "东街党支〔2026〕8号" in text  # item 10 is the 8th success


def test_progress_is_written_every_n_items(branch, monkeypatch):
    job = services.start_bulk_job("result_notice", organisation=branch, items=_items(7))
    snapshots = []
    real_render = services.render_template_bytes

    def render_and_peek(template, context, **extras):
        snapshots.append(services.bulk_progress(job)["done"])
        return real_render(template, context, **extras)

    monkeypatch.setattr(services, "render_template_bytes", render_and_peek)
    services.run_bulk(job.pk, progress_every=3)
    # while item k renders, the stored count is the last multiple of 3 below k
    assert snapshots == [0, 0, 0, 3, 3, 3, 6]
    progress = services.bulk_progress(job)
    assert (progress["done"], progress["percent"]) == (7, 100)


def test_partial_progress_percentage(branch):
    job = services.start_bulk_job("result_notice", organisation=branch, items=_items(8))
    BulkJob.objects.filter(pk=job.pk).update(done=2, failed=1, status=BulkStatus.RUNNING)
    progress = services.bulk_progress(job.pk)
    assert (progress["processed"], progress["percent"]) == (3, 37)


def test_bad_items_are_refused_at_start(branch):
    from documents.rendering import ContextError

    with pytest.raises(ContextError, match="第2个对象"):
        services.start_bulk_job("result_notice", organisation=branch, items=[{"context": {}}, {"x": 1}])
    with pytest.raises(ValueError, match="未知的公文类型"):
        services.start_bulk_job("no_such_kind", organisation=branch, items=[])
