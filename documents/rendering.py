"""Turning a kind and its context into .docx bytes.

Three concerns live here, in the order they happen:

1. **The edge** (:func:`prepare_context`): the context is normalised to JSON-safe values
   (it is stored with the document, so it must survive a JSON round trip), control
   characters are cleaned deliberately (see :func:`clean_text`), and the kind's required
   keys, row keys, dates and fixed choices are checked, each failure naming the key.
2. **Rendering** (:func:`render_template_bytes`): docxtpl with ``autoescape=True`` so
   ``A & B <c> "d"`` comes out as written, a ``StrictUndefined`` Jinja environment so a
   misspelt tag fails loudly instead of printing nothing, and the QR code for contexts with
   a ``board_url``.
3. **Finishing** the rendered document (:mod:`documents.finishing`): banner, title breaks,
   the signature kept with the body, the signatory centred over the date and the seal,
   all of which depend on data a static template cannot know.

Template bytes are read once per file version and kept in memory: the benchmark showed the
re-read and re-parse of the zip as a visible share of a small notice's render time.
"""
import copy
import datetime
import io
import logging
import math
import struct
import zlib
from collections import OrderedDict
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import qrcode
from django.conf import settings
from django.utils.translation import gettext as _
from docx import Document
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment, StrictUndefined, TemplateError

from . import layout as L
from .finishing import finish
from .kinds import get_kind
from .kinds.base import quoted
from .kinds.terms import PARTY as PARTY_TERMS

logger = logging.getLogger(__name__)

TEMPLATE_DIR = Path(settings.BASE_DIR) / "templates_docx"

#: Shown in place of a control character that has no meaning in a printed document.
CONTROL_MARKER = "\ufffd"


class ContextError(ValueError):
    """The context given for a kind is unusable; the message names the key (in Chinese)."""

    def __init__(self, message, key=None):
        super().__init__(message)
        self.key = key


class DocumentRenderError(RuntimeError):
    """docxtpl or the template failed; the message says which template and why."""


# -- control characters ------------------------------------------------------------------
# Policy (decided, not accidental):
# * "\r\n" and "\r" become "\n"; docxtpl turns "\n" into a line break (<w:br/>).
# * "\x0b" (vertical tab: Word's manual line break when text is pasted from Word) and
#   "\x0c" (form feed, which docxtpl would turn into a page break) become "\n".
# * "\t" stays a tab.
# * Every other C0/C1 control character (e.g. "\x07", which docxtpl would otherwise turn
#   into a new paragraph, and "\x00", which XML cannot hold at all), and the non-characters
#   U+FFFE/U+FFFF and lone surrogates, become U+FFFD "�" so the reader sees that something
#   was there.
# Every change is recorded (where, which character, what it became) and stored with the
# document, and logged, so nothing vanishes silently.
_LINE_BREAKS = {"\x0b": "\n", "\x0c": "\n"}


def _is_bad(ch):
    o = ord(ch)
    return (
        (o < 0x20 and ch not in "\t\n")
        or 0x7F <= o <= 0x9F
        or 0xD800 <= o <= 0xDFFF
        or o in (0xFFFE, 0xFFFF)
    )


