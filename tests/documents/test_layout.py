"""Every kind, rendered from its sample data, read back and checked against GB/T 9704-2012."""
import re

import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

from documents import layout as L
from documents.kinds import KINDS
from documents.rendering import cn_date, qr_png, render_document_bytes, sample_context

from .docx_helpers import (
    all_text_parts,
    body_paragraphs,
    load,
    para_border,
    para_prop,
    part_xml,
    run_prop,
    table_paragraphs,
    text_runs,
)

ALLOWED_FONTS = {L.FONT_TITLE, L.FONT_BODY, L.FONT_H1, L.FONT_H2, L.FONT_PAGE_NUMBER}
H1 = re.compile(r"^[一二三四五六七八九十]+、")
H2 = re.compile(r"^（[一二三四五六七八九十]+）")
H3 = re.compile(r"^(\d+[.．]|（\d+）)")


@pytest.fixture(scope="module")
def rendered():
    return {key: render_document_bytes(key, sample_context(key)) for key in KINDS}


def test_every_kind_has_a_template_and_renders(rendered):
    assert set(rendered) == set(KINDS) == {
        "commendation", "correction_notice", "disposal_approval", "disposal_request", "explanation", "filing_report",
        "household_card", "meeting_record", "objection_answer", "objection_receipt", "probation_cancellation",
        "publicity_notice", "rectification_notice", "redemption_receipt", "registration_card", "result_notice",
        "star_certificate", "summary_table", "talk_notice", "year_end_publicity"}
    for key, data in rendered.items():
        assert data[:2] == b"PK", key


PORTRAIT = sorted(k for k in KINDS if k != "star_certificate")


def test_the_certificate_is_a4_landscape_in_a_red_frame(rendered):
    doc = load(rendered["star_certificate"])
    (section,) = doc.sections
    assert abs(section.page_width - Mm(297)) <= 635 and abs(section.page_height - Mm(210)) <= 635
    assert all(abs(getattr(section, m) - Mm(L.CERT_MARGIN_MM)) <= 635
               for m in ("top_margin", "bottom_margin", "left_margin", "right_margin"))
    borders = section._sectPr.find(qn("w:pgBorders"))
    assert [(b.get(qn("w:val")), b.get(qn("w:color"))) for b in borders] == [("double", L.RED)] * 4
    assert not any(p.text.strip() for p in section.footer.paragraphs)  # a certificate has no page number


@pytest.mark.parametrize("key", PORTRAIT)
def test_page_setup_grid_and_footers(rendered, key):
    data = rendered[key]
    doc = load(data)
    (section,) = doc.sections
    # Word stores twentieths of a point, so a millimetre value is exact to one twip (635 EMU).
    def mm(length, expected):
        return abs(length - Mm(expected)) <= 635

    assert mm(section.page_width, L.PAGE_WIDTH_MM) and mm(section.page_height, L.PAGE_HEIGHT_MM)
    assert mm(section.top_margin, 37)
    assert mm(section.bottom_margin, 35)
    assert mm(section.left_margin, 28)
    assert mm(section.right_margin, 26)
    text_width = section.page_width - section.left_margin - section.right_margin
    assert abs(text_width - Mm(156)) <= 2 * 635

    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    assert grid.get(qn("w:linePitch")) == "579"

    settings = part_xml(data, "word/settings.xml")
    assert "<w:evenAndOddHeaders" in settings and 'w:evenAndOddHeaders w:val="0"' not in settings
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        assert not footer.is_linked_to_previous
        pages = [p for p in footer.paragraphs if p.text.strip()]
        assert len(pages) == 1, key
        p = pages[0]
        assert re.fullmatch(r"— \d+ —", p.text), p.text
        assert para_prop(doc, p, "w:jc", "w:val") == align
        assert "PAGE" in "".join(t.text or "" for t in p._p.iter(qn("w:instrText")))
        for run in text_runs(p):
            assert run_prop(doc, p, run, "w:rFonts", "w:eastAsia") == L.FONT_PAGE_NUMBER
            assert run_prop(doc, p, run, "w:sz") == str(L.PAGE_NUMBER_SIZE_PT * 2)
        # one character (14 pt = 280 twips) in from the edge of the block
        side = "w:right" if align == "right" else "w:left"
        assert para_prop(doc, p, "w:ind", side) == "280"


