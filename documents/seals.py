"""Seals (印章): upload an organisation's seal image, press it on notices, log every use.

* :func:`upload_seal` — the organisation's secretary uploads a PNG with transparency (the
  paper shows through everything but the red ink); the previous seal is retired.
* :func:`seal_for` — the seal a new document of a signed kind gets: the issuing
  organisation's current one, or none (the notice keeps its ``（…印章）`` placeholder).
* :func:`record_use` — 用印登记: document, number, who, when; written in the transaction
  that creates the document, so the log and the documents never disagree.

PNG is read here (its IHDR and tRNS chunks), with no imaging library: colour type 4 or 6
(grey or RGB with alpha) or a ``tRNS`` chunk (a transparent palette entry or colour).
"""
import hashlib
import struct
import zlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.models import RoleKind
from organisations.permissions import require

from .models import Seal, SealUse

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: Largest seal file accepted, and the pixel range: at 40 mm, 300–2400 px is 190–1500 dpi.
MAX_BYTES = 2 * 1024 * 1024
MIN_PIXELS, MAX_PIXELS = 200, 4000
#: Seal diameters allowed, in mm (党组织印章 are 38–45 mm; 2 mm either side for scans).
MIN_DIAMETER_MM, MAX_DIAMETER_MM = 30, 50
#: Who may upload an organisation's seal.
SEAL_KEEPERS = (RoleKind.SECRETARY,)


def _invalid(message, code, **params):
    return ValidationError({"image": ValidationError(message, code=code, params=params or None)})


def png_info(data):
    """``(width, height, has_transparency)`` of PNG ``data``; ValidationError (field ``image``) otherwise."""
    if not data.startswith(PNG_SIGNATURE):
        raise _invalid(_("印章图片必须是 PNG 文件。"), "seal_not_png")
    pos, width, height, colour, transparent = 8, None, None, None, False
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        tag = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        crc = data[pos + 8 + length:pos + 12 + length]
        if len(body) != length or len(crc) != 4 or struct.unpack(">I", crc)[0] != zlib.crc32(tag + body) & 0xFFFFFFFF:
            raise _invalid(_("印章图片已损坏（PNG 数据校验失败）。"), "seal_corrupt")
        if tag == b"IHDR":
            width, height, _depth, colour = struct.unpack(">IIBB", body[:10])
        elif tag == b"tRNS":
            transparent = True
        elif tag == b"IEND":
            break
        pos += 12 + length
    if width is None:
        raise _invalid(_("印章图片已损坏（缺少 PNG 文件头）。"), "seal_corrupt")
    return width, height, transparent or colour in (4, 6)


def validate_seal_image(data):
    """Check an uploaded seal; returns ``(width, height)``. Errors name the field ``image``."""
    if len(data) > MAX_BYTES:
        raise _invalid(_("印章图片不能超过 %(mb)s MB。"), "seal_too_large", mb=MAX_BYTES // (1024 * 1024))
    width, height, transparent = png_info(data)
    if not transparent:
        raise _invalid(_("印章图片须为透明背景的 PNG（带 Alpha 通道），否则会遮住署名和日期。"),
                       "seal_not_transparent")
    if not (MIN_PIXELS <= min(width, height) and max(width, height) <= MAX_PIXELS):
        raise _invalid(_("印章图片为 %(w)s×%(h)s 像素，应在 %(lo)s 到 %(hi)s 像素之间。"), "seal_bad_size",
                       w=width, h=height, lo=MIN_PIXELS, hi=MAX_PIXELS)
    if max(width, height) > 1.2 * min(width, height):
        raise _invalid(_("印章图片应近似正方形（当前 %(w)s×%(h)s 像素），请裁去多余的空白。"), "seal_not_square",
                       w=width, h=height)
    return width, height


def upload_seal(organisation, data, by, *, diameter_mm=40):
    """Store ``data`` (PNG bytes) as ``organisation``'s seal and retire the previous one.

    Only the organisation's secretary may. Raises ValidationError with field ``image`` (see
    :func:`validate_seal_image`) or ``diameter_mm`` (code ``seal_bad_diameter``).
    """
    require(by, organisation, SEAL_KEEPERS)
    try:
        diameter_mm = int(diameter_mm)
    except (TypeError, ValueError):
        diameter_mm = 0
    if not MIN_DIAMETER_MM <= diameter_mm <= MAX_DIAMETER_MM:
        raise ValidationError({"diameter_mm": ValidationError(
            _("印章直径应在 %(lo)s 到 %(hi)s 毫米之间。"), code="seal_bad_diameter",
            params={"lo": MIN_DIAMETER_MM, "hi": MAX_DIAMETER_MM})})
    width, height = validate_seal_image(data)
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        Seal.objects.select_for_update().filter(organisation=organisation, retired_at__isnull=True).update(
            retired_at=timezone.now())
        seal = Seal(organisation=organisation, sha256=digest, width_px=width, height_px=height,
                    diameter_mm=diameter_mm, uploaded_by=by)
        seal.image.save(f"{digest}.png", ContentFile(data), save=False)
        seal.save()
    return seal


def current_seal(organisation):
    """The organisation's seal in use, or ``None``."""
    return Seal.objects.filter(organisation=organisation, retired_at__isnull=True).order_by("-uploaded_at", "-pk").first()


def seal_for(kind, organisation):
    """The seal a new document of ``kind`` (a :class:`~documents.kinds.DocumentKind`) gets, or ``None``."""
    return current_seal(organisation) if kind.signed else None


def record_use(document, by=None):
    """用印登记 for ``document`` (which has a seal): one append-only row."""
    return SealUse.objects.create(
        seal_id=document.seal_id, document=document, kind=document.kind,
        document_number=document.document_number, version=document.version,
        used_by=by if getattr(by, "is_authenticated", False) else None,
    )


def seal_image(seal):
    """``(png bytes, diameter in mm, height/width)`` of ``seal``, as the renderer presses it; checked
    against the SHA-256 recorded at upload (a changed file is refused with OSError)."""
    with seal.image.storage.open(seal.image.name, "rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != seal.sha256:
        raise OSError(_("印章图片校验失败（SHA-256 不一致），可能已被替换，请重新上传。"))
    return data, seal.diameter_mm, seal.height_px / seal.width_px


def seal_log(organisation):
    """用印登记 of ``organisation``'s seals, newest first."""
    return SealUse.objects.filter(seal__organisation=organisation).select_related("used_by", "document", "seal")
