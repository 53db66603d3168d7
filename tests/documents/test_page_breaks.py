"""Where LibreOffice may break a page or a line (issue 11, the faults a new user's trial found).

* a table's header row keeps its first data rows with it (no page ending on the header and
  one row), and the header repeats; a table ending the body keeps its last row with the
  closing line, so 特此公示。 never stands alone above the signature;
* a line ending with a colon stays with what it introduces (限期整改通知书's ``你存在以下问题：``);
* the tail from the seal to the 版记 is one block, the contact line and QR line included, so a
  long 备案报告 never leaves only the QR line and 印发 on its last page;
* ``2025—2026`` never breaks at its dash.

Each is checked on the XML the finishing step writes and on the PDF LibreOffice makes.
"""
import copy
import re
import shutil
import subprocess

import pytest

from documents import finishing, pdf
from documents import layout as L
from documents.finishing import WORD_JOINER
from documents.gbt9704 import Builder
from documents.kinds import household_card, registration_card
from documents.rendering import prepare_context, render_template_bytes, sample_context, template_bytes

from .docx_helpers import load

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
needs_pdf = pytest.mark.skipif(not (pdf.pdf_available() and shutil.which("pdftotext")),
                               reason="LibreOffice or poppler-utils is not installed")


def _render(kind, *, verify_url="https://jifen.example.org/verify/7/", **changes):
    ctx, _notes = prepare_context(kind, {**copy.deepcopy(sample_context(kind)), **changes})
    return render_template_bytes(template_bytes(kind), ctx, verify_url=verify_url)


def _keeps(p):
    ppr = p.find(W + "pPr")
    return ppr is not None and ppr.find(W + "keepNext") is not None


def _pages(path):
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [["".join(line.split()) for line in page.splitlines() if line.strip()] for page in text.split("\f")]


# -- the XML ------------------------------------------------------------------------------------
def test_the_tail_from_the_seal_to_the_imprint_is_one_block():
    """备案报告 has its contact line between the date and the QR line: it is kept too."""
    doc = load(_render("filing_report"))
    body = list(doc.element.body.iterchildren(W + "p"))
    texts = ["".join(t.text or "" for t in p.iter(W + "t")) for p in body]
    seal = next(i for i, t in enumerate(texts) if "印章" in t)
    tail = [p for p in body[seal:] if p is not body[-1]]
    contact = next(i for i, t in enumerate(texts) if t.startswith("（联系人"))
    assert contact > seal and all(_keeps(p) for p in tail), [texts[i] for i, p in enumerate(body)
                                                                if i >= seal and not _keeps(p)]


def test_a_tables_header_keeps_three_data_rows_and_a_colon_line_keeps_with_the_next():
    ctx = sample_context("publicity_notice")
    ctx["rows"] = [dict(ctx["rows"][0], name=f"成员{i}") for i in range(6)]
    doc = load(_render("publicity_notice", rows=ctx["rows"]))
    rows = doc.tables[0].rows
    # the header with three rows; the last row with the closing line (特此公示。) and the signature
    assert [all(_keeps(p) for c in r.cells for p in c._tc.iter(W + "p")) for r in rows] == [
        True, True, True, False, False, False, True]
    assert finishing.ROWS_WITH_HEADER == 3
    notice = load(_render("rectification_notice"))
    colon = next(p for p in notice.paragraphs if p.text.endswith("你存在以下问题："))
    assert _keeps(colon._p)
    # the problems it introduces are body paragraphs, not headings that would chain to the end
    problems = [p for p in notice.paragraphs if p.text.startswith("（1）")]
    assert problems and all(p.style.name == L.STYLE_BODY for p in problems)


