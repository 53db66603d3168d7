"""Finishing a rendered document: the GB/T 9704-2012 rules that depend on the data.

A static template cannot know how long an organisation's name or a member's name is, how
many lines the body runs to, or whether the organisation has a seal. After docxtpl has
filled the template, :func:`finish` applies, in order:

* the red banner shrunk to fit one line of the 156 mm block (7.2.3);
* titles broken into balanced lines at the break marks of the template (7.3.1: "标题回行时，
  要做到词意完整，排列对称，长短适宜" — words whole, lines balanced, never one character
  alone); see :func:`title_lines`;
* the end of the body kept on the page of the signature (7.3.5.4: the page carrying the
  seal and date carries body text too; here by keep-with-next from the last two body
  paragraphs through the seal, signature, date, verification code and 版记);
* a table's header row kept with its first data rows (:data:`ROWS_WITH_HEADER`), so a page
  never ends on the header and one row; the header repeats on the next page; a table that ends
  the body keeps its last row with the closing line and the signature;
* a line ending with a colon (``你存在以下问题：``) kept with what it introduces;
* a span of years (``2025—2026``) joined across its dash (U+2060 either side), so a line never breaks there;
* the signatory centred over the date (7.3.5.1);
* the seal image, when the organisation has one, pressed over the signatory and date:
  centred on the date, the pair a little below the seal's centre, its top within one line
  of the body (7.3.5.1).

Paragraphs are found by their GB/T style names (:mod:`documents.layout`), read straight
from lxml (python-docx's style lookup cost a quarter of a notice's render time).
"""
import copy
import io
import itertools
import math
import re
import unicodedata

from docx.oxml import parse_xml

from . import layout as L
from .gbt9704 import BREAK, PPR_ORDER, child

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
EMU_PER_PT = 12700


def text_units(text):
    """Width in full-width characters: CJK, full-width and East Asian ambiguous forms (“”—…,
    which Chinese faces set full width) 1, everything else 0.55."""
    return sum(1 if unicodedata.east_asian_width(ch) in "WFA" else 0.55 for ch in text if ch != BREAK)


def _text(p):
    return "".join(t.text or "" for t in p.iter(W + "t"))


def paragraphs_by_style(document, names):
    """``{style name: [w:p elements]}`` for the top-level body paragraphs of those styles."""
    ids = {}
    for style in document.styles.element.iterchildren(W + "style"):
        name = style.find(W + "name")
        if name is not None and name.get(W + "val") in names:
            ids[style.get(W + "styleId")] = name.get(W + "val")
    found = {name: [] for name in names}
    for p in document.element.body.iterchildren(W + "p"):
        style = _style_id(p)
        if style in ids:
            found[ids[style]].append(p)
    return found


def _style_id(p):
    ppr = p.find(W + "pPr")
    ps = ppr.find(W + "pStyle") if ppr is not None else None
    return ps.get(W + "val") if ps is not None else None


# -- banner and signature ---------------------------------------------------------------------
def fit_banner(banners):
    """Shrink the banner so the organisation's name fits on one line of the 156 mm block."""
    width_pt = L.TEXT_WIDTH_MM / 25.4 * 72
    for p in banners:
        units = text_units(_text(p)) or 1
        size = min(L.BANNER_MAX_SIZE_PT, math.floor(width_pt / units - 1))
        size = max(size, L.TITLE_SIZE_PT)  # never smaller than the title; wrap instead
        for r in p.iterchildren(W + "r"):
            sz = r.get_or_add_rPr().get_or_add_sz()
            sz.set(W + "val", str(size * 2))
            szcs = sz.getnext()
            if szcs is None or szcs.tag != W + "szCs":
                szcs = sz.makeelement(W + "szCs", {})
                sz.addnext(szcs)
            szcs.set(W + "val", str(size * 2))
        spacing = p.get_or_add_pPr().get_or_add_spacing()
        spacing.set(W + "line", str(int(size * 1.3 * 20)))
        spacing.set(W + "lineRule", "exact")


def block_width_pt(document):
    """Width of the text block of the document's (only) section, in points."""
    section = document.sections[0]
    return (section.page_width - section.left_margin - section.right_margin) / EMU_PER_PT


def _date_geometry(document, date):
    """``(centre from the block's left edge, width)`` of the date line, in points."""
    width = text_units(_text(date)) * (L.BODY_SIZE_PT + L.CHAR_SPACING_TWIPS / 20)
    return block_width_pt(document) - L.DATE_RIGHT_INDENT_CHARS * L.BODY_SIZE_PT - width / 2, width


