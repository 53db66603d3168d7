"""The public verification page: ``/verify/<document id or 发文字号>/``.

Anyone holding a printed or digital notice scans its QR code (or types the address) and
sees who issued it, what it is, its date and whether the stored file still matches the
SHA-256 recorded when it was issued and entered in the organisation's document chain
(:mod:`documents.chain`). Uploading a copy checks that copy byte for byte. The page shows
no personal content: issuer, kind, number, version, date and hashes only.
"""
import hashlib

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from . import chain
from .links import board_url
from .models import DocumentChainEntry, DocumentStatus, GeneratedDocument
from .rendering import cn_date

#: Largest file accepted for checking (an issued .docx is tens of kilobytes).
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class CheckForm(forms.Form):
    file = forms.FileField(label=_lazy("要核验的文件"), help_text=_lazy("系统签发的 .docx 原件，10 MB 以内。"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件超过 10 MB，不是系统签发的公文。"), code="too_large")
        digest = hashlib.sha256()
        for block in upload.chunks():
            digest.update(block)
        return digest.hexdigest()


def find_documents(key):
    """The issued versions ``key`` names: a document id, or a 发文字号 (every version of it)."""
    issued = GeneratedDocument.objects.filter(status=DocumentStatus.DONE).select_related("organisation")
    if str(key).isdigit():
        return list(issued.filter(pk=int(key)))
    return list(issued.filter(document_number=key).order_by("organisation__path", "-version"))


def check(document):
    """What the page reports for one document: its chain entry and whether everything matches."""
    entry = DocumentChainEntry.objects.filter(document=document).select_related("document").first()
    problem = chain.check_entry(entry) if entry is not None else ("chain", _("未记入公文哈希链"))
    return {
        "document": document,
        "kind": document.kind_name,  # the public reads the name; the version is shown beside it
        "issue_date": cn_date(document.context.get("issue_date")),
        "entry": entry,
        "ok": problem is None,
        "problem": problem[1] if problem else "",
        "board_url": board_url(document.organisation) if document.kind in ("publicity_notice", "correction_notice")
        else "",
    }


@require_http_methods(["GET", "POST"])
def verify(request, key=None):
    """GET: what ``key`` names and whether its stored file matches; POST a file to compare a copy."""
    documents = find_documents(key) if key is not None else []
    if key is not None and not documents:
        raise Http404(_("没有找到编号为“%(key)s”的已签发公文。") % {"key": key})
    form = CheckForm(request.POST or None, request.FILES or None)
    upload = None
    if request.method == "POST" and form.is_valid():
        digest = form.cleaned_data["file"]
        match = next((d for d in documents if d.sha256 == digest), None)
        issued = match or GeneratedDocument.objects.filter(
            status=DocumentStatus.DONE, sha256=digest).select_related("organisation").order_by("pk").first()
        # A genuine file of another document is that document, named; only an unknown hash may be altered.
        upload = {"sha256": digest, "match": check(issued) if issued else None,
                  "other": issued is not None and match is None and bool(documents)}
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    return render(request, "documents/verify.html", {
        "key": key, "results": [check(d) for d in documents], "form": form, "upload": upload,
    }, status=status)
