"""Issue 13, item 13: roster files as clerks really keep them, generated here.

WPS-saved .xlsx files with a wrong declared size (openpyxl writes, the dimension is rewritten in the
zip), number-typed and year-month dates, full-width and zero-width spaces, a two-row merged
header under a 花名册 title, a 序号 column, the roster on the second sheet, an .ods written by
hand, and an old .xls converted by LibreOffice when ``soffice`` is installed (skipped otherwise).
"""
import io
import re
import shutil
import subprocess
import zipfile
from xml.sax.saxutils import escape

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import DatePrecision, Member
from members.roster import RosterImportError, export_xlsx, import_roster
from members.roster.files import read_table
from organisations.models import RoleKind
from tests.world import id_number, tree, user

pytestmark = pytest.mark.django_db

HEAD = ["姓名", "身份证号", "入党时间", "所在支部"]
ROWS = [
    ["王建国", id_number("19800506", 123), "2005-07-01", "东街社区党支部"],
    ["李秀英", id_number("19851230", 244), "2010-06-01", "东街社区党支部"],
    ["张伟", id_number("19920101", 351), "2015-03-06", "西街社区党支部"],
]


@pytest.fixture
def setup():
    t = tree()
    return t, user("clerk", role=RoleKind.CLERK, on=t["gb1"])