def test_spans_of_years_are_joined_across_their_dash_and_nothing_else_is():
    b = Builder()
    b.body("2025—2026年度；电话0731-85551234；1999—2000；12025—20261")
    doc = load(render_template_bytes(b.to_bytes(), {}))
    text = doc.paragraphs[0].text
    assert text == (f"2025{WORD_JOINER}—{WORD_JOINER}2026年度；电话0731-85551234；"
                    f"1999{WORD_JOINER}—{WORD_JOINER}2000；12025—20261")


# -- the PDF ------------------------------------------------------------------------------------
@needs_pdf
def test_a_long_filing_report_never_leaves_the_tail_alone_on_its_last_page(tmp_path):
    """The 备案报告 lengthened one line at a time through a whole page (22 lines): at every
    length the last page carries body text above the signature, and the QR line and 印发 are
    never alone."""
    furniture = ("印章", "印发", "核验本文件", "联系人", "—")
    sample = sample_context("filing_report")
    paths = []
    for extra in range(23):  # 22 lines to a page (GB/T 9704 5.2.2), and one more
        doc = load(_render("filing_report"))
        anchor = next(p for p in doc.paragraphs if p.text.startswith("特此报告"))
        for i in range(extra):
            filler = copy.deepcopy(anchor._p)
            for t in filler.iter(W + "t"):
                t.text = ""
            next(filler.iter(W + "t")).text = f"补充说明第{i + 1}条，支部按细则逐项核实，并留存佐证材料备查。"
            anchor._p.addprevious(filler)
        path = tmp_path / f"report-{extra:02d}.docx"
        doc.save(path)
        paths.append(path)
    for path, out in zip(paths, pdf.convert_files(paths, tmp_path / "pdf")):
        last = _pages(out)[-1] if _pages(out)[-1] else _pages(out)[-2]
        last = [line for line in last if not re.fullmatch(r"—\d+—", line)]
        body = [line for line in last if not any(mark in line for mark in furniture)
                and line not in (sample["org_name"], "2025年4月3日")]
        assert body, f"{path.name}: the last page holds only {last}"


@needs_pdf
def test_year_spans_never_break_at_the_dash_in_libreoffice(tmp_path):
    """``2025—2026`` set at every offset of a line: LibreOffice never breaks it."""
    b = Builder()
    for n in range(28):
        b.body("党" * n + "2025—2026年度党员积分评定结果，经支部委员会审议通过。")
    src = tmp_path / "spans.docx"
    src.write_bytes(render_template_bytes(b.to_bytes(), {}))
    (out,) = pdf.convert_files([src], tmp_path)
    lines = [line for page in _pages(out) for line in page]
    split = [(a, b) for a, b in zip(lines, lines[1:]) if re.search(r"\d{4}—?$", a) and re.match(r"—?\d{4}", b)]
    assert not split and sum("2025—2026" in line for line in lines) == 28, split


def test_a_date_column_holds_the_widest_date_in_any_face():
    """户积分卡 and 登记卡: a 38 mm 日期 column wrapped ``2026年11月30日`` where the Latin digits
    fall back on a wide face; a date column too narrow for ``2026年12月31日`` fails the build."""
    assert L.cell_width_pt(L.WIDEST_DATE) == pytest.approx((8 * L.LATIN_CELL_EM + 3) * L.TABLE_SIZE_PT)
    with pytest.raises(ValueError, match="2026年12月31日|prints dates"):
        Builder().table(["日期", "事由"], ["{{ e.date|cn_date }}", "{{ e.reason }}"], [38, 118], loop="e in entries")
    Builder().table(["日期", "事由"], ["{{ e.date|cn_date }}", "{{ e.reason }}"], [42, 114], loop="e in entries")
    for kind in (household_card, registration_card):
        doc = load(kind.build_template().to_bytes())
        grid = doc.tables[-1]._tbl.find(W + "tblGrid")
        first = int(grid.find(W + "gridCol").get(W + "w")) / 1440 * 72  # twips → pt
        assert first - L.TABLE_CELL_PADDING_PT >= L.cell_width_pt(L.WIDEST_DATE), kind.SPEC.key
