"""User-written text goes into documents exactly as written; control characters are handled
deliberately (line break or a visible U+FFFD marker, always recorded), never silently."""
import io
import zipfile

import pytest
from docx.oxml.ns import qn
from lxml import etree

from documents.gbt9704 import Builder
from documents.rendering import (
    CONTROL_MARKER,
    clean_text,
    normalise,
    prepare_context,
    render_document_bytes,
    render_template_bytes,
    sample_context,
)

from .docx_helpers import load

HOSTILE = 'A & B <c> "d"'


@pytest.fixture(scope="module")
def probe_template():
    """A template with a tag in the body, a table cell, the header and both footers."""
    b = Builder(form_header=True)  # the header carries {{ org_name }}
    b.title("{{ title }}", after_banner=False)
    b.body("{{ text }}")
    b.table(["列"], ["{{ cell }}"], [156])
    section = b.doc.sections[0]
    for footer in (section.footer, section.even_page_footer):
        footer.add_paragraph("{{ footer_text }}")
    out = io.BytesIO()
    b.doc.save(out)
    return out.getvalue()


def _render_probe(template, value):
    notes = []
    ctx = normalise({"org_name": value, "title": "标题", "text": value, "cell": value, "footer_text": value}, "", notes)
    return render_template_bytes(template, ctx), notes


def _assert_well_formed(data):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        for name in z.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                etree.fromstring(z.read(name))  # strict parser: raises on any invalid character


def test_special_characters_round_trip_everywhere(probe_template):
    data, notes = _render_probe(probe_template, HOSTILE)
    assert notes == []
    _assert_well_formed(data)
    doc = load(data)
    assert [p.text for p in doc.paragraphs if p.text and p.text != "标题"] == [HOSTILE]
    assert doc.tables[0].rows[1].cells[0].text == HOSTILE
    section = doc.sections[0]
    assert [p.text for p in section.header.paragraphs] == [HOSTILE]
    assert [p.text for p in section.even_page_header.paragraphs] == [HOSTILE]
    for footer in (section.footer, section.even_page_footer):
        assert HOSTILE in [p.text for p in footer.paragraphs]


def test_special_characters_in_a_real_kind():
    ctx = sample_context("registration_card")
    ctx["org_name"] = HOSTILE
    ctx["member_name"] = HOSTILE
    ctx["entries"][0]["description"] = HOSTILE
    doc = load(render_document_bytes("registration_card", ctx))
    assert doc.tables[0].rows[1].cells[0].text == HOSTILE  # 姓名 cell
    assert doc.tables[1].rows[1].cells[2].text == HOSTILE  # first entry's 事由
    assert doc.sections[0].header.paragraphs[0].text == HOSTILE
    assert f"所在组织：{HOSTILE}" in "\n".join(p.text for p in doc.paragraphs)


def test_jinja_syntax_in_user_text_is_not_executed():
    ctx = sample_context("result_notice")
    ctx["member_name"] = "{{ 7*7 }}{% if 1 %}x{% endif %}"
    doc = load(render_document_bytes("result_notice", ctx))
    assert "{{ 7*7 }}{% if 1 %}x{% endif %}同志：" in [p.text for p in doc.paragraphs]


def test_control_characters_policy():
    notes = []
    cleaned = clean_text("一\x0b二\x07三\x00四\x0c五\t六\r\n七\x1b", "reason", notes)
    assert cleaned == f"一\n二{CONTROL_MARKER}三{CONTROL_MARKER}四\n五\t六\n七{CONTROL_MARKER}"
    assert [(n["char"], n["replacement"]) for n in notes] == [
        ("U+000B", "line break"), ("U+0007", "U+FFFD"), ("U+0000", "U+FFFD"),
        ("U+000C", "line break"), ("U+001B", "U+FFFD"),
    ]
    assert all(n["path"] == "reason" for n in notes)


def test_control_characters_yield_a_valid_docx_everywhere(probe_template):
    value = "第一行\x0b第二行\x07结尾\x00"
    data, notes = _render_probe(probe_template, value)
    _assert_well_formed(data)
    assert {n["char"] for n in notes} == {"U+000B", "U+0007", "U+0000"}
    assert {n["path"] for n in notes} == {"org_name", "text", "cell", "footer_text"}
    doc = load(data)
    body = [p for p in doc.paragraphs if "第一行" in p.text][0]
    # \x0b became a real line break inside the same paragraph; \x07 and \x00 a visible marker
    assert body._p.findall(".//" + qn("w:br"))
    assert body.text == f"第一行\n第二行{CONTROL_MARKER}结尾{CONTROL_MARKER}"
    assert doc.tables[0].rows[1].cells[0].text == body.text
    assert doc.sections[0].header.paragraphs[0].text == body.text
    assert body.text in [p.text for p in doc.sections[0].footer.paragraphs]


def test_control_characters_in_a_real_kind_are_recorded():
    ctx = sample_context("objection_receipt")
    ctx["reason"] = "扣分不实\x07请核查\x0b谢谢"
    clean, notes = prepare_context("objection_receipt", ctx)
    assert clean["reason"] == f"扣分不实{CONTROL_MARKER}请核查\n谢谢"
    assert [n["path"] for n in notes] == ["reason", "reason"]
    data = render_document_bytes("objection_receipt", ctx)
    _assert_well_formed(data)
    doc = load(data)
    cells = [c.text for row in doc.tables[0].rows for c in row.cells]
    assert f"扣分不实{CONTROL_MARKER}请核查\n谢谢" in cells