@pytest.mark.parametrize("key", sorted(KINDS))
def test_fonts_sizes_spacing_and_indents(rendered, key):
    doc = load(rendered[key])
    titles = [p for p in body_paragraphs(doc) if p.style.name == L.STYLE_TITLE]
    certificate = [p.text for p in body_paragraphs(doc) if p.style.name == L.STYLE_CERT_TITLE]
    if key == "star_certificate":  # 荣誉证书 and its stars, in red
        assert not titles and certificate == ["荣誉证书", "★★★★★"]
    else:
        assert len(titles) == 1 and not certificate, key
    seen_body = False
    for p in body_paragraphs(doc):
        if not p.text.strip():
            continue
        style = p.style.name
        assert style in L.STYLE_FONTS, f"{key}: paragraph {p.text[:20]!r} has style {style!r}"
        font, size = L.STYLE_FONTS[style]
        for i, run in enumerate(text_runs(p)):
            east_asia = run_prop(doc, p, run, "w:rFonts", "w:eastAsia")
            if style == L.STYLE_DOC_NUMBER and i > 0 and "签发人" in p.text:
                assert east_asia in (L.FONT_BODY, L.FONT_H2)  # 签发人姓名 in 楷体 (7.2.6)
            else:
                assert east_asia == font, f"{key}: {run.text!r} in {east_asia}, want {font}"
            if size:
                assert run_prop(doc, p, run, "w:sz") == str(int(size * 2)), f"{key}: {run.text!r}"
        if style in L.GRID_STYLES:
            assert para_prop(doc, p, "w:spacing", "w:line") == "579", f"{key}: {p.text[:20]!r}"
            assert para_prop(doc, p, "w:spacing", "w:lineRule") == "exact"
            for run in text_runs(p):
                assert run_prop(doc, p, run, "w:spacing") == "-5", f"{key}: {run.text!r}"
        if style in L.INDENTED_STYLES:
            chars = para_prop(doc, p, "w:ind", "w:firstLineChars")
            twips = para_prop(doc, p, "w:ind", "w:firstLine")
            assert chars == "200" or twips == "640", f"{key}: {p.text[:20]!r} not indented two characters"
        if style in (L.STYLE_BODY, L.STYLE_CERT_BODY):
            seen_body = True
        text = p.text.strip()
        if style in (L.STYLE_BODY, L.STYLE_H1, L.STYLE_H2, L.STYLE_H3):
            first = text_runs(p)[0]
            face = run_prop(doc, p, first, "w:rFonts", "w:eastAsia")
            if H1.match(text):
                assert face == L.FONT_H1, f"{key}: {text[:10]} should be 黑体"
            elif H2.match(text):
                assert face == L.FONT_H2, f"{key}: {text[:10]} should be 楷体_GB2312"
            elif H3.match(text):
                assert face == L.FONT_H3, f"{key}: {text[:10]} should be 仿宋_GB2312"
    assert seen_body, key
    for p in table_paragraphs(doc):
        if p.text.strip():
            assert p.style.name in (L.STYLE_TABLE_TEXT, L.STYLE_TABLE_HEAD), key
            want = L.STYLE_FONTS[p.style.name][0]
            for run in text_runs(p):
                assert run_prop(doc, p, run, "w:rFonts", "w:eastAsia") == want


@pytest.mark.parametrize("key", sorted(KINDS))
def test_east_asian_font_names_everywhere(rendered, key):
    """Every font named anywhere is one of the standard Chinese faces, set in w:eastAsia,
    and no theme font can override them."""
    for name, xml in {**all_text_parts(rendered[key]), "styles": part_xml(rendered[key], "word/styles.xml")}.items():
        for fonts in re.findall(r"<w:rFonts [^>]*/>", xml):
            assert "Theme" not in fonts and "theme" not in fonts, f"{key} {name}: {fonts}"
            faces = set(re.findall(r'w:(?:ascii|hAnsi|eastAsia|cs)="([^"]+)"', fonts))
            assert faces <= ALLOWED_FONTS, f"{key} {name}: {faces - ALLOWED_FONTS}"
            assert "w:eastAsia=" in fonts, f"{key} {name}: {fonts}"


