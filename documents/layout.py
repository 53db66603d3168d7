"""GB/T 9704-2012 layout constants, shared by the template builder and the layout tests.

Kept free of Django imports: plain numbers (and the measure of a table header against its
column), read by :mod:`documents.gbt9704`, :mod:`documents.finishing` and the tests.
Every number here is quoted from the standard (党政机关公文格式) so a reader can check it
against the text rather than against our memory:

* 7.1 / 5.2.1: A4 paper; 天头 (top margin) 37 mm, 订口 (left) 28 mm, text block 156 × 225 mm,
  which leaves 35 mm at the bottom and 26 mm at the right.
* 5.2.2: 22 lines of 28 characters. 225 mm / 22 lines = 28.95 pt per line, written as an
  exact line spacing of 579 twentieths of a point and a ``w:docGrid type="lines"`` with
  the same pitch. 28 characters of 3号 (16 pt) need 448 pt but the block is 442.2 pt wide,
  so characters are condensed by 0.25 pt (−5 twentieths): 28 × 15.75 pt = 441 pt. Word
  honours the grid; LibreOffice only honours the character spacing, hence both.
* 7.3.1 title 2号小标宋, 7.3.3 body 3号仿宋, headings 黑体 / 楷体 / 仿宋.
* 7.2.3 / 7.2.5: red 发文机关标志 35 mm below the top of the text block and a red
  separator as wide as the text block (156 mm) 4 mm under the 发文字号.
* 7.3.1 a title that breaks keeps words whole and its lines balanced (梯形 or 菱形).
* 7.3.5.1 the seal presses on the signatory and date, which sit a little below its centre.
* 7.5.1 page numbers: 4号 (14 pt) 半角宋体 Arabic numerals between 一字线, odd pages right
  and even pages left, one character in from the edge of the block.
"""

import unicodedata

MM_PER_INCH = 25.4
EMU_PER_MM = 36000
TWIPS_PER_PT = 20

PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGIN_TOP_MM = 37
MARGIN_BOTTOM_MM = 35
MARGIN_LEFT_MM = 28
MARGIN_RIGHT_MM = 26
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 156
TEXT_HEIGHT_MM = PAGE_HEIGHT_MM - MARGIN_TOP_MM - MARGIN_BOTTOM_MM  # 225
# 4号 page number, its top 7 mm below the text block: footer bottom ≈ 35 − 7 − 5.6 mm.
FOOTER_DISTANCE_MM = 22.4
HEADER_DISTANCE_MM = 15

LINE_PITCH_TWIPS = 579  # 28.95 pt, both the exact line spacing and the docGrid pitch
LINE_SPACING_PT = LINE_PITCH_TWIPS / TWIPS_PER_PT
CHAR_SPACING_TWIPS = -5  # −0.25 pt

TITLE_SIZE_PT = 22  # 2号
BODY_SIZE_PT = 16  # 3号
PAGE_NUMBER_SIZE_PT = 14  # 4号
TABLE_SIZE_PT = 12  # 小4号: tables are not fixed by the standard; 12 pt keeps 7 columns legible
BANNER_MAX_SIZE_PT = 36  # shrunk to fit one line for long organisation names
IMPRINT_SIZE_PT = 14  # 版记 4号
VERIFY_SIZE_PT = 10.5  # 五号: the verification line beside its QR code (not part of the standard)
CERT_TITLE_SIZE_PT = 42  # 初号: the certificate's title
CERT_BODY_SIZE_PT = 22  # 二号: the certificate's text

#: Full-width characters on one title line: 156 mm = 442.2 pt of 2号 (22 pt) condensed by 0.25 pt.
TITLE_LINE_UNITS = 20
#: 7.3.5.1: the date ends four characters from the right edge of the block.
DATE_RIGHT_INDENT_CHARS = 4
#: Cell padding of the "Table Grid" style (108 twips each side), in points.
TABLE_CELL_PADDING_PT = 2 * 5.4
#: The verification QR code's side.
VERIFY_QR_MM = 18
#: Certificates: A4 landscape with even 25 mm margins inside a red frame.
CERT_MARGIN_MM = 25

FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_H1 = "黑体"
FONT_H2 = "楷体_GB2312"
FONT_H3 = "仿宋_GB2312"
FONT_PAGE_NUMBER = "宋体"

RED = "FF0000"
SEAL_GREY = "A6A6A6"

# Paragraph style names used in every template. The layout test keys its checks on them,
# and the renderer finds the banner and signature paragraphs by style, not by position.
STYLE_BANNER = "GW Banner"
STYLE_DOC_NUMBER = "GW Doc Number"
STYLE_SEPARATOR = "GW Separator"
STYLE_TITLE = "GW Title"
STYLE_ADDRESSEE = "GW Addressee"
STYLE_BODY = "GW Body"
STYLE_H1 = "GW Heading 1"
STYLE_H2 = "GW Heading 2"
STYLE_H3 = "GW Heading 3"
STYLE_SIGNATURE = "GW Signature"
STYLE_SEAL = "GW Seal"
STYLE_DATE = "GW Date"
STYLE_IMPRINT = "GW Imprint"
STYLE_TABLE_TEXT = "GW Table Text"
STYLE_TABLE_HEAD = "GW Table Head"
STYLE_PAGE_NUMBER = "GW Page Number"
STYLE_FORM_HEADER = "GW Form Header"
STYLE_FIGURE = "GW Figure"
STYLE_VERIFY = "GW Verify"
STYLE_CERT_TITLE = "GW Certificate Title"
STYLE_CERT_BODY = "GW Certificate Body"

