"""Build every .docx template in this folder from code, so the templates are reproducible.

Run from the project root::

    .venv/bin/python templates_docx/build_templates.py

Why a script instead of hand-edited Word files: the GB/T 9704-2012 layout (margins, the
28.95 pt line grid, −0.25 pt condensing, East Asian font names, odd/even page numbers) is
easy to lose by one careless edit in Word and invisible in a diff of a binary file. Here
each property is set once, in a named style, and a change to the layout is a reviewed
change to this file followed by a rebuild. The Jinja tags (docxtpl syntax) are written each
in a single run so Word's run-splitting cannot break them.

Template authors may still open the generated files in Word to preview them; they should
change this script, not the .docx, and rebuild.
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from docx import Document  # noqa: E402
from docx.enum.style import WD_STYLE_TYPE  # noqa: E402
from docx.enum.table import WD_TABLE_ALIGNMENT  # noqa: E402
from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: E402
from docx.oxml import OxmlElement  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Mm, Pt  # noqa: E402

from documents import layout as L  # noqa: E402

RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
    "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid",
    "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz",
    "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign",
    "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath",
)
PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
    "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
    "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE",
    "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
    "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
    "w:sectPr", "w:pPrChange",
)


def child(parent, tag, order, **attrs):
    """Get or create ``tag`` under ``parent`` at its schema position; set ``attrs`` (w: names)."""
    el = parent.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        later = order[order.index(tag) + 1:]
        for i, sibling in enumerate(parent):
            if sibling.tag in {qn(t) for t in later}:
                parent.insert(i, el)
                break
        else:
            parent.append(el)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), str(value))
    return el


def set_rpr(rpr, font=None, size_pt=None, color=None, char_spacing=None, bold=None):
    if font:
        fonts = child(rpr, "w:rFonts", RPR_ORDER)
        for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{theme}"), None)
        for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
            fonts.set(qn(f"w:{slot}"), font)
    if bold is not None:
        child(rpr, "w:b", RPR_ORDER, val="1" if bold else "0")
    if color:
        child(rpr, "w:color", RPR_ORDER, val=color)
    if char_spacing is not None:
        child(rpr, "w:spacing", RPR_ORDER, val=char_spacing)
    if size_pt:
        child(rpr, "w:sz", RPR_ORDER, val=int(size_pt * 2))
        child(rpr, "w:szCs", RPR_ORDER, val=int(size_pt * 2))


def set_ppr(ppr, *, line_twips=None, exact=True, before_pt=0, after_pt=0, snap=True,
            first_line_chars=None, first_line_pt=None, left_twips=0, right_twips=0, jc=None):
    """Paragraph properties; spacing and indents are always written whole, never partially."""
    if not snap:
        child(ppr, "w:snapToGrid", PPR_ORDER, val="0")
    spacing = {"before": int(before_pt * 20), "after": int(after_pt * 20)}
    if line_twips:
        spacing.update(line=line_twips, lineRule="exact" if exact else "auto")
    child(ppr, "w:spacing", PPR_ORDER, **spacing)
    ind = {"left": left_twips, "right": right_twips}
    if first_line_chars:
        ind.update(firstLineChars=first_line_chars, firstLine=int(first_line_pt * 20))
    else:
        ind.update(firstLine=0)
    child(ppr, "w:ind", PPR_ORDER, **ind)
    if jc:
        child(ppr, "w:jc", PPR_ORDER, val=jc)


class Builder:
    """One template under construction, with the GB/T 9704 page set-up and styles."""

    def __init__(self, *, form_header=False):
        self.doc = Document()
        self._page_setup()
        self._styles()
        self._footers(form_header)
        self._prune_styles()
        self._drop_unused_parts()
        body = self.doc.element.body
        for p in list(body.iterchildren(qn("w:p"))):  # the default empty paragraph
            body.remove(p)

    # -- page, grid, footers ------------------------------------------------------------
    def _page_setup(self):
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(L.PAGE_WIDTH_MM), Mm(L.PAGE_HEIGHT_MM)
        section.top_margin, section.bottom_margin = Mm(L.MARGIN_TOP_MM), Mm(L.MARGIN_BOTTOM_MM)
        section.left_margin, section.right_margin = Mm(L.MARGIN_LEFT_MM), Mm(L.MARGIN_RIGHT_MM)
        section.header_distance = Mm(L.HEADER_DISTANCE_MM)
        section.footer_distance = Mm(L.FOOTER_DISTANCE_MM)
        grid = section._sectPr.find(qn("w:docGrid"))
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(L.LINE_PITCH_TWIPS))
        self.doc.settings.odd_and_even_pages_header_footer = True

    def _styles(self):
        styles = self.doc.styles
        defaults = styles.element.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        set_rpr(rpr, font=L.FONT_BODY, size_pt=L.BODY_SIZE_PT, char_spacing=L.CHAR_SPACING_TWIPS)
        lang = rpr.find(qn("w:lang"))
        if lang is not None:
            lang.set(qn("w:eastAsia"), "zh-CN")
        normal = styles["Normal"]
        set_rpr(normal.element.get_or_add_rPr(), font=L.FONT_BODY, size_pt=L.BODY_SIZE_PT,
                char_spacing=L.CHAR_SPACING_TWIPS)
        normal_ppr = normal.element.get_or_add_pPr()
        set_ppr(normal_ppr, line_twips=L.LINE_PITCH_TWIPS)
        # No automatic extra space between Chinese and Latin/digits: "2025年" not "2025 年".
        child(normal_ppr, "w:autoSpaceDE", PPR_ORDER, val="0")
        child(normal_ppr, "w:autoSpaceDN", PPR_ORDER, val="0")

        grid = dict(line_twips=L.LINE_PITCH_TWIPS)
        indent = dict(first_line_chars=200, first_line_pt=2 * L.BODY_SIZE_PT)
        two_lines = 2 * L.LINE_SPACING_PT
        C, R, J = "center", "right", "both"
        specs = {
            L.STYLE_BANNER: dict(color=L.RED, ppr=dict(line_twips=int(L.BANNER_MAX_SIZE_PT * 1.3 * 20),
                                                       before_pt=35 / 25.4 * 72,  # 7.2.3: 35 mm below the block's top
                                                       snap=False, jc=C)),
            L.STYLE_DOC_NUMBER: dict(ppr=dict(**grid, before_pt=two_lines, jc=C)),
            L.STYLE_SEPARATOR: dict(ppr=dict(line_twips=int(4 / 25.4 * 72 * 20), snap=False)),
            L.STYLE_TITLE: dict(ppr=dict(**grid, jc=C)),
            L.STYLE_ADDRESSEE: dict(ppr=dict(**grid, jc=J)),
            L.STYLE_BODY: dict(ppr=dict(**grid, **indent, jc=J)),
            L.STYLE_H1: dict(ppr=dict(**grid, **indent, jc=J)),
            L.STYLE_H2: dict(ppr=dict(**grid, **indent, jc=J)),
            L.STYLE_H3: dict(ppr=dict(**grid, **indent, jc=J)),
            L.STYLE_SEAL: dict(color=L.SEAL_GREY, ppr=dict(**grid, before_pt=two_lines,
                                                           right_twips=4 * 320, jc=R)),
            L.STYLE_SIGNATURE: dict(ppr=dict(**grid, right_twips=4 * 320, jc=R)),
            L.STYLE_DATE: dict(ppr=dict(**grid, right_twips=4 * 320, jc=R)),
            L.STYLE_IMPRINT: dict(ppr=dict(line_twips=L.LINE_PITCH_TWIPS, before_pt=two_lines, snap=False)),
            L.STYLE_TABLE_TEXT: dict(ppr=dict(line_twips=360, snap=False, jc=C)),
            L.STYLE_TABLE_HEAD: dict(ppr=dict(line_twips=360, snap=False, jc=C)),
            L.STYLE_PAGE_NUMBER: dict(ppr=dict(line_twips=320, snap=False)),
            L.STYLE_FORM_HEADER: dict(ppr=dict(line_twips=240, snap=False, jc=R)),
            L.STYLE_FIGURE: dict(ppr=dict(line_twips=240, exact=False, snap=False, jc=C)),
        }
        for name, spec in specs.items():
            font, size = L.STYLE_FONTS[name]
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = normal
            style.quick_style = True
            set_rpr(style.element.get_or_add_rPr(), font=font,
                    size_pt=size or L.BANNER_MAX_SIZE_PT, color=spec.get("color"),
                    char_spacing=L.CHAR_SPACING_TWIPS, bold=False)
            set_ppr(style.element.get_or_add_pPr(), **spec["ppr"])
        # The red separator: a bottom border across the whole text block (156 mm).
        sep = styles[L.STYLE_SEPARATOR].element.get_or_add_pPr()
        bdr = child(sep, "w:pBdr", PPR_ORDER)
        bottom = OxmlElement("w:bottom")
        for k, v in {"val": "single", "sz": "12", "space": "0", "color": L.RED}.items():
            bottom.set(qn(f"w:{k}"), v)
        bdr.append(bottom)
        imprint = styles[L.STYLE_IMPRINT].element.get_or_add_pPr()
        bdr = child(imprint, "w:pBdr", PPR_ORDER)
        for edge, size in (("top", "8"), ("bottom", "8")):
            line = OxmlElement(f"w:{edge}")
            for k, v in {"val": "single", "sz": size, "space": "1", "color": "000000"}.items():
                line.set(qn(f"w:{k}"), v)
            bdr.append(line)
        tabs = child(imprint, "w:tabs", PPR_ORDER)
        tab = OxmlElement("w:tab")
        tab.set(qn("w:val"), "right")
        tab.set(qn("w:pos"), str(int(L.TEXT_WIDTH_MM / 25.4 * 1440) - 10))
        tabs.append(tab)

    KEEP_STYLES = {"Normal", "Default Paragraph Font", "Normal Table", "Table Grid", "No List"}

    def _prune_styles(self):
        """Drop the default template's unused styles: their theme fonts (Calibri, Cambria,
        Courier) would be one click away for an editor and are not GB/T 9704 faces."""
        root = self.doc.styles.element
        for style in list(root.iterchildren(qn("w:style"))):
            name = style.find(qn("w:name"))
            name = name.get(qn("w:val")) if name is not None else ""
            if name not in self.KEEP_STYLES and not name.startswith("GW "):
                root.remove(style)

    def _drop_unused_parts(self):
        """Drop python-docx's default-template leftovers: stylesWithEffects.xml (438 KB of
        Word 2010 styles with theme fonts), webSettings, customXml and the thumbnail of a
        blank page. They are never used, and a smaller package renders and zips faster."""
        for rels in (self.doc.part.rels, self.doc.part.package.rels):
            for rid, rel in list(rels.items()):
                if rel.reltype.rsplit("/", 1)[-1] in ("stylesWithEffects", "webSettings", "customXml", "thumbnail"):
                    del rels[rid]

    def _footers(self, form_header):
        section = self.doc.sections[0]
        for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                              (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
            footer.is_linked_to_previous = False
            p = footer.paragraphs[0]
            p.style = self.doc.styles[L.STYLE_PAGE_NUMBER]
            p.alignment = align
            # 7.5.1: odd pages right, even pages left, one character (4号 = 14 pt) in.
            one_char = L.PAGE_NUMBER_SIZE_PT * 20
            ppr = p._p.get_or_add_pPr()
            child(ppr, "w:ind", PPR_ORDER,
                  left=one_char if align == WD_ALIGN_PARAGRAPH.LEFT else 0,
                  right=one_char if align == WD_ALIGN_PARAGRAPH.RIGHT else 0, firstLine=0)
            p.add_run("— ")
            self._page_field(p)
            p.add_run(" —")
        for header in (section.header, section.even_page_header):
            header.is_linked_to_previous = False
            p = header.paragraphs[0]
            p.style = self.doc.styles[L.STYLE_FORM_HEADER]
            if form_header:
                p.add_run("{{ org_name }}")

    @staticmethod
    def _page_field(paragraph):
        def fld(kind):
            r = paragraph.add_run()
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            r._r.append(el)

        fld("begin")
        r = paragraph.add_run()
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = " PAGE "
        r._r.append(instr)
        fld("separate")
        paragraph.add_run("1")
        fld("end")

    # -- content ---------------------------------------------------------------------------
    def para(self, style, text=""):
        p = self.doc.add_paragraph(style=self.doc.styles[style])
        if text:
            p.add_run(text)
        return p

    def banner(self, *, upward=False):
        """版头: red 发文机关标志, 发文字号 (with 签发人 on upward documents), red separator."""
        self.para(L.STYLE_BANNER, "{{ banner_text }}")
        if upward:
            # 7.2.4/7.2.6: 上行文 发文字号 left (one character in), 签发人 right (one character in).
            p = self.para(L.STYLE_DOC_NUMBER)
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT
            ppr = p._p.get_or_add_pPr()
            child(ppr, "w:ind", PPR_ORDER, left=320, right=320, firstLine=0)
            tabs = child(ppr, "w:tabs", PPR_ORDER)
            tab = OxmlElement("w:tab")
            tab.set(qn("w:val"), "right")
            tab.set(qn("w:pos"), str(int(L.TEXT_WIDTH_MM / 25.4 * 1440) - 640))
            tabs.append(tab)
            p.add_run("{{ doc_number }}")
            p.add_run("\t签发人：")
            run = p.add_run("{{ signer }}")
            set_rpr(run._r.get_or_add_rPr(), font=L.FONT_H2)
        else:
            self.para(L.STYLE_DOC_NUMBER, "{{ doc_number }}")
        self.para(L.STYLE_SEPARATOR)

    def title(self, text, *, after_banner=True):
        p = self.para(L.STYLE_TITLE, text)
        if after_banner:
            # 7.3.1: the title sits two lines below the red separator.
            set_ppr(p._p.get_or_add_pPr(), line_twips=L.LINE_PITCH_TWIPS,
                    before_pt=2 * L.LINE_SPACING_PT, after_pt=L.LINE_SPACING_PT, jc="center")
        else:
            set_ppr(p._p.get_or_add_pPr(), line_twips=L.LINE_PITCH_TWIPS,
                    after_pt=L.LINE_SPACING_PT, jc="center")
        return p

    def body(self, text):
        return self.para(L.STYLE_BODY, text)

    def heading(self, level, text):
        return self.para({1: L.STYLE_H1, 2: L.STYLE_H2, 3: L.STYLE_H3}[level], text)

    def jinja_para(self, tag):
        """A ``{%p ... %}`` paragraph: docxtpl replaces the whole paragraph by the tag."""
        return self.para(L.STYLE_BODY, tag)

    def signature(self):
        self.para(L.STYLE_SEAL, "{{ seal_placeholder }}")
        self.para(L.STYLE_SIGNATURE, "{{ signatory }}")
        self.para(L.STYLE_DATE, "{{ issue_date|cn_date }}")

    def imprint(self):
        """版记: 印发机关 and 印发日期 between two rules (7.4.3)."""
        self.para(L.STYLE_IMPRINT, "　{{ org_name }}\t{{ issue_date|cn_date }}印发　")

    def table(self, headers, cells, widths_mm, *, loop=None, before_rows=()):
        """A bordered table; ``loop`` like ``"r in rows"`` repeats the data row (docxtpl ``{%tr``)."""
        n = len(headers)
        extra = 2 if loop else 0
        table = self.doc.add_table(rows=1 + len(before_rows) + 1 + extra, cols=n)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        rows = list(table.rows)

        def fill(row, texts, style):
            for cell, text, width in zip(row.cells, texts, widths_mm):
                cell.width = Mm(width)
                p = cell.paragraphs[0]
                p.style = self.doc.styles[style]
                if text:
                    p.add_run(text)

        # LibreOffice lays tables out from the grid columns, Word from the cell widths: set both.
        for column, width in zip(table.columns, widths_mm):
            column.width = Mm(width)
        i = 0
        for label_row in before_rows:
            fill(rows[i], label_row, L.STYLE_TABLE_TEXT)
            i += 1
        fill(rows[i], headers, L.STYLE_TABLE_HEAD)
        # Repeat the header row on every page and never split a row across pages.
        trpr = rows[i]._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))
        trpr.append(OxmlElement("w:tblHeader"))
        i += 1
        if loop:
            fill(rows[i], [f"{{%tr for {loop} %}}"] + [""] * (n - 1), L.STYLE_TABLE_TEXT)
            i += 1
        fill(rows[i], cells, L.STYLE_TABLE_TEXT)
        i += 1
        if loop:
            fill(rows[i], ["{%tr endfor %}"] + [""] * (n - 1), L.STYLE_TABLE_TEXT)
        return table

    def figure(self, text):
        return self.para(L.STYLE_FIGURE, text)

    def save(self, path):
        # Fixed metadata so rebuilding without changes yields the same document properties.
        import datetime
        props = self.doc.core_properties
        props.created = props.modified = datetime.datetime(2025, 1, 1)
        props.revision = 1
        props.last_modified_by = "jifen"
        self.doc.core_properties.title = ""
        self.doc.core_properties.author = "jifen"
        self.doc.core_properties.comments = "Generated by templates_docx/build_templates.py; edit the script, not this file."
        self.doc.save(path)


# -- one function per kind ------------------------------------------------------------------
WIDE = L.TEXT_WIDTH_MM


def registration_card():
    b = Builder(form_header=True)
    b.title("{{ year }}年度党员积分登记卡", after_banner=False)
    b.table(
        ["姓名", "性别", "入党时间", "类别"],
        ["{{ member_name }}", "{{ gender|default('', true) }}", "{{ join_date|default('', true) }}", "{{ category }}"],
        [36, 30, 45, 45],
    )
    b.figure("")
    b.table(["日期", "积分项目", "事由", "分值", "审核人"],
            ["{{ e.date|cn_date }}", "{{ e.item }}", "{{ e.description }}", "{{ e.points|points }}", "{{ e.reviewer }}"],
            [38, 28, 50, 16, 24], loop="e in entries")
    b.body("年度累计积分：{{ total|points }}分。")
    b.body("所在组织：{{ org_name }}　　登记日期：{{ issue_date|cn_date }}")
    return b


def summary_table():
    b = Builder(form_header=True)
    b.title("{{ year }}年第{{ quarter|cn_num }}季度党员积分汇总表", after_banner=False)
    b.body("填报单位：{{ org_name }}　　填报日期：{{ issue_date|cn_date }}")
    b.table(["序号", "姓名", "基础分", "加分", "扣分", "合计", "备注"],
            ["{{ loop.index }}", "{{ r.name }}", "{{ r.base|points }}", "{{ r.bonus|points }}",
             "{{ r.deduction|points }}", "{{ r.total|points }}", "{{ r.note }}"],
            [14, 26, 20, 20, 20, 20, 36], loop="r in rows")
    b.body("合计人数：{{ rows|length }}人。")
    return b


def meeting_record():
    b = Builder(form_header=True)
    b.title("党员积分审核会议纪要", after_banner=False)
    b.body("会议时间：{{ meeting_date|cn_date }}")
    b.body("会议地点：{{ location }}")
    b.body("主持人：{{ chair }}　　记录人：{{ recorder }}")
    b.body("出席人员：{{ attendees }}")
    b.body("缺席人员：{{ absentees|default('无', true) }}")
    b.body("列席人员：{{ instructor|default('无', true) }}")
    b.heading(1, "一、审核事项")
    b.table(["姓名", "申报事项", "申报分值", "认定分值", "审核意见", "理由"],
            ["{{ i.name }}", "{{ i.matter }}", "{{ i.declared|points }}", "{{ i.approved|points }}",
             "{{ i.decision }}", "{{ i.reason }}"],
            [20, 42, 18, 18, 20, 38], loop="i in items")
    b.heading(1, "二、会议结论")
    b.body("{{ conclusion }}")
    b.body("主持人签字：　　　　记录人签字：　　　　指导员签字：")
    return b


def filing_report():
    b = Builder()
    b.banner(upward=True)
    b.title("关于{{ year }}年第{{ quarter|cn_num }}季度党员积分审核情况的报告")
    b.para(L.STYLE_ADDRESSEE, "{{ higher_org_name }}：")
    b.body("根据党员积分制管理有关规定，我支部于{{ year }}年第{{ quarter|cn_num }}季度末召开支部委员会，"
           "对党员申报的积分逐项审核，现将审核情况报告如下。")
    b.heading(1, "一、基本情况")
    b.body("支部现有党员{{ member_count }}名，本季度共收到积分申报{{ declaration_count }}项。")
    b.heading(1, "二、审核情况")
    b.heading(2, "（一）予以认定")
    b.body("经审核，予以认定{{ approved_count }}项，调整分值{{ adjusted_count }}项，"
           "不予认定{{ rejected_count }}项，理由均已当面告知申报人。")
    b.heading(2, "（二）下一步工作")
    b.body("经贵委审查备案后，我支部将在党务公开栏公示，公示期不少于7天。")
    b.body("特此报告，请予审查备案。")
    b.body("附件：{{ year }}年第{{ quarter|cn_num }}季度党员积分汇总表")
    b.signature()
    b.body("（联系人：{{ contact_person|default('', true) }}　联系电话：{{ contact_phone|default('', true) }}）")
    b.imprint()
    return b


def publicity_notice():
    b = Builder()
    b.banner()
    b.title("关于{{ year }}年第{{ quarter|cn_num }}季度党员积分情况的公示")
    b.para(L.STYLE_ADDRESSEE, "各位党员、群众：")
    b.body("根据党员积分制管理有关规定，经支部委员会审核、上级党组织审查备案，"
           "现将{{ org_name }}{{ year }}年第{{ quarter|cn_num }}季度党员积分情况予以公示。")
    b.body("公示时间：{{ window_start|cn_date }}至{{ window_end|cn_date }}。")
    b.body("公示期间，如对公示结果有异议，可以书面、电话或扫描下方二维码在公示栏中提出，"
           "支部将在7个工作日内答复。联系人：{{ contact_person }}，联系电话：{{ contact_phone }}。")
    b.table(["序号", "姓名", "季度积分", "备注"],
            ["{{ loop.index }}", "{{ r.name }}", "{{ r.total|points }}", "{{ r.note }}"],
            [20, 40, 40, 56], loop="r in rows")
    b.figure("{{ qr_code }}")
    b.figure("扫码查看公示栏：{{ board_url }}")
    b.signature()
    b.imprint()
    return b


def objection_receipt():
    b = Builder(form_header=True)
    b.title("积分异议受理回执", after_banner=False)
    b.table(["项目", "内容"], ["", ""], [40, 116], before_rows=[
        ["回执编号", "{{ receipt_no|default('', true) }}"],
        ["异议人", "{{ objector_name }}"],
        ["受理日期", "{{ received_date|cn_date }}"],
        ["被反映人", "{{ subject_name }}"],
        ["异议事由", "{{ reason }}"],
        ["受理人", "{{ handler }}"],
        ["答复期限", "{{ answer_due_date|cn_date }}前（7个工作日内）"],
    ])
    b.body("你反映的情况已收悉，支部将认真调查核实，并在上述期限内书面答复。")
    b.signature()
    return b


def objection_answer():
    b = Builder()
    b.banner()
    b.title("关于积分异议处理结果的反馈")
    b.para(L.STYLE_ADDRESSEE, "{{ objector_name }}同志：")
    b.body("你于{{ received_date|cn_date }}反映的“{{ reason }}”问题，支部已受理并调查核实。现将处理结果反馈如下。")
    b.heading(1, "一、调查核实情况")
    b.body("{{ findings }}")
    b.heading(1, "二、处理结果")
    b.body("{{ result }}")
    b.body("如对处理结果仍有异议，可向上级党组织反映。")
    b.signature()
    b.imprint()
    return b


def explanation():
    b = Builder()
    b.banner(upward=True)
    b.title("关于{{ subject }}的情况说明")
    b.para(L.STYLE_ADDRESSEE, "{{ higher_org_name }}：")
    b.heading(1, "一、基本情况")
    b.body("{{ background }}")
    b.heading(1, "二、处理过程")
    b.body("{{ handling }}")
    b.heading(1, "三、处理结果")
    b.body("{{ outcome }}")
    b.body("特此说明，请予备案。")
    b.signature()
    b.imprint()
    return b


def result_notice():
    b = Builder()
    b.banner()
    b.title("关于{{ year }}年度党员积分评定结果的通知")
    b.para(L.STYLE_ADDRESSEE, "{{ member_name }}同志：")
    b.body("经个人自评、党员互评、民主测评和支部委员会审议，并报上级党组织同意，"
           "你{{ year }}年度积分为{{ score|points }}分，评定等次为{{ grade }}。")
    b.body("{{ remark|default('', true) }}")
    b.body("如对评定结果有异议，可在收到本通知之日起7日内向支部委员会书面提出。")
    b.body("特此通知。")
    b.signature()
    b.imprint()
    return b


def commendation():
    b = Builder()
    b.banner()
    b.title("关于表彰{{ year }}年度{{ honour }}的决定")
    b.para(L.STYLE_ADDRESSEE, "各党小组、全体党员：")
    b.body("{{ year }}年，全体党员立足岗位、积极作为。根据年度积分评定结果，经支部委员会研究，"
           "决定对以下{{ honourees|length }}名同志授予“{{ honour }}”称号，予以表彰。")
    b.jinja_para("{%p for h in honourees %}")
    b.body("{{ loop.index }}. {{ h.name }}（{{ h.deeds }}）")
    b.jinja_para("{%p endfor %}")
    b.body("希望受表彰的同志珍惜荣誉、再接再厉。全体党员要以先进为榜样，争做合格党员。")
    b.signature()
    b.imprint()
    return b


def talk_notice():
    b = Builder()
    b.banner()
    b.title("{{ talk_type }}通知")
    b.para(L.STYLE_ADDRESSEE, "{{ member_name }}同志：")
    b.body("{{ reason }}")
    b.body("根据党员积分制管理有关规定，支部决定对你进行{{ talk_type }}。")
    b.body("谈话时间：{{ talk_time }}")
    b.body("谈话地点：{{ place }}")
    b.body("谈话人：{{ talker }}")
    b.body("请准时参加。如有特殊情况，请提前向支部书记说明。")
    b.signature()
    b.imprint()
    return b


def rectification_notice():
    b = Builder()
    b.banner()
    b.title("限期整改通知书")
    b.para(L.STYLE_ADDRESSEE, "{{ member_name }}同志：")
    b.body("经支部委员会研究，你存在以下问题：")
    b.jinja_para("{%p for p in problems %}")
    b.heading(3, "（{{ loop.index }}）{{ p.text }}")
    b.jinja_para("{%p endfor %}")
    b.body("现责令你限期整改，整改期限至{{ deadline|cn_date }}。")
    b.body("{{ requirements }}")
    b.signature()
    b.imprint()
    return b


def disposal_request():
    b = Builder()
    b.banner(upward=True)
    b.title("关于对{{ member_name }}同志作出{{ disposal }}处置的请示")
    b.para(L.STYLE_ADDRESSEE, "{{ higher_org_name }}：")
    b.heading(1, "一、基本事实")
    b.body("{{ facts }}")
    b.heading(1, "二、支部意见")
    b.body("支部党员大会应到有表决权党员{{ entitled }}名，实到{{ present }}名，"
           "{{ votes_for }}名同意对{{ member_name }}同志作出{{ disposal }}处置。")
    b.body("妥否，请批示。")
    b.signature()
    b.imprint()
    return b


def disposal_approval():
    b = Builder()
    b.banner()
    b.title("关于同意对{{ member_name }}同志作出{{ disposal }}处置的批复")
    b.para(L.STYLE_ADDRESSEE, "{{ branch_name }}：")
    b.body("你支部《关于对{{ member_name }}同志作出{{ disposal }}处置的请示》（{{ request_number }}）收悉。")
    b.body("{{ decision_text }}")
    b.body("此复。")
    b.signature()
    b.imprint()
    return b


def star_certificate():
    b = Builder()
    b.title("星级党员证书", after_banner=False)
    b.para(L.STYLE_ADDRESSEE, "{{ member_name }}同志：")
    b.body("在{{ year }}年度党员星级评定中，你被评为{{ stars|cn_num }}星级党员（{{ stars|stars }}）。")
    b.body("特发此证，以资鼓励。")
    b.body("证书编号：{{ certificate_no|default('', true) }}")
    b.signature()
    return b


def household_card():
    b = Builder(form_header=True)
    b.title("户积分卡", after_banner=False)
    b.table(["户主", "所在村", "所在网格"], ["{{ household_name }}", "{{ village }}", "{{ grid }}"], [52, 52, 52])
    b.figure("")
    b.table(["日期", "事由", "分值", "经办人", "余额"],
            ["{{ e.date|cn_date }}", "{{ e.reason }}", "{{ e.points }}", "{{ e.operator }}", "{{ e.balance|points }}"],
            [38, 48, 16, 30, 24], loop="e in entries")
    b.body("当前积分余额：{{ balance|points }}分。积分只兑换实物，不兑现金。")
    b.body("发卡单位：{{ org_name }}　　{{ issue_date|cn_date }}")
    return b


BUILDERS = {
    "registration_card": registration_card,
    "summary_table": summary_table,
    "meeting_record": meeting_record,
    "filing_report": filing_report,
    "publicity_notice": publicity_notice,
    "objection_receipt": objection_receipt,
    "objection_answer": objection_answer,
    "explanation": explanation,
    "result_notice": result_notice,
    "commendation": commendation,
    "talk_notice": talk_notice,
    "rectification_notice": rectification_notice,
    "disposal_request": disposal_request,
    "disposal_approval": disposal_approval,
    "star_certificate": star_certificate,
    "household_card": household_card,
}


def build_all(out_dir=HERE):
    """Write one template per builder; return the paths written."""
    out_dir = Path(out_dir)
    written = []
    for key, build in BUILDERS.items():
        path = out_dir / f"{key}.docx"
        build().save(path)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in build_all():
        print(path.relative_to(HERE.parent))
