"""Evidence files: recognised by their content (magic bytes), never by name or header."""
import hashlib

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import ReviewErrorCode as Code
from .errors import error


def megabytes(size):
    """A file size for people: ``9 KB``, ``0.3 MB``, ``12 MB`` (one decimal below 10 MB; KB under 1 MB)."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB" if size else "0 KB"
    mb = size / (1024 * 1024)
    return f"{mb:.1f} MB" if mb < 10 else f"{mb:.0f} MB"

#: ISO-BMFF brands that mean a HEIC/HEIF still image (phone photos).
_HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}


def sniff_content_type(head: bytes):
    """The evidence content type for the first bytes of a file, or None when not accepted."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in _HEIC_BRANDS:
        return "image/heic"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def read_checked(uploaded):
    """Read an uploaded file, enforcing the size limit and the content check.

    Returns ``(data, content_type, sha256)``; raises ValidationError on the ``evidence`` field,
    in Chinese naming the problem, with code ``evidence_too_large``, ``evidence_empty`` or
    ``evidence_type_not_accepted``.
    """
    limit = settings.JIFEN_EVIDENCE_MAX_BYTES
    name = getattr(uploaded, "name", "") or ""
    size = getattr(uploaded, "size", None)
    if size is not None and size > limit:
        raise error("evidence", Code.EVIDENCE_TOO_LARGE, _("文件“%(name)s”大小为 %(size)s，超过上限 %(limit)s。"),
                    name=name, size=megabytes(size), limit=megabytes(limit))
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise error("evidence", Code.EVIDENCE_TOO_LARGE, _("文件“%(name)s”超过大小上限 %(limit)s。"),
                    name=name, limit=megabytes(limit))
    if not data:
        raise error("evidence", Code.EVIDENCE_EMPTY, _("文件“%(name)s”是空文件。"), name=name)
    content_type = sniff_content_type(data[:32])
    if content_type is None:
        raise error(
            "evidence", Code.EVIDENCE_TYPE_NOT_ACCEPTED,
            _("文件“%(name)s”不是可接受的格式：佐证材料只接受 JPEG、PNG、WebP、HEIC 图片或 PDF 文件（按文件内容识别，不看扩展名）。"),
            name=name,
        )
    return data, content_type, hashlib.sha256(data).hexdigest()