#: style → (East Asian font, size in pt) that the layout test demands.
STYLE_FONTS = {
    STYLE_BANNER: (FONT_TITLE, None),  # size depends on the name's length
    STYLE_DOC_NUMBER: (FONT_BODY, BODY_SIZE_PT),
    STYLE_SEPARATOR: (FONT_BODY, None),
    STYLE_TITLE: (FONT_TITLE, TITLE_SIZE_PT),
    STYLE_ADDRESSEE: (FONT_BODY, BODY_SIZE_PT),
    STYLE_BODY: (FONT_BODY, BODY_SIZE_PT),
    STYLE_H1: (FONT_H1, BODY_SIZE_PT),
    STYLE_H2: (FONT_H2, BODY_SIZE_PT),
    STYLE_H3: (FONT_H3, BODY_SIZE_PT),
    STYLE_SIGNATURE: (FONT_BODY, BODY_SIZE_PT),
    STYLE_SEAL: (FONT_BODY, BODY_SIZE_PT),
    STYLE_DATE: (FONT_BODY, BODY_SIZE_PT),
    STYLE_IMPRINT: (FONT_BODY, IMPRINT_SIZE_PT),
    STYLE_TABLE_TEXT: (FONT_BODY, TABLE_SIZE_PT),
    STYLE_TABLE_HEAD: (FONT_H1, TABLE_SIZE_PT),
    STYLE_PAGE_NUMBER: (FONT_PAGE_NUMBER, PAGE_NUMBER_SIZE_PT),
    STYLE_FORM_HEADER: (FONT_BODY, 10.5),
    STYLE_FIGURE: (FONT_BODY, TABLE_SIZE_PT),
    STYLE_VERIFY: (FONT_BODY, VERIFY_SIZE_PT),
    STYLE_CERT_TITLE: (FONT_TITLE, CERT_TITLE_SIZE_PT),
    STYLE_CERT_BODY: (FONT_BODY, CERT_BODY_SIZE_PT),
}

#: Paragraph styles that carry running text and so need the 28.95 pt exact spacing and
#: the −0.25 pt condensing (the 22 × 28 grid).
GRID_STYLES = (
    STYLE_TITLE,
    STYLE_ADDRESSEE,
    STYLE_BODY,
    STYLE_H1,
    STYLE_H2,
    STYLE_H3,
    STYLE_SIGNATURE,
    STYLE_SEAL,
    STYLE_DATE,
    STYLE_DOC_NUMBER,
)
#: Styles indented by two characters on the first line (正文 and the headings, 7.3.3).
INDENTED_STYLES = (STYLE_BODY, STYLE_H1, STYLE_H2, STYLE_H3)


def header_width_pt(text):
    """Width of a table header line in points: 小四号 黑体, condensed by 0.25 pt."""
    units = sum(1 if unicodedata.east_asian_width(ch) in "WFA" else 0.55 for ch in text)
    return units * (TABLE_SIZE_PT + CHAR_SPACING_TWIPS / 20)


def check_header_widths(headers, widths_mm):
    """Raise ValueError naming a header line wider than its column (less the cell padding)."""
    for header, width in zip(headers, widths_mm):
        room = width / 25.4 * 72 - TABLE_CELL_PADDING_PT
        for line in header.split("\n"):
            if "{" not in line and header_width_pt(line) > room:
                raise ValueError(f"table header {line!r} needs {header_width_pt(line):.1f} pt, "
                                 f"its {width} mm column holds {room:.1f} pt")


#: The widest date a table cell prints (``cn_date``: two-digit month and day).
WIDEST_DATE = "2026年12月31日"
#: Width of an ASCII digit or letter in a table cell, in ems, as the widest face that may set it:
#: a Chinese face without Latin glyphs falls back on one (DejaVu Sans: 0.64 em).
LATIN_CELL_EM = 0.65


def cell_width_pt(text):
    """Width of a table cell's text in points (小四号), the Latin letters and digits counted at
    :data:`LATIN_CELL_EM` and no condensing, so a cell that fits here fits whatever face sets it."""
    units = sum(1 if unicodedata.east_asian_width(ch) in "WFA" else LATIN_CELL_EM for ch in text)
    return units * TABLE_SIZE_PT


def check_date_cells(cells, widths_mm):
    """Raise ValueError naming a column whose cell prints a date (``|cn_date``) and cannot hold
    :data:`WIDEST_DATE` on one line."""
    for cell, width in zip(cells, widths_mm):
        room = width / 25.4 * 72 - TABLE_CELL_PADDING_PT
        if "|cn_date" in cell and cell_width_pt(WIDEST_DATE) > room:
            raise ValueError(f"table cell {cell!r} prints dates of {cell_width_pt(WIDEST_DATE):.1f} pt, "
                             f"its {width} mm column holds {room:.1f} pt")