def centre_signature(dates, signatures):
    """Centre the signatory (and the seal placeholder) over the date, which is 4 chars from the right."""
    if not dates:
        return
    date_units = text_units(_text(dates[-1]))
    for p in signatures:
        offset = L.DATE_RIGHT_INDENT_CHARS + (date_units - text_units(_text(p))) / 2
        ind = p.get_or_add_pPr().get_or_add_ind()
        ind.set(W + "right", str(max(0, int(offset * L.BODY_SIZE_PT * 20))))


# -- titles -------------------------------------------------------------------------------------
def title_lines(text, capacity=L.TITLE_LINE_UNITS):
    """The lines a title is set in: one line if it fits, else balanced lines broken at ``BREAK``.

    Among every way of breaking at the marks into the fewest lines that fit ``capacity``
    (full-width characters), the most balanced wins (the shortest longest line); among equally
    balanced ones, a shape narrowing downwards (正梯形) is preferred, then the most even. No line is shorter than two
    characters. A single segment too long for a line (a very long name) may break inside,
    but never inside a run of digits or Latin letters.
    """
    plain = text.replace(BREAK, "")
    if text_units(plain) <= capacity:
        return [plain]
    segments = [s for s in text.split(BREAK) if s]
    lines = _best_split(segments, capacity)
    if lines is None:
        lines = _best_split(_characters(plain), capacity)
    return lines or [plain]


def _characters(text):
    """``text`` split into characters, keeping runs of ASCII letters and digits whole."""
    out = []
    for ch in text:
        if out and ch.isascii() and ch.isalnum() and out[-1][-1].isascii() and out[-1][-1].isalnum():
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _best_split(segments, capacity):
    total = text_units("".join(segments))
    for count in range(max(2, math.ceil(total / capacity)), min(len(segments), 6) + 1):
        valid = []
        for cuts in itertools.combinations(range(1, len(segments)), count - 1):
            bounds = (0, *cuts, len(segments))
            lines = ["".join(segments[a:b]) for a, b in itertools.pairwise(bounds)]
            widths = [text_units(line) for line in lines]
            if max(widths) <= capacity and min(widths) >= 2:
                narrowing = all(a >= b for a, b in itertools.pairwise(widths))
                valid.append(((not narrowing, max(widths), max(widths) - min(widths)), lines))
        if valid:
            shortest = min(score[1] for score, _lines in valid)
            # among the most balanced splits, the shape narrowing downwards wins
            return min((v for v in valid if v[0][1] <= shortest), key=lambda v: v[0])[1]
    return None


def break_titles(titles):
    """Set each title paragraph's text as :func:`title_lines`, joined by line breaks."""
    for p in titles:
        runs = list(p.iterchildren(W + "r"))
        if not runs:
            continue
        text = _text(p)
        lines = title_lines(text)
        if BREAK not in text and len(lines) == 1:
            continue
        first = runs[0]
        rpr = first.find(W + "rPr")
        for r in runs:
            p.remove(r)
        for i, line in enumerate(lines):
            run = p.makeelement(W + "r", {})
            if rpr is not None:
                run.append(copy.deepcopy(rpr))
            if i:
                run.append(run.makeelement(W + "br", {}))
            t = run.makeelement(W + "t", {})
            t.text = line
            run.append(t)
            p.append(run)


# -- keeping the signature with the body -----------------------------------------------------
BODY_STYLES = (L.STYLE_BODY, L.STYLE_H1, L.STYLE_H2, L.STYLE_H3, L.STYLE_ADDRESSEE)
TAIL_STYLES = (L.STYLE_SEAL, L.STYLE_SIGNATURE, L.STYLE_DATE, L.STYLE_VERIFY)


def _set_flag(p, tag):
    ppr = p.get_or_add_pPr()
    if ppr.find(W + tag) is None:
        child(ppr, "w:" + tag, PPR_ORDER)