@pytest.mark.parametrize("key", sorted(KINDS))
def test_banner_separator_number_and_date(rendered, key):
    kind = KINDS[key]
    doc = load(rendered[key])
    paragraphs = body_paragraphs(doc)
    banners = [p for p in paragraphs if p.style.name == L.STYLE_BANNER]
    separators = [p for p in paragraphs if p.style.name == L.STYLE_SEPARATOR]
    if kind.banner:
        assert len(banners) == 1 and len(separators) == 1, key
        banner = banners[0]
        assert banner.text == kind.sample["org_name"]
        for run in text_runs(banner):
            assert run_prop(doc, banner, run, "w:color") == L.RED
            assert run_prop(doc, banner, run, "w:rFonts", "w:eastAsia") == L.FONT_TITLE
            size = int(run_prop(doc, banner, run, "w:sz")) / 2
            assert L.TITLE_SIZE_PT <= size <= L.BANNER_MAX_SIZE_PT
            # fits one line of the 156 mm block
            assert size * len(banner.text) <= 156 / 25.4 * 72
        sep = separators[0]
        bottom = para_border(doc, sep, "bottom")
        assert bottom is not None and bottom.get(qn("w:color")) == L.RED and bottom.get(qn("w:val")) == "single"
        # the rule spans the paragraph, whose indents are zero: the full 156 mm block
        assert para_prop(doc, sep, "w:ind", "w:left") in (None, "0")
        assert para_prop(doc, sep, "w:ind", "w:right") in (None, "0")
        assert paragraphs.index(banners[0]) < paragraphs.index(sep)
        number = [p for p in paragraphs if p.style.name == L.STYLE_DOC_NUMBER][0]
        assert kind.sample["doc_number"] in number.text
        assert re.search(r"〔\d{4}〕[1-9]\d*号", number.text)
        if kind.upward:
            assert "签发人：" + kind.sample["signer"] in number.text
    else:
        assert not banners and not separators, key
    full = "\n".join(p.text for p in paragraphs) + "\n".join(p.text for p in table_paragraphs(doc))
    assert not re.search(r"年0\d月|月0\d日", full), key
    assert cn_date(kind.sample["issue_date"]) in full
    dates = [p for p in paragraphs if p.style.name == L.STYLE_DATE]
    if kind.banner:
        assert [p.text for p in dates] == [cn_date(kind.sample["issue_date"])]
        signatures = [p for p in paragraphs if p.style.name == L.STYLE_SIGNATURE]
        assert signatures[0].text == kind.sample["org_name"]
        seals = [p for p in paragraphs if p.style.name == L.STYLE_SEAL]
        assert seals and kind.sample["org_name"] in seals[0].text


@pytest.mark.parametrize("key", sorted(KINDS))
def test_no_template_tags_left(rendered, key):
    for name, xml in all_text_parts(rendered[key]).items():
        assert "{{" not in xml and "{%" not in xml and "}}" not in xml, f"{key} {name}"


@pytest.mark.parametrize("key", sorted(KINDS))
def test_no_table_row_breaks_across_pages_and_no_heading_ends_a_page(rendered, key):
    """Every row of every table (a data row of three lines as well as the header) stays on one
    page, and a heading keeps with the paragraph it heads, as its style says."""
    doc = load(rendered[key])
    for table in doc.tables:
        for row in table.rows:
            trpr = row._tr.trPr
            assert trpr is not None and trpr.find(qn("w:cantSplit")) is not None, (key, [c.text for c in row.cells])
    for name in (L.STYLE_H1, L.STYLE_H2, L.STYLE_H3):
        if name in [s.name for s in doc.styles]:
            assert doc.styles[name].element.pPr.find(qn("w:keepNext")) is not None, (key, name)


def test_publicity_notice_has_window_dates_board_address_and_no_code_in_a_preview(rendered):
    sample = KINDS["publicity_notice"].sample
    doc = load(rendered["publicity_notice"])
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "公示时间：2025年4月10日至2025年4月16日。" in text
    assert f"通过公示栏（{sample['board_url']}）提出" in text
    assert list(doc.element.body.iter(qn("a:blip"))) == []  # a preview is not an issued document: no code


