"""The API other apps call to produce documents.

* :func:`request_document` — a workflow step asks for its document. The record and its
  发文字号 are created inside the caller's transaction (so a rolled-back step leaves no
  document and no gap in the numbering); rendering is a Celery task queued with
  ``transaction.on_commit`` (in-process when no broker is configured).
* :func:`render_document_bytes` — synchronous rendering without storage (previews).
* :func:`regenerate` — a corrected document is a new version of the same subject and keeps
  its number; :func:`retry_failed` does it for a document whose rendering failed.
* A rendering (or queueing) failure never reaches the workflow step that asked for the
  document: the step has committed; the document is marked ``failed`` with the error.
* :func:`start_bulk_job` / :func:`bulk_progress` — thousands of notices as one job.
"""
import datetime
import hashlib
import logging
import re
import tempfile
import uuid
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member
from workdays.clock import local_today

from . import chain, links, seals, tasks
from .kinds import get_kind
from .models import (
    BulkJob,
    BulkStatus,
    DocumentNumberSequence,
    DocumentStatus,
    GeneratedDocument,
    ImmutableDocumentError,
    _document_path,
)
from .pdf import PdfConversionError, PdfUnavailable, convert_files
from .rendering import (  # noqa: F401  (render_document_bytes is part of this module's API)
    ContextError,
    DocumentRenderError,
    parse_date,
    prepare_context,
    render_document_bytes,
    render_template_bytes,
    template_bytes,
)
from .signals import document_issued

logger = logging.getLogger(__name__)

#: Keys the service fills itself; a caller passing them would be typing what must come from data.
SYSTEM_KEYS = ("doc_number",)


# -- numbering -----------------------------------------------------------------------------
def number_prefix(organisation):
    """发文机关代字: the organisation's short name, or its full name when none is set."""
    return (organisation.short_name or organisation.name).strip()


def format_number(prefix, year, seq):
    """``东街党支〔2025〕3号``: 六角括号 around the year, no leading zeros (GB/T 9704 7.2.4)."""
    return f"{prefix}〔{year}〕{seq}号"


def allocate_number(organisation, year):
    """Next number of ``organisation`` in ``year``; call inside the transaction that uses it.

    The sequence row is locked (``select_for_update``) until that transaction ends, so
    concurrent requests queue here and a rollback returns the number: no gaps, no twins.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_number must run inside transaction.atomic()")
    queryset = DocumentNumberSequence.objects.select_for_update()
    try:
        sequence = queryset.get(organisation=organisation, year=year)
    except DocumentNumberSequence.DoesNotExist:
        try:
            with transaction.atomic():
                DocumentNumberSequence.objects.create(organisation=organisation, year=year)
        except IntegrityError:
            pass  # another transaction created it first; lock theirs below
        sequence = queryset.get(organisation=organisation, year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number


# -- creating records --------------------------------------------------------------------
def _pk(obj):
    return getattr(obj, "pk", obj)


def _member_id(member, organisation):
    """The addressee's pk; the member must belong to the issuing organisation or below it."""
    if member is None or member == "":
        return None

    pk = _pk(member)
    found = Member.objects.filter(pk=pk).select_related("organisation").first()
    if found is None:
        raise ContextError(_("收文党员（编号 %(pk)s）不存在。") % {"pk": pk}, "member")
    if not found.organisation.path.startswith(organisation.path):
        raise ContextError(
            _("收文党员“%(member)s”不属于发文组织“%(org)s”。") % {"member": found.name, "org": organisation.name}, "member"
        )
    return found.pk


