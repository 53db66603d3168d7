"""GB/T 9704 rules applied after rendering, checked on the .docx and on LibreOffice's PDF.

* 7.3.1 titles: words whole, lines balanced, never one character alone (``title_lines``);
* 7.3.5 the page that carries the seal and date carries body text: for every length of
  body from half a page to two pages, line by line, the PDF's signature page has body lines;
* table header cells hold their words on one line.
"""
import shutil
import subprocess

import pytest

from documents import pdf
from documents.finishing import BREAK, text_units, title_lines
from documents.gbt9704 import Builder, check_header_widths
from documents.kinds import KINDS
from documents.rendering import render_document_bytes, sample_context

from .docx_helpers import load

needs_pdf = pytest.mark.skipif(not (pdf.pdf_available() and shutil.which("pdftotext")),
                               reason="LibreOffice or poppler-utils is not installed")


def _t(*segments):
    return BREAK.join(segments)


@pytest.mark.parametrize("segments, expected", [
    # fits: one line, marks removed
    (("关于表彰", "2025年度", "优秀共产党员", "的决定"), ["关于表彰2025年度优秀共产党员的决定"]),
    # 21.2 characters: two lines, the break between words, not "…的公" / "示"
    (("关于", "2025—2026年度", "党员积分评定结果", "的公示"), ["关于2025—2026年度", "党员积分评定结果的公示"]),
    (("关于", "同意对", "欧阳建国同志", "作出劝其退党处置", "的批复"), ["关于同意对欧阳建国同志", "作出劝其退党处置的批复"]),
    (("关于", "2025年第一季度", "积分公示期间", "异议处理情况", "的说明"),
     ["关于2025年第一季度", "积分公示期间异议处理情况的说明"]),
])
def test_titles_break_between_words_into_balanced_lines(segments, expected):
    lines = title_lines(_t(*segments))
    assert lines == expected
    assert all(text_units(line) <= 20 and len(line) >= 2 for line in lines)
    if len(lines) == 2:
        assert abs(text_units(lines[0]) - text_units(lines[1])) <= 6


def test_a_title_never_leaves_one_character_alone():
    # 21 characters with a break mark only before the last one: it may not be used
    lines = title_lines(_t("关于某某某某某某某某某某某某某某某某的通", "知"))
    assert all(len(line) >= 2 for line in lines) and "".join(lines) == "关于某某某某某某某某某某某某某某某某的通知"
    # a name too long for any line is broken inside, but never inside a run of digits
    lines = title_lines(_t("关于", "中共某某县某某镇某某村第一经济合作社联合党支部委员会2025年度", "工作的报告"))
    assert all(text_units(line) <= 20 and len(line) >= 2 for line in lines)
    assert any("2025" in line for line in lines)


def test_header_widths_are_checked_when_a_template_is_built():
    with pytest.raises(ValueError, match="申报分值"):
        check_header_widths(["申报分值"], [18])
    check_header_widths(["申报分值", "原公示\n分值"], [21, 20])
    with pytest.raises(ValueError):
        Builder().table(["姓名", "申报分值"], ["", ""], [60, 18])


def _pages(path):
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [[line.strip() for line in page.splitlines() if line.strip()] for page in out.split("\f")]


FURNITURE = ("印章", "印发", "核验本文件", "—")


@needs_pdf
def test_no_page_carries_only_the_seal_date_and_imprint(tmp_path):
    """The result notice with a remark from 0 to 60 lines long: wherever the page breaks, the
    page with the date has body text on it."""
    paths = []
    for lines in range(0, 61, 2):
        ctx = sample_context("result_notice")
        ctx["remark"] = "党" * (28 * lines - 2) + "。" if lines else ""
        path = tmp_path / f"notice{lines:02d}.docx"
        path.write_bytes(render_document_bytes("result_notice", ctx))
        paths.append(path)
    date, signatory = "2026年1月15日", KINDS["result_notice"].sample["org_name"]
    for path, out in zip(paths, pdf.convert_files(paths, tmp_path / "pdf")):
        pages = _pages(out)
        (page,) = [p for p in pages if any("".join(line.split()) == date for line in p)]
        body = [line for line in page if "".join(line.split()) not in (date, signatory)
                and not any(mark in line for mark in FURNITURE)]
        assert body, f"{path.name}: {page}"