def workbook_bytes(*sheets):
    """``sheets``: (title, rows) pairs; rows are lists of cell values."""
    wb = openpyxl.Workbook()
    for index, (title, rows) in enumerate(sheets):
        ws = wb.active if index == 0 else wb.create_sheet()
        ws.title = title
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def with_dimension(data, ref):
    """The same .xlsx with every sheet's ``<dimension ref=…>`` set to ``ref``, as WPS sometimes saves it."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                part, count = re.subn(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="%s"/>' % ref.encode(), part)
                assert count == 1
            target.writestr(info, part)
    return out.getvalue()


def ods_bytes(rows, title="花名册"):
    """A minimal OpenDocument spreadsheet, as LibreOffice or WPS would save it."""
    def cell(value):
        return ('<table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell>'
                % escape(str(value)))
    body = "".join("<table:table-row>%s</table:table-row>" % "".join(cell(v) for v in row) for row in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{title}">{body}</table:table>'
        '</office:spreadsheet></office:body></office:document-content>')
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '</manifest:manifest>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet",
                    compress_type=zipfile.ZIP_STORED)
        zf.writestr("META-INF/manifest.xml", manifest)
        zf.writestr("content.xml", content)
    return out.getvalue()


def run(setup, data, name="roster.xlsx"):
    t, clerk = setup
    return import_roster(SimpleUploadedFile(name, data), name, organisation=t["gb1"], user=clerk)


def names():
    return sorted(Member.objects.values_list("name", flat=True))


# -- declared sizes ------------------------------------------------------------------------------

@pytest.mark.parametrize("ref", ["A1", "A1:D3", "A1:XFD1048576"])
def test_a_declared_size_is_never_trusted(setup, ref):
    data = with_dimension(workbook_bytes(("Sheet1", [HEAD, *ROWS])), ref)
    table = read_table(data)
    assert [number for number, _values in table.rows] == [2, 3, 4]
    result = run(setup, data)
    assert result.created == 3 and names() == ["张伟", "李秀英", "王建国"]


def test_the_huge_declared_file_is_small(setup):
    data = with_dimension(workbook_bytes(("Sheet1", [HEAD, ROWS[0]])), "A1:XFD1048576")
    assert len(data) < 6000
    assert run(setup, data).created == 1


def test_a_cell_far_beyond_a_roster_is_refused_before_anything_is_laid_out(setup):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in [HEAD, *ROWS]:
        ws.append(row)
    ws["XFD1048576"] = "x"
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(RosterImportError) as exc:
        run(setup, out.getvalue())
    assert "XFD1048576" in exc.value.errors[0]["message"]
    assert Member.objects.count() == 0


# -- dates -------------------------------------------------------------------------------------

def test_dates_typed_as_numbers_and_year_month_dates_keep_their_precision(setup, client):
    rows = [
        ["甲", "", 1985.03, "东街社区党支部"],       # a number: March 1985, not day 1985 of 1905
        ["乙", "", "2020.05", "东街社区党支部"],
        ["丙", "", "2020年5月", "东街社区党支部"],
        ["丁", "", "2020/5", "东街社区党支部"],
        ["戊", "", 1990.12, "东街社区党支部"],
        ["己", "", "2001-07-01", "东街社区党支部"],
    ]
    run(setup, workbook_bytes(("Sheet1", [HEAD, *rows])))
    stored = {m.name: m for m in Member.objects.all()}
    assert stored["甲"].joined_on.isoformat() == "1985-03-01"
    assert stored["甲"].joined_on_precision == DatePrecision.MONTH
    assert stored["甲"].joined_on_display == "1985年3月"
    for name in ("乙", "丙", "丁"):
        assert stored[name].joined_on.isoformat() == "2020-05-01", name
        assert stored[name].joined_on_display == "2020年5月"
    assert stored["戊"].joined_on_display == "1990年12月"
    assert stored["己"].joined_on_precision == DatePrecision.DAY and stored["己"].joined_on_display == "2001-07-01"
    # The export writes 2020-05, and importing it back changes nothing.
    again = run(setup, export_xlsx(Member.objects.all()))
    assert (again.created, again.updated) == (0, 0)
    # The member page shows the month.
    t, clerk = setup
    client.force_login(clerk)
    page = client.get(reverse("members:detail", args=[stored["乙"].pk])).content.decode()
    assert "2020年5月" in page


def test_an_ambiguous_number_date_is_refused_naming_the_row(setup):
    rows = [["甲", "", 1985.1, "东街社区党支部"], ["乙", "", 1985, "东街社区党支部"]]
    with pytest.raises(RosterImportError) as exc:
        run(setup, workbook_bytes(("Sheet1", [HEAD, *rows])))
    by_row = {e["row"]: e for e in exc.value.errors}
    assert "10月" in by_row[2]["message"] and by_row[2]["column"] == "入党日期"
    assert "不完整" in by_row[3]["message"]


# -- names and ID numbers ---------------------------------------------------------------------------

def test_full_width_and_zero_width_spaces_are_the_same_person(setup):
    t, _clerk = setup
    existing = Member.objects.create(organisation=t["b1"], name="姜杰")
    plain_id = id_number("19800506", 777)
    rows = [["姜　杰", "", "", "东街社区党支部"],
            ["\u200b周\u00a0敏\u200b", plain_id[:6] + "\u3000" + plain_id[6:] + "\u200b", "", "东街社区党支部"]]
    result = run(setup, workbook_bytes(("Sheet1", [HEAD, *rows])))
    assert result.created == 1 and Member.objects.filter(name="姜杰").get() == existing
    assert Member.objects.get(name="周敏").id_number == plain_id
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in plain_id)
    again = run(setup, workbook_bytes(("Sheet1", [HEAD, ["周 敏", full_width, "", "东街社区党支部"]])))
    assert (again.created, again.updated) == (0, 0)


# -- headers and sheets ---------------------------------------------------------------------------

def test_a_two_row_merged_header_under_a_title_row_and_a_serial_column(setup):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["东街社区党支部党员花名册"])
    ws.merge_cells("A1:F1")
    ws.append(["序号", "姓名", "身份证号", "入党时间", "联系方式", None])
    ws.append([None, None, None, None, "手机", "所在支部"])
    for column in "ABCD":
        ws.merge_cells(f"{column}2:{column}3")
    ws.merge_cells("E2:F2")
    for i, (name, number, joined, branch) in enumerate(ROWS, start=1):
        ws.append([i, name, number, joined, f"1380000{i:04d}", branch])
    out = io.BytesIO()
    wb.save(out)
    result = run(setup, out.getvalue())
    assert result.created == 3 and result.ignored_columns == []
    assert [r[0] for r in result.rows] == [4, 5, 6]
    assert Member.objects.get(name="张伟").organisation.name == "西街社区党支部"
    assert Member.objects.get(name="王建国").phone == "13800000001"


def test_the_roster_is_found_on_the_sheet_that_holds_it_and_the_sheet_is_named(setup, client):
    data = workbook_bytes(("说明", [["填表说明：身份证号请设为文本格式"]]), ("党员名单", [HEAD, *ROWS]))
    result = run(setup, data)
    assert result.created == 3 and result.sheet == "党员名单" and result.other_sheets == ["说明"]
    t, clerk = setup
    client.force_login(clerk)
    response = client.post(reverse("members:import"), {
        "organisation": t["gb1"].pk, "file": SimpleUploadedFile("r.xlsx", data)}, follow=True)
    assert "党员名单" in response.content.decode()


def test_no_sheet_with_a_roster_names_the_sheets_searched(setup):
    data = workbook_bytes(("说明", [["无"]]), ("统计", [["合计", 3]]))
    with pytest.raises(RosterImportError) as exc:
        run(setup, data)
    assert "说明" in exc.value.errors[0]["message"] and "统计" in exc.value.errors[0]["message"]


# -- other formats -----------------------------------------------------------------------------------

def test_an_ods_roster_is_read(setup):
    result = run(setup, ods_bytes([["党员花名册"], HEAD, *ROWS]), name="roster.ods")
    assert result.created == 3 and result.sheet == "花名册"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) converts the .xls")
def test_an_old_xls_roster_is_read(setup, tmp_path):
    source = tmp_path / "roster.xlsx"
    source.write_bytes(workbook_bytes(("花名册", [HEAD, *ROWS])))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "xls:MS Excel 97", "--outdir", str(tmp_path), str(source)],
                   capture_output=True, timeout=180)
    if not (tmp_path / "roster.xls").exists():
        pytest.skip("LibreOffice is installed without Calc: no .xls could be written")
    data = (tmp_path / "roster.xls").read_bytes()
    assert data[:4] == b"\xd0\xcf\x11\xe0"
    result = run(setup, data, name="roster.xls")
    assert result.created == 3 and result.sheet == "花名册"