def _create_document(kind, *, organisation, context, triggered_by=None, process=None, task=None,
                     subject_key=None, bulk_job=None, bulk_index=None, member=None):
    """Validate, number and insert one document record. Must run inside ``transaction.atomic``."""
    spec = get_kind(kind)
    if not isinstance(context, dict):
        raise ContextError(_("公文数据必须是字典（JSON 对象）。"))
    for key in SYSTEM_KEYS:
        if key in context:
            raise ContextError(_("“%(key)s”由系统按组织和年度自动编号，请勿传入。") % {"key": key}, key)
    ctx = dict(context)
    ctx["org_name"] = organisation.name
    if ctx.get("issue_date") in (None, ""):
        ctx["issue_date"] = local_today().isoformat()
    # Validate before numbering, so a bad context never takes (or locks) a number.
    prepare_context(kind, {**ctx, "doc_number": "…"} if spec.numbered else ctx)
    year = parse_date(ctx["issue_date"], "issue_date").year

    previous = None
    if subject_key:
        previous = (
            GeneratedDocument.objects.select_for_update()
            .filter(kind=kind, organisation=organisation, subject_key=subject_key)
            .order_by("-version")
            .first()
        )
    else:
        subject_key = f"auto:{uuid.uuid4().hex}"  # a one-off document: no earlier version
    number = {"document_number": "", "number_year": None, "number_seq": None}
    if spec.numbered:
        if previous is not None and previous.document_number:
            # A new version of the same document keeps its number.
            number = {k: getattr(previous, k) for k in number}
        else:
            seq = allocate_number(organisation, year)
            number = {
                "document_number": format_number(number_prefix(organisation), year, seq),
                "number_year": year,
                "number_seq": seq,
            }
        ctx["doc_number"] = number["document_number"]
    clean, notes = prepare_context(kind, ctx)
    if notes:
        logger.warning("control characters replaced in %s for %s: %s", kind, organisation, notes)
    seal = seals.seal_for(spec, organisation)
    document = GeneratedDocument.objects.create(
        kind=kind,
        organisation=organisation,
        subject_key=subject_key,
        version=previous.version + 1 if previous else 1,
        context=clean,
        sanitised=notes,
        triggered_by=triggered_by if getattr(triggered_by, "is_authenticated", False) else None,
        process_id=_pk(process),
        task_id=_pk(task),
        bulk_job=bulk_job,
        bulk_index=bulk_index,
        member_id=_member_id(member, organisation),
        seal=seal,
        **number,
    )
    if seal is not None:
        seals.record_use(document, triggered_by)
    return document


def request_document(kind, *, organisation, context, triggered_by=None, process=None, task=None,
                     subject_key=None, member=None):
    """Create the document record (and number) now; render it after the caller commits.

    ``subject_key`` names what the document is about (e.g. ``"round:12"``,
    ``"member:55:2025"``); asking again with the same key makes a new version with the same
    发文字号. Without it every request is a separate document. ``process``/``task`` may be
    viewflow objects or their ids. ``member`` (a ``members.Member`` or its pk, of the issuing
    organisation or below) is the member the document is addressed to: that member's own
    user may download it. Raises :class:`ContextError` naming a missing or bad key.
    """
    with transaction.atomic():
        document = _create_document(
            kind, organisation=organisation, context=context, triggered_by=triggered_by,
            process=process, task=task, subject_key=subject_key, member=member,
        )
        document_id = document.pk
        # robust: the caller's step has committed by now; a failure to queue or render is
        # recorded on the document (status "failed") and logged, never raised into the step.
        transaction.on_commit(lambda: _enqueue_render(document_id), robust=True)
    return document


def _enqueue_render(document_id):
    try:
        tasks.render_document.delay(document_id)
    except Exception as exc:  # noqa: BLE001 - broker down, or an eager task failing outside the renderer
        logger.exception("queueing the rendering of document %s failed", document_id)
        record_failure(document_id, _("排队生成失败：%(error)s") % {"error": _describe(exc)})


def _describe(exc):
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def record_failure(document_id, error):
    """Mark a pending document failed with ``error`` (once: a rendered or failed one is left alone).

    Returns True when this call set the outcome. Retry with :func:`regenerate`, which makes
    a new version with the same 发文字号.
    """
    return GeneratedDocument.objects.filter(pk=document_id, status=DocumentStatus.PENDING).update(
        status=DocumentStatus.FAILED, error=str(error)[:4000],
    ) == 1


def regenerate(document, *, context=None, triggered_by=None):
    """A new version of ``document`` (same subject, same number), from new or the same data."""
    base = dict(document.context if context is None else context)
    base.pop("doc_number", None)
    if context is None:
        # Drop values derived from the organisation so a renamed organisation shows its new name.
        old = document.context.get("org_name")
        for key, default in (("signatory", old), ("banner_text", old),
                             ("seal_placeholder", f"（{document.context.get('signatory')}印章）")):
            if base.get(key) == default:
                base.pop(key)
    return request_document(
        document.kind, organisation=document.organisation, context=base,
        triggered_by=triggered_by or document.triggered_by, process=document.process_id,
        task=document.task_id, subject_key=document.subject_key, member=document.member_id,
    )


def stale_cutoff(now=None):
    """Work queued before this moment (``JIFEN_STALE_AFTER_SECONDS`` ago) and not done: its worker most likely died."""
    return (now or timezone.now()) - datetime.timedelta(seconds=int(getattr(settings, "JIFEN_STALE_AFTER_SECONDS", 300)))


def is_stale(document, now=None):
    """Pending since before :func:`stale_cutoff`."""
    return document.status == DocumentStatus.PENDING and document.created_at < stale_cutoff(now)