@pytest.mark.parametrize("key", sorted(KINDS))
def test_an_issued_document_carries_the_qr_code_of_its_verification_page(key):
    from documents.rendering import prepare_context, render_template_bytes, template_bytes

    url = "https://jifen.example.org/verify/42/"
    ctx, _notes = prepare_context(key, sample_context(key))
    doc = load(render_template_bytes(template_bytes(key), ctx, verify_url=url))
    blips = list(doc.element.body.iter(qn("a:blip")))
    assert len(blips) == 1, key
    assert doc.part.related_parts[blips[0].get(qn("r:embed"))].blob == qr_png(url)
    assert any(url in p.text for p in doc.paragraphs), key


def test_talk_notice_variants():
    ctx = sample_context("talk_notice")
    ctx["talk_type"] = "诫勉谈话"
    doc = load(render_document_bytes("talk_notice", ctx))
    assert any(p.text == "诫勉谈话通知" for p in doc.paragraphs)


def test_banner_shrinks_for_long_names():
    ctx = sample_context("result_notice")
    def banner_size(name):
        ctx["org_name"] = name
        doc = load(render_document_bytes("result_notice", ctx))
        banner = [p for p in doc.paragraphs if p.style.name == L.STYLE_BANNER][0]
        assert banner.text == name
        return int(banner.runs[0]._r.rPr.find(qn("w:sz")).get(qn("w:val"))) / 2

    name = "中共城关镇东街社区第一党支部委员会"  # 17 characters
    size = banner_size(name)
    assert size < L.BANNER_MAX_SIZE_PT
    assert size * len(name) <= 156 / 25.4 * 72
    assert banner_size("中共东街支部") == L.BANNER_MAX_SIZE_PT
    # Never smaller than the title: a very long name wraps instead of shrinking to nothing.
    assert banner_size("中共某某县某某镇某某村第一经济合作社联合党支部委员会") == L.TITLE_SIZE_PT


def test_filters():
    from documents.rendering import ContextError, cn_num, points, stars

    assert cn_date("2025-03-06") == "2025年3月6日" and cn_date("2025-12-31T10:00:00") == "2025年12月31日"
    with pytest.raises(ContextError, match="不是有效日期"):
        cn_date("2025-3-6x")
    assert [points(v) for v in ("92.50", "100", "+2", "-1.5", "0.00", 7)] == ["92.5", "100", "+2", "-1.5", "0", "7"]
    with pytest.raises(ValueError, match="not a number of points"):
        points("abc")
    assert cn_num(1) == "一" and cn_num(4) == "四" and stars(3) == "★★★☆☆"


def test_empty_lists_render_an_empty_table():
    ctx = sample_context("registration_card")
    ctx["entries"] = []
    doc = load(render_document_bytes("registration_card", ctx))
    assert len(doc.tables[1].rows) == 1  # the header row only
    ctx["entries"] = None
    from documents.rendering import ContextError

    with pytest.raises(ContextError, match="entries"):
        render_document_bytes("registration_card", ctx)


def test_qr_png_is_a_valid_png():
    import struct
    import zlib

    data = qr_png("http://127.0.0.1:8000/board/round/12/")
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, {}
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        tag, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert crc == zlib.crc32(tag + body) & 0xFFFFFFFF, tag
        chunks[tag] = body
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert width == height and depth == 8 and colour == 0 and width % 6 == 0
    pixels = zlib.decompress(chunks[b"IDAT"])
    assert len(pixels) == height * (width + 1)
    assert set(pixels[1:width + 1]) == {255}  # the quiet zone is white
    assert 0 in pixels  # and there are dark modules


def test_the_redemption_receipt_is_signed_at_the_right_like_the_notices(rendered):
    """Trial 5: the 兑换小票's “青石村” stood at the left margin as body text, unlike every notice's
    signature block (the signatory centred over the date at the right)."""
    sample = KINDS["redemption_receipt"].sample
    paragraphs = load(rendered["redemption_receipt"]).paragraphs
    signature = [p for p in paragraphs if p.style.name == L.STYLE_SIGNATURE]
    dates = [p for p in paragraphs if p.style.name == L.STYLE_DATE]
    assert [p.text for p in signature] == [sample["org_name"]]
    assert [p.text for p in dates] == [cn_date(sample["redeemed_on"])]
    assert not [p for p in paragraphs if p.style.name == L.STYLE_BODY and p.text == sample["org_name"]]
    assert int(signature[0]._p.pPr.find(qn("w:ind")).get(qn("w:right"))) > 0  # centred over the date