def keep_tail_together(document):
    """Keep the last two body paragraphs, the seal, signatory, date and verification code and
    the 版记 on one page, so no page carries only the signature (GB/T 9704 7.3.5.4)."""
    names = BODY_STYLES + TAIL_STYLES + (L.STYLE_IMPRINT,)
    found = paragraphs_by_style(document, names)
    tail = found[L.STYLE_SEAL] or found[L.STYLE_SIGNATURE]
    if not tail:
        return
    body = document.element.body
    start = tail[0]
    siblings = list(body.iterchildren())
    position = siblings.index(start)
    style_of = {p: name for name, ps in found.items() for p in ps}
    before = []
    for element in reversed(siblings[:position]):
        if element.tag == W + "tbl":
            # a table ends the body: its last row goes with the closing line (特此公示。), so the
            # signature's page carries a row of the table too, never the closing line alone
            rows = list(element.iterchildren(W + "tr"))
            if len(rows) > 1 and rows[-1].find(f"{W}trPr/{W}tblHeader") is None:
                for p in rows[-1].iter(W + "p"):
                    _set_flag(p, "keepNext")
            break
        if element.tag != W + "p":
            break
        if style_of.get(element) in BODY_STYLES and _text(element).strip():
            before.append(element)
            if len(before) == 2:
                break
    chain = list(reversed(before))
    # everything from the seal to the end of the document (the contact line, the verification
    # code, the 版记) is the tail: a line left out would let the page break before it, leaving
    # the QR line and 印发 alone on the last page
    for element in siblings[position:]:
        if element.tag == W + "tbl":
            break
        if element.tag == W + "p":
            chain.append(element)
    for p in chain[:-1]:
        _set_flag(p, "keepNext")
    for p in before:
        _set_flag(p, "widowControl")


# -- tables, colons and spans of years ---------------------------------------------------------
#: Data rows kept on the page of the table's header row: a table split leaves at least these.
ROWS_WITH_HEADER = 3


def keep_table_heads(document):
    """Keep each table's header row with its first :data:`ROWS_WITH_HEADER` data rows (all of
    them when there are no more), by keep-with-next on the paragraphs of the rows before; a
    table that must split then splits later, and its header (``tblHeader``) repeats."""
    for table in document.element.body.iterchildren(W + "tbl"):
        rows = list(table.iterchildren(W + "tr"))
        head = next((i for i, tr in enumerate(rows) if tr.find(f"{W}trPr/{W}tblHeader") is not None), None)
        if head is None:
            continue
        for tr in rows[head:min(head + ROWS_WITH_HEADER, len(rows) - 1)]:
            for p in tr.iter(W + "p"):
                _set_flag(p, "keepNext")


def keep_colon_lines(document):
    """A body line ending with a colon introduces what follows (``你存在以下问题：``): keep
    it with the next paragraph, so no page ends on it."""
    found = paragraphs_by_style(document, BODY_STYLES)
    for p in (p for ps in found.values() for p in ps):
        if _text(p).rstrip().endswith(("：", ":")):
            _set_flag(p, "keepNext")


#: U+2060 WORD JOINER: no line break on either side of the character it stands beside.
WORD_JOINER = "\u2060"
YEAR_SPAN = re.compile(r"(?<!\d)((?:19|20)\d\d)—((?:19|20)\d\d)(?!\d)")


def join_year_spans(document):
    """``2025—2026`` (the one form of a span of years, a 一字线 between) never breaks at its
    dash: word joiners either side, in the body's paragraphs and tables."""
    for t in document.element.body.iter(W + "t"):
        if t.text and YEAR_SPAN.search(t.text):
            t.text = YEAR_SPAN.sub(lambda m: f"{m[1]}{WORD_JOINER}—{WORD_JOINER}{m[2]}", t.text)


# -- the seal -----------------------------------------------------------------------------------
ANCHOR = """<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
 xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:drawing>
<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="251659264" behindDoc="0"
 locked="1" layoutInCell="1" allowOverlap="1">
<wp:simplePos x="0" y="0"/>
<wp:positionH relativeFrom="margin"><wp:posOffset>{x}</wp:posOffset></wp:positionH>
<wp:positionV relativeFrom="paragraph"><wp:posOffset>{y}</wp:posOffset></wp:positionV>
<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>
<wp:docPr id="{id}" name="{name}" descr="{descr}"/>
<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>
<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">
<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="{name}.png"/><pic:cNvPicPr/></pic:nvPicPr>
<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>
<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>
<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>
</a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"""

#: How far the seal's centre sits below the top of the signatory's line, in points: the
#: signatory and date (two lines, centred 29 pt down) sit a little below the centre (7.3.5.1).
SEAL_CENTRE_BELOW_SIGNATURE_PT = 22


