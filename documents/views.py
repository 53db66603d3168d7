"""Downloads: permission-checked, streamed from private storage, integrity-checked.

Documents live outside the web root (``PRIVATE_STORAGE_ROOT``); these views are the only way
out. The sha256 recorded at generation is checked before anything is sent, so a file changed
on disk is refused rather than printed and sealed.
"""
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import services
from .models import BulkJob, DocumentStatus, GeneratedDocument
from .pdf import PdfConversionError, PdfUnavailable, convert_bytes
from .permissions import can_regenerate, can_view, can_view_bulk


@login_required
@require_GET
def download(request, pk):
    """The .docx, or with ``?format=pdf`` a PDF converted on the fly (if LibreOffice is installed)."""
    document = get_object_or_404(GeneratedDocument.objects.select_related("organisation"), pk=pk)
    if not can_view(request.user, document):
        raise PermissionDenied(_("您无权查看该公文。"))
    try:
        data = services.read_verified(document)
    except FileNotFoundError as exc:
        raise Http404(str(exc)) from exc
    except OSError as exc:
        return HttpResponse(str(exc), status=500, content_type="text/plain; charset=utf-8")
    name = document.download_name()
    if request.GET.get("format") == "pdf":

        try:
            pdf = convert_bytes({"document": data})["document"]
        except (PdfUnavailable, PdfConversionError) as exc:
            return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
        return FileResponse(io.BytesIO(pdf), as_attachment=True, filename=name[:-5] + ".pdf",
                            content_type="application/pdf")
    return FileResponse(
        io.BytesIO(data), as_attachment=True, filename=name,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


@login_required
@require_GET
def bulk_progress(request, pk):
    """JSON progress of a bulk job, for a page to poll: percentage, counts, failures."""
    job = get_object_or_404(BulkJob, pk=pk)
    if not can_view_bulk(request.user, job):
        raise PermissionDenied(_("您无权查看该批量任务。"))
    return JsonResponse(services.bulk_progress(job), json_dumps_params={"ensure_ascii": False})


@login_required
@require_GET
def bulk_download(request, pk):
    job = get_object_or_404(BulkJob, pk=pk)
    if not can_view_bulk(request.user, job):
        raise PermissionDenied(_("您无权查看该批量任务。"))
    if not job.zip_file:
        raise Http404(_("批量任务尚未完成。"))
    return FileResponse(job.zip_file.storage.open(job.zip_file.name, "rb"), as_attachment=True,
                        filename=f"bulk-{job.pk}-{job.kind}.zip", content_type="application/zip")


@login_required
@require_POST
def retry(request, pk):
    """Render a failed document again, as a new version with the same number; back to ``next``."""
    document = get_object_or_404(GeneratedDocument.objects.select_related("organisation"), pk=pk)
    if not can_regenerate(request.user, document):
        raise PermissionDenied(_("只有发文组织的书记、支委或专人记分员可以重新生成公文。"))
    try:
        new = services.retry_failed(document, triggered_by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        new.refresh_from_db()
        if new.status == DocumentStatus.FAILED:
            messages.error(request, _("重新生成仍然失败：%(e)s") % {"e": new.error})
        elif new.status == DocumentStatus.DONE:
            messages.success(request, _("已重新生成（第 %(v)s 版）。") % {"v": new.version})
        else:
            messages.success(request, _("已重新提交生成（第 %(v)s 版），请稍后刷新。") % {"v": new.version})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "/"
    return redirect(target)