def retry_failed(document, *, triggered_by=None):
    """A new version of a document whose rendering failed (same subject, same 发文字号, same data);
    a document left pending by a dead worker (:func:`is_stale`) is queued again as it is.

    Refuses, naming the reason, when the document did not fail or was already retried.
    """

    document = GeneratedDocument.objects.get(pk=_pk(document))
    if is_stale(document):
        _enqueue_render(document.pk)
        document.refresh_from_db()
        return document
    if document.status != DocumentStatus.FAILED:
        raise ValidationError(
            _("公文“%(doc)s”状态为“%(status)s”，只有生成失败的公文需要重新生成。")
            % {"doc": document, "status": document.get_status_display()}
        )
    newer = GeneratedDocument.objects.filter(
        kind=document.kind, organisation=document.organisation_id, subject_key=document.subject_key,
        version__gt=document.version,
    ).order_by("-version").first()
    if newer is not None:
        raise ValidationError(
            _("公文“%(doc)s”已重新生成为第 %(v)s 版。") % {"doc": document, "v": newer.version}
        )
    return regenerate(document, triggered_by=triggered_by)


# -- rendering and storing ----------------------------------------------------------------
def store_rendered(document, data):
    """Write the file once, with its sha256, mark the document done (one UPDATE) and add the
    sha256 to the organisation's document chain (:mod:`documents.chain`), all in one transaction."""
    name = document.file.storage.save(
        _document_path(document, f"{document.kind}-{document.pk}-v{document.version}.docx"), ContentFile(data)
    )
    fields = {
        "file": name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
        "status": DocumentStatus.DONE,
        "error": "",
        "rendered_at": timezone.now(),
    }
    try:
        with transaction.atomic():
            if not GeneratedDocument.objects.write_file_once(document.pk, **fields):
                raise ImmutableDocumentError(_("公文 %(id)s 已有文件，不能重复写入。") % {"id": document.pk})
            for key, value in fields.items():
                setattr(document, key, value)
            chain.append(document)
            document_issued.send(sender=GeneratedDocument, document=document)
    except BaseException:
        document.file.storage.delete(name)
        raise
    return document


def render_issued(document):
    """The bytes of ``document`` as issued: its context, its verification code and its seal."""
    seal = seals.seal_image(document.seal) if document.seal_id else None
    return render_template_bytes(template_bytes(document.kind), document.context,
                                 verify_url=links.verify_url(document.pk), seal=seal)


def render_and_store(document_id):
    """Body of the Celery task: render a pending document and store it; failures are recorded."""
    document = GeneratedDocument.objects.select_related("organisation").get(pk=document_id)
    if document.status != DocumentStatus.PENDING:
        return document  # the outcome is set once; a redelivered task (acks_late) must not write again
    try:
        return store_rendered(document, render_issued(document))
    except ImmutableDocumentError:
        document.refresh_from_db()  # another worker stored it first
        return document
    except Exception as exc:  # noqa: BLE001 - any failure is recorded on the document, not lost
        logger.exception("rendering document %s (%s) failed", document_id, document.kind)
        record_failure(document_id, exc if isinstance(exc, (DocumentRenderError, ContextError)) else _describe(exc))
        document.refresh_from_db()
        return document


def read_verified(document):
    """The stored bytes, after checking them against the recorded sha256."""
    if document.status != DocumentStatus.DONE or not document.file:
        raise FileNotFoundError(_("公文尚未生成完成。"))
    with document.file.storage.open(document.file.name, "rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise OSError(_("公文文件校验失败（SHA-256 不一致），可能已被篡改，请联系管理员。"))
    return data


# -- bulk --------------------------------------------------------------------------------
def start_bulk_job(kind, *, organisation, items, triggered_by=None, with_pdf=False):
    """Queue one job rendering ``kind`` for every item; returns the :class:`BulkJob`.

    ``items``: a list of ``{"context": {...}, "subject_key": "member:55:2025", "label": "张红梅",
    "member": 55}`` (``subject_key``, ``label`` and ``member``, the addressee's pk, optional). Bad items do not stop the job: they are listed
    in ``failures`` with the member's label and the reason.
    """
    get_kind(kind)
    if not isinstance(items, list | tuple):
        raise ContextError(_("批量生成的对象必须是列表。"))
    normalised = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("context"), dict):
            raise ContextError(_("第%(n)s个对象缺少 context（公文数据）。") % {"n": i + 1}, "context")
        ctx = item["context"]
        normalised.append({
            "context": ctx,
            "subject_key": item.get("subject_key") or "",
            "label": str(item.get("label") or ctx.get("member_name") or ctx.get("household_name") or i + 1),
            "member": _pk(item.get("member")),
        })
    with transaction.atomic():
        job = BulkJob.objects.create(
            kind=kind, organisation=organisation, items=normalised, total=len(normalised),
            triggered_by=triggered_by if getattr(triggered_by, "is_authenticated", False) else None,
            with_pdf=with_pdf,
        )
        job_id = job.pk
        transaction.on_commit(lambda: _enqueue_bulk(job_id), robust=True)
    return job