def press_seal(document, png, diameter_mm, *, aspect=1.0):
    """Press the seal image over the signatory and date; without a signature block, do nothing.

    The placeholder line ``（…印章）`` gives way to a blank line just tall enough for the
    seal's top to clear the body; the image floats in front of the text (its transparency
    lets the name and date show through), centred on the date.
    """
    found = paragraphs_by_style(document, (L.STYLE_SEAL, L.STYLE_SIGNATURE, L.STYLE_DATE))
    if not (found[L.STYLE_SIGNATURE] and found[L.STYLE_DATE]):
        return False
    radius = diameter_mm / 25.4 * 72 / 2
    for seal in found[L.STYLE_SEAL]:
        for r in list(seal.iterchildren(W + "r")):
            seal.remove(r)
        spacing = seal.get_or_add_pPr().get_or_add_spacing()
        gap = max(L.LINE_SPACING_PT, radius - SEAL_CENTRE_BELOW_SIGNATURE_PT + 2)
        spacing.set(W + "before", "0")
        spacing.set(W + "line", str(int(gap * 20)))
        spacing.set(W + "lineRule", "exact")
    signature = found[L.STYLE_SIGNATURE][0]
    centre, _width = _date_geometry(document, found[L.STYLE_DATE][-1])
    width_pt, height_pt = 2 * radius, 2 * radius * aspect
    rid, _image = document.part.get_or_add_image(io.BytesIO(png))
    xml = ANCHOR.format(
        x=int((centre - width_pt / 2) * EMU_PER_PT),
        y=int((SEAL_CENTRE_BELOW_SIGNATURE_PT - height_pt / 2) * EMU_PER_PT),
        cx=int(width_pt * EMU_PER_PT), cy=int(height_pt * EMU_PER_PT),
        id=9001, name="seal", descr="印章", rid=rid,
    )
    signature.append(parse_xml(xml))
    # the seal's lower edge below the date's line: the next paragraph moves down to clear it
    clear_below_seal(document, SEAL_CENTRE_BELOW_SIGNATURE_PT + height_pt / 2 - 2 * L.LINE_SPACING_PT)
    return True




def float_verification_codes(document):
    """Lift the verification QR code beside the date: it floats at the left margin with its
    bottom on the date's line (left of the signatory and date, which sit at the right), so it
    adds no height to the page carrying the signature. A document without a date (a form)
    keeps it in its own line."""
    dates = paragraphs_by_style(document, (L.STYLE_DATE,))[L.STYLE_DATE]
    if not dates:
        return
    date = dates[-1]
    for p in paragraphs_by_style(document, (L.STYLE_VERIFY,))[L.STYLE_VERIFY]:
        for inline in list(p.iter(WP + "inline")):
            extent = inline.find(WP + "extent")
            cx, cy = int(extent.get("cx")), int(extent.get("cy"))
            blip = next(inline.iter(A + "blip"))
            run = parse_xml(ANCHOR.format(
                x=0, y=int(L.LINE_SPACING_PT * EMU_PER_PT) - cy, cx=cx, cy=cy,
                id=inline.find(WP + "docPr").get("id"), name="verify", descr="核验二维码", rid=blip.get(R + "embed")))
            date.append(run)
            old_run = inline.getparent().getparent()
            old_run.getparent().remove(old_run)


def clear_below_seal(document, overflow_pt):
    """Give the paragraph after the date enough space above it to clear the seal's lower edge."""
    found = paragraphs_by_style(document, (L.STYLE_DATE,))[L.STYLE_DATE]
    if not found or overflow_pt <= 0:
        return
    following = found[-1].getnext()
    if following is not None and following.tag == W + "p":
        spacing = following.get_or_add_pPr().get_or_add_spacing()
        spacing.set(W + "before", str(int(math.ceil(overflow_pt) * 20)))


def finish(document, *, seal=None):
    """Apply every finishing rule to a rendered ``document``; ``seal`` is ``(png, diameter_mm, aspect)``."""
    names = (L.STYLE_BANNER, L.STYLE_TITLE, L.STYLE_DATE, L.STYLE_SIGNATURE, L.STYLE_SEAL)
    found = paragraphs_by_style(document, names)
    fit_banner(found[L.STYLE_BANNER])
    break_titles(found[L.STYLE_TITLE])
    centre_signature(found[L.STYLE_DATE], found[L.STYLE_SIGNATURE] + found[L.STYLE_SEAL])
    keep_table_heads(document)
    keep_colon_lines(document)
    join_year_spans(document)
    keep_tail_together(document)
    float_verification_codes(document)
    if seal is not None:
        png, diameter_mm, aspect = seal
        press_seal(document, png, diameter_mm, aspect=aspect)