@needs_pdf
def test_sample_pdfs_set_titles_as_broken_and_headers_on_one_line(tmp_path):
    paths = []
    for key in KINDS:
        ctx = sample_context(key)
        if "member_name" in ctx:
            ctx["member_name"] = "欧阳建国"
        path = tmp_path / f"{key}.docx"
        path.write_bytes(render_document_bytes(key, ctx))
        paths.append(path)
    for path, out in zip(paths, pdf.convert_files(paths, tmp_path / "pdf")):
        doc = load(path.read_bytes())
        squeezed = ["".join(line.split()) for page in _pages(out) for line in page]
        for title in (p for p in doc.paragraphs if p.style.name == "GW Title"):
            for line in title.text.split("\n"):
                assert "".join(line.split()) in squeezed, (path.stem, line)
        for table in doc.tables:
            for cell in table.rows[0].cells:
                for line in cell.text.split("\n"):
                    word = "".join(line.split())
                    assert any(word in s for s in squeezed), (path.stem, word)


@needs_pdf
def test_the_seal_presses_on_signatory_and_date_on_the_pdf(tmp_path):
    """The seal image (40 mm) is centred on the date, the signatory and date lie inside it a
    little below its centre, and it does not cover the body above (GB/T 9704 7.3.5.1)."""
    import re

    from documents.rendering import prepare_context, render_template_bytes, template_bytes

    from .seal_png import seal_png

    ctx, _notes = prepare_context("result_notice", sample_context("result_notice"))
    src = tmp_path / "sealed.docx"
    src.write_bytes(render_template_bytes(template_bytes("result_notice"), ctx, seal=(seal_png(400), 40, 1.0)))
    (out,) = pdf.convert_files([src], tmp_path)
    pages = _pages(out)
    number = next(i for i, p in enumerate(pages, start=1) if any("".join(line.split()) == "2026年1月15日" for line in p))
    bbox = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), "-bbox", str(out), "-"],
                          capture_output=True, text=True, check=True).stdout
    words = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]+)</word>', bbox)]
    signatory = [w for w in words if w[4] == KINDS["result_notice"].sample["org_name"]][0]
    date = [w for w in words if signatory[3] < w[1] < signatory[3] + 20]  # the line under the signatory
    assert "".join(w[4] for w in date) == "2026年1月15日"
    body_bottom = max(w[3] for w in words if w[4].startswith("特此通知"))
    date_box = (min(w[0] for w in date), min(w[1] for w in date), max(w[2] for w in date), max(w[3] for w in date))
    dpi = 72  # one pixel per point: the PDF's coordinates
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(number), "-l", str(number), str(out), str(tmp_path / "p")],
                   check=True)
    (ppm,) = tmp_path.glob("p*.ppm")
    magic, w, h, _max, pixels = ppm.read_bytes().split(maxsplit=4)
    w, h = int(w), int(h)
    red = [(i % w, i // w) for i in range(w * h)
           if pixels[3 * i] > 170 and pixels[3 * i + 1] < 110 and pixels[3 * i + 2] < 110]
    assert red, "no seal on the signature page"
    left, right = min(x for x, _ in red), max(x for x, _ in red)
    top, bottom = min(y for _, y in red), max(y for _, y in red)
    mm = 72 / 25.4
    assert abs((right - left) - 40 * mm) < 3 * mm and abs((bottom - top) - 40 * mm) < 3 * mm
    centre_x, centre_y = (left + right) / 2, (top + bottom) / 2
    assert abs(centre_x - (date_box[0] + date_box[2]) / 2) < 3 * mm  # centred on the date
    assert top <= signatory[1] and date_box[3] <= bottom  # signatory and date inside the seal
    assert (signatory[1] + date_box[3]) / 2 > centre_y  # the pair sits below the seal's centre
    assert top >= body_bottom - 2 * mm  # the seal starts at the body's last line, not over it
    assert top - body_bottom < 10 * mm  # ... and within a line of it
