"""Reading rendered .docx files back: effective formatting through runs, styles and defaults.

python-docx exposes direct formatting only; GB/T 9704 properties live mostly in styles and
``w:docDefaults``, and some (eastAsia font names, character spacing, docGrid, odd/even
footers) have no python-docx API at all, so these helpers walk the raw XML the way Word
resolves it: run → paragraph style chain → document defaults.
"""
import io
import zipfile

from docx import Document
from docx.oxml.ns import qn

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def load(data):
    return Document(io.BytesIO(data))


def _style_chain(style):
    while style is not None:
        yield style.element
        style = style.base_style


def _defaults(doc, kind):
    dd = doc.styles.element.find(qn("w:docDefaults"))
    if dd is None:
        return None
    outer = dd.find(qn("w:rPrDefault" if kind == "r" else "w:pPrDefault"))
    return None if outer is None else outer.find(qn("w:rPr" if kind == "r" else "w:pPr"))


def _attr(container, tag, attr):
    if container is None:
        return None
    el = container.find(qn(tag))
    if el is None:
        return None
    return el.get(qn(attr))


def run_prop(doc, paragraph, run, tag, attr="w:val"):
    """Effective run property ``tag/@attr`` for ``run`` in ``paragraph``."""
    value = _attr(run._r.rPr, tag, attr) if run is not None else None
    if value is not None:
        return value
    for style in _style_chain(paragraph.style):
        value = _attr(style.find(qn("w:rPr")), tag, attr)
        if value is not None:
            return value
    return _attr(_defaults(doc, "r"), tag, attr)


def para_prop(doc, paragraph, tag, attr):
    value = _attr(paragraph._p.pPr, tag, attr)
    if value is not None:
        return value
    for style in _style_chain(paragraph.style):
        value = _attr(style.find(qn("w:pPr")), tag, attr)
        if value is not None:
            return value
    return _attr(_defaults(doc, "p"), tag, attr)


def para_border(doc, paragraph, edge):
    """The paragraph's ``w:pBdr/w:<edge>`` element, direct or from its style chain."""
    candidates = [paragraph._p.pPr] + [s.find(qn("w:pPr")) for s in _style_chain(paragraph.style)]
    for ppr in candidates:
        if ppr is None:
            continue
        bdr = ppr.find(qn("w:pBdr"))
        if bdr is not None and bdr.find(qn(f"w:{edge}")) is not None:
            return bdr.find(qn(f"w:{edge}"))
    return None


def text_runs(paragraph):
    return [r for r in paragraph.runs if r.text.strip()]


def body_paragraphs(doc):
    """Paragraphs outside tables, in order."""
    return list(doc.paragraphs)


def table_paragraphs(doc):
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def part_xml(data, name):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name).decode("utf-8")


def all_text_parts(data):
    """document.xml plus every header and footer part, as text."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = [n for n in z.namelist()
                 if n == "word/document.xml" or n.startswith("word/header") or n.startswith("word/footer")]
        return {n: z.read(n).decode("utf-8") for n in names}