def clean_text(text, where="", notes=None):
    """Return ``text`` with control characters handled as documented above.

    ``notes`` (a list) receives one dict per changed character.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not any(_is_bad(ch) for ch in text):
        return text
    out = []
    for index, ch in enumerate(text):
        if not _is_bad(ch):
            out.append(ch)
            continue
        replacement = _LINE_BREAKS.get(ch, CONTROL_MARKER)
        out.append(replacement)
        if notes is not None:
            notes.append({
                "path": where,
                "index": index,
                "char": f"U+{ord(ch):04X}",
                "replacement": "line break" if replacement == "\n" else "U+FFFD",
            })
    return "".join(out)


def normalise(value, where="", notes=None):
    """JSON-safe copy of ``value`` with every string cleaned; unsupported types are refused."""
    if isinstance(value, str):
        return clean_text(value, where, notes)
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ContextError(_("数据“%(key)s”不是有效数字。") % {"key": where}, where)
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): normalise(v, f"{where}.{k}" if where else str(k), notes) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalise(v, f"{where}[{i}]", notes) for i, v in enumerate(value)]
    raise ContextError(
        _("数据“%(key)s”的类型 %(type)s 不能用于公文，请传入文字、数字、日期、列表或字典。")
        % {"key": where, "type": type(value).__name__},
        where,
    )


# -- filters ------------------------------------------------------------------------------
def parse_date(value, key="date"):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ContextError(
            _("数据“%(key)s”不是有效日期（应为 YYYY-MM-DD）：%(value)s") % {"key": key, "value": value}, key
        ) from None


def cn_date(value):
    """``2025-03-06`` → ``2025年3月6日``: Arabic numerals, no leading zeros (GB/T 9704 7.3.5)."""
    if value in (None, ""):
        return ""
    d = parse_date(value)
    return f"{d.year}年{d.month}月{d.day}日"


_CN_DIGITS = "零一二三四五六七八九十"


def cn_num(value):
    """1 → 一 … 10 → 十; used for 第一季度 and 五星级."""
    n = int(value)
    if not 0 <= n <= 10:
        raise ValueError(f"cn_num supports 0..10, got {value!r}")
    return _CN_DIGITS[n]


def points(value):
    """Decimal points without float noise or trailing zeros: ``'92.50'`` → ``92.5``."""
    if value in (None, ""):
        return ""
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"not a number of points: {value!r}") from None
    if d == 0:
        return "0"
    text = format(d.normalize(), "f")
    if d > 0 and str(value).strip().startswith("+"):
        text = "+" + text  # a signed change (+2 / -1.5) keeps its sign
    return text


def stars(value, of=5):
    """``3`` → ``★★★☆☆``: filled stars out of the scheme's ``of`` (5 or 10)."""
    n = int(value)
    return "★" * n + "☆" * max(0, int(of) - n)


class CachingEnvironment(Environment):
    """docxtpl compiles every XML part of the template with ``from_string`` on every render.

    For a given template that XML is the same each time (user data only enters at render),
    so the compiled Jinja template is cached by its source. Profiling showed compilation
    at about half of a one-page notice's render time; this is what brings the stored
    pipeline to within the benchmark's target of plain docxtpl rendering.
    """

    cache_limit = 256

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._compiled = OrderedDict()

    def from_string(self, source, globals=None, template_class=None):
        if globals or template_class or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        key = (self.autoescape, source)
        template = self._compiled.get(key)
        if template is None:
            template = super().from_string(source)
            self._compiled[key] = template
            if len(self._compiled) > self.cache_limit:
                self._compiled.popitem(last=False)
        return template


FILTERS = {"cn_date": cn_date, "cn_num": cn_num, "points": points, "stars": stars, "quoted": quoted}


def make_environment(cls=CachingEnvironment):
    """The Jinja environment documents render with: autoescaped, strict, with our filters."""
    env = cls(autoescape=True, undefined=StrictUndefined)
    env.filters.update(FILTERS)
    return env


JINJA_ENV = make_environment()


# -- the edge ------------------------------------------------------------------------------
def prepare_context(kind_key, context):
    """Validate and normalise ``context`` for ``kind_key``.

    Returns ``(clean_context, notes)``: the JSON-safe context the document is rendered from
    (and stored with), and the list of control-character replacements made.
    """
    kind = get_kind(kind_key)
    if not isinstance(context, dict):
        raise ContextError(_("公文数据必须是字典（JSON 对象）。"))
    notes = []
    ctx = normalise(context, "", notes)
    label = f"{kind.key}（{kind.description}）"
    for key in kind.all_required:
        # An empty list is data (a new member's card has no entries yet); None or "" is not.
        if key not in ctx or ctx[key] is None or ctx[key] == "":
            raise ContextError(
                _("公文类型 %(kind)s 缺少必填数据：%(key)s") % {"kind": label, "key": key}, key
            )
    for key, row_keys in kind.rows.items():
        rows = ctx.get(key)
        if not isinstance(rows, list):
            raise ContextError(_("公文类型 %(kind)s 的数据 %(key)s 必须是列表。") % {"kind": label, "key": key}, key)
        for i, row in enumerate(rows):
            if not isinstance(row, dict):
                raise ContextError(_("数据 %(key)s 的第%(n)s行必须是字典。") % {"key": key, "n": i + 1}, key)
            for rk in row_keys:
                if rk not in row:
                    where = f"{key}[{i}].{rk}"
                    raise ContextError(
                        _("公文类型 %(kind)s 缺少必填数据：%(key)s") % {"kind": label, "key": where}, where
                    )
    for key in ("issue_date",) + kind.dates:
        if ctx.get(key) not in (None, ""):
            parse_date(ctx[key], key)
    for key, allowed in kind.choices.items():
        if key in ctx and str(ctx[key]) not in {str(a) for a in allowed}:
            raise ContextError(
                _("数据 %(key)s 的值“%(value)s”无效，应为：%(allowed)s")
                % {"key": key, "value": ctx[key], "allowed": "、".join(str(a) for a in allowed)},
                key,
            )
    if kind.terms:  # a context stored before the key existed: a party branch's words
        ctx["terms"] = {**PARTY_TERMS, **(ctx.get("terms") or {})}
    ctx.setdefault("signatory", ctx["org_name"])
    ctx.setdefault("banner_text", ctx["org_name"])
    ctx.setdefault("seal_placeholder", f"（{ctx['signatory']}印章）")
    return ctx, notes