def _enqueue_bulk(job_id):
    try:
        tasks.run_bulk_job.delay(job_id)
    except Exception as exc:  # noqa: BLE001 - the request that started the job has committed
        logger.exception("bulk job %s could not be run", job_id)
        BulkJob.objects.filter(pk=job_id).exclude(status=BulkStatus.DONE).update(
            status=BulkStatus.FAILED, finished_at=timezone.now(),
            failures=[{"index": 0, "label": "", "subject_key": "", "error": _describe(exc)}],
        )


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def _zip_name(index, label, suffix):
    return f"{index:05d}-{_UNSAFE.sub('_', label)[:40] or 'item'}.{suffix}"


def _bulk_item(job, index, item):
    """The .docx of item ``index`` of ``job``: issued now, or read back when an earlier delivery
    of the job (a worker killed mid-job, the task redelivered) already issued it. The job row
    is locked for the check, so two deliveries never both issue an item; the item's document
    (``bulk_index``) is the job's progress record."""
    with transaction.atomic():
        BulkJob.objects.select_for_update().filter(pk=job.pk).values_list("pk", flat=True).first()
        issued = GeneratedDocument.objects.filter(bulk_job=job, bulk_index=index).first()
        if issued is not None:
            return read_verified(issued)
        document = _create_document(
            job.kind, organisation=job.organisation, context=item["context"],
            triggered_by=job.triggered_by, subject_key=item.get("subject_key") or None,
            bulk_job=job, bulk_index=index, member=item.get("member"),
        )
        data = render_issued(document)
        store_rendered(document, data)
        return data


def run_bulk(job_id, progress_every=None):
    """Body of the bulk Celery task. Each item is its own transaction: a failure rolls back
    that item's number and record only, is listed, and the loop goes on. Run again (the
    task redelivered after its worker died), it resumes: items already issued are read back
    into the zip, never issued a second time (:func:`_bulk_item`)."""
    job = BulkJob.objects.select_related("organisation").get(pk=job_id)
    if job.status in (BulkStatus.DONE, BulkStatus.FAILED):
        return job
    every = progress_every or getattr(settings, "JIFEN_BULK_PROGRESS_EVERY", 25)
    BulkJob.objects.filter(pk=job.pk).update(status=BulkStatus.RUNNING, heartbeat_at=timezone.now())
    done = failed = 0
    failures = []
    with tempfile.TemporaryDirectory(prefix="jifen-bulk-") as tmp:
        zip_path = Path(tmp) / "bulk.zip"
        docx_dir = Path(tmp) / "docx"
        docx_dir.mkdir()
        written = []
        with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for index, item in enumerate(job.items, start=1):
                try:
                    data = _bulk_item(job, index, item)
                    name = _zip_name(index, item["label"], "docx")
                    archive.writestr(name, data)
                    if job.with_pdf:
                        path = docx_dir / name
                        path.write_bytes(data)
                        written.append(path)
                    done += 1
                except Exception as exc:  # noqa: BLE001 - one member's failure must not stop the rest
                    failed += 1
                    failures.append({"index": index, "label": item["label"],
                                     "subject_key": item.get("subject_key") or "", "error": str(exc)})
                    logger.warning("bulk job %s item %s (%s) failed: %s", job.pk, index, item["label"], exc)
                if index % every == 0:
                    BulkJob.objects.filter(pk=job.pk).update(done=done, failed=failed, failures=failures,
                                                             heartbeat_at=timezone.now())
            pdf_error = ""
            if job.with_pdf and written:
                BulkJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
                try:
                    for pdf in convert_files(written, Path(tmp) / "pdf"):
                        archive.write(pdf, pdf.name)
                except (PdfUnavailable, PdfConversionError) as exc:
                    pdf_error = str(exc)
        with open(zip_path, "rb") as handle:
            job.zip_file.save(f"bulk-{job.pk}-{job.kind}.zip", File(handle), save=False)
    job.done, job.failed, job.failures, job.pdf_error = done, failed, failures, pdf_error
    job.status = BulkStatus.DONE if done or not job.total else BulkStatus.FAILED
    job.finished_at = timezone.now()
    job.save(update_fields=["zip_file", "done", "failed", "failures", "pdf_error", "status", "finished_at"])
    return job


def bulk_progress(job):
    """``{"status", "total", "done", "failed", "processed", "percent", "failures"}`` of a job (or id)."""
    job = BulkJob.objects.get(pk=_pk(job))
    processed = job.done + job.failed
    percent = 100 if job.total == 0 else int(processed * 100 / job.total)
    return {
        "status": job.status,
        "status_display": job.get_status_display(),
        "total": job.total,
        "done": job.done,
        "failed": job.failed,
        "processed": processed,
        "percent": percent,
        "failures": job.failures,
        "zip_ready": bool(job.zip_file),
    }