# -- QR code -------------------------------------------------------------------------------
@lru_cache(maxsize=256)
def qr_png(url, box=6, border=2):
    """A PNG of the QR code for ``url``, encoded here with zlib so no imaging library is needed.

    Cached per URL: every notice of one review round points at the same public board.
    """
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=border)
    qr.add_data(url)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    size = len(matrix) * box
    dark, light = b"\x00" * box, b"\xff" * box
    raw = b"".join(
        (b"\x00" + b"".join(dark if cell else light for cell in row)) * box  # filter byte 0 per scanline
        for row in matrix
    )

    def chunk(tag, data):
        body = tag + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 6))
        + chunk(b"IEND", b"")
    )


# -- rendering -----------------------------------------------------------------------------
@lru_cache(maxsize=64)
def _read_template(path, mtime_ns):
    return Path(path).read_bytes()


def template_bytes(kind_key):
    """The template's bytes, cached per file version (path and modification time)."""
    path = TEMPLATE_DIR / get_kind(kind_key).template
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise DocumentRenderError(
            _("公文模板 %(path)s 不存在，请运行 python manage.py build_templates 生成。") % {"path": path}
        ) from None
    return _read_template(str(path), mtime)


@lru_cache(maxsize=64)
def _parsed_template(template):
    """The template parsed once into a python-docx Document (keyed by its bytes).

    Copying the parsed package is about three times faster than unzipping and parsing it
    again; the master copy is never rendered, only copied.
    """
    return Document(io.BytesIO(template))


def render_template_bytes(template, context, *, verify_url=None, seal=None):
    """Render docx ``template`` (bytes) with an already prepared ``context``; return bytes.

    ``verify_url``: the issued document's public verification page, printed as a QR code
    with its address (``None`` for previews and samples: no code). ``seal``: ``(png bytes,
    diameter in mm, height/width)`` of the organisation's seal, pressed over the signatory
    and date; ``None`` keeps the placeholder line. A ``board_url`` in the context (the
    public board) is printed as a QR code where the template has ``{{ qr_code }}``.
    """
    tpl = DocxTemplate(io.BytesIO(template))
    tpl.docx = copy.deepcopy(_parsed_template(template))
    ctx = dict(context)
    ctx["qr_code"] = (
        InlineImage(tpl, io.BytesIO(qr_png(ctx["board_url"])), width=Mm(30)) if ctx.get("board_url") else ""
    )
    ctx["verify_url"] = verify_url
    ctx["verify_qr"] = (
        InlineImage(tpl, io.BytesIO(qr_png(verify_url)), width=Mm(L.VERIFY_QR_MM)) if verify_url else ""
    )
    ctx["verify_caption"] = _("扫码或访问 %(url)s 核验本文件") % {"url": verify_url} if verify_url else ""
    try:
        tpl.render(ctx, jinja_env=JINJA_ENV, autoescape=True)
    except (TemplateError, ValueError, ContextError) as exc:
        raise DocumentRenderError(_("公文模板渲染失败：%(error)s") % {"error": exc}) from exc
    finish(tpl.docx, seal=seal)
    # The template's note to template authors does not belong in an issued document.
    tpl.docx.core_properties.comments = ""
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def render_document_bytes(kind, context):
    """Validate ``context`` for ``kind`` and return the rendered .docx bytes (synchronous).

    The caller supplies ``org_name``, ``issue_date`` and, for numbered kinds, ``doc_number``;
    :func:`documents.services.request_document` fills those from the database instead.
    """
    ctx, notes = prepare_context(kind, context)
    if notes:
        logger.warning("control characters replaced in %s context: %s", kind, notes)
    return render_template_bytes(template_bytes(kind), ctx)


def sample_context(kind):
    """A deep copy of the kind's realistic sample data."""
    return copy.deepcopy(get_kind(kind).sample)
