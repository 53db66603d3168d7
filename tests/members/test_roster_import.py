"""Roster import: all-or-nothing, every bad row named, idempotent, encodings, size limit."""
import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from members.idcard import mask
from members.models import Member, MemberCategory, MemberKind, RosterImport, Transfer
from members.roster import HEADERS, RosterImportError, export_csv, export_xlsx, import_roster, parse_date
from organisations.models import RoleKind
from tests.world import id_number, org, tree, user
from workdays.clock import local_today

pytestmark = pytest.mark.django_db

HEAD = ["姓名", "性别", "身份证号", "出生日期", "入党日期", "身份", "类别", "所在支部", "联系电话"]
ID_A = id_number("19800506", 123)  # odd serial → male
ID_B = id_number("19851230", 244)  # even → female
ID_C = id_number("19920101", 351)


def good_rows():
    return [
        ["王建国", "男", ID_A, "1980-05-06", "2005-07-01", "党员", "在职", "东街社区党支部", "13800001111"],
        ["李秀英", "女", ID_B, "1985/12/30", "2010年6月1日", "预备党员", "离退休", "东街社区党支部", "13800002222"],
        ["张伟", "", ID_C, "", "2015.3.6", "", "", "西街社区党支部", ""],
    ]


def xlsx_bytes(rows, head=HEAD, title=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(head)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(rows, head=HEAD, encoding="utf-8", bom=False):
    lines = [",".join(head)] + [",".join("" if v is None else str(v) for v in r) for r in rows]
    data = ("\r\n".join(lines) + "\r\n").encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def upload(data, name="roster.xlsx"):
    return SimpleUploadedFile(name, data)


@pytest.fixture
def setup():
    t = tree()
    clerk = user("clerk", role=RoleKind.CLERK, on=t["gb1"])  # manages both community branches
    return t, clerk


def run(setup, data, name="roster.xlsx", organisation=None, who=None):
    """An import expected to succeed: a refusal fails the test with its row-by-row report."""
    t, clerk = setup
    try:
        return import_roster(upload(data, name), name, organisation=organisation or t["gb1"], user=who or clerk)
    except RosterImportError as exc:
        raise AssertionError(f"{exc} {exc.errors}") from exc


def reject(setup, data, name="roster.xlsx", **kw):
    before = (Member.objects.count(), Transfer.objects.count(), RosterImport.objects.count(),
              list(Member.objects.order_by("pk").values_list("pk", "name", "phone", "organisation_id")))
    t, clerk = setup
    with pytest.raises(RosterImportError) as exc:
        import_roster(upload(data, name), name, organisation=kw.get("organisation") or t["gb1"],
                      user=kw.get("who") or clerk)
    after = (Member.objects.count(), Transfer.objects.count(), RosterImport.objects.count(),
             list(Member.objects.order_by("pk").values_list("pk", "name", "phone", "organisation_id")))
    assert after == before, "a rejected file must write nothing"
    return exc.value.errors


def find(errors, row, column):
    hits = [e for e in errors if e["row"] == row and e["column"] == column]
    assert hits, f"no error at row {row} column {column}: {errors}"
    return hits[0]


def test_good_file_creates_members_with_parsed_fields(setup):
    t, _ = setup
    result = run(setup, xlsx_bytes(good_rows()))
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    record = RosterImport.objects.get()
    assert (record.user, record.organisation, record.created, record.filename) == (setup[1], t["gb1"], 3, "roster.xlsx")
    assert len(record.sha256) == 64
    wang = Member.objects.get(id_number=ID_A)
    assert wang.organisation == t["b1"] and wang.kind == MemberKind.PARTY_MEMBER
    assert wang.category == MemberCategory.objects.get(code="in_service")
    assert wang.joined_on == datetime.date(2005, 7, 1)
    li = Member.objects.get(id_number=ID_B)
    assert li.birth_date == datetime.date(1985, 12, 30) and li.joined_on == datetime.date(2010, 6, 1)
    assert li.kind == MemberKind.PROBATIONARY and li.gender == "F"
    zhang = Member.objects.get(id_number=ID_C)
    # Birth date and gender derived from the ID number when left blank.
    assert zhang.birth_date == datetime.date(1992, 1, 1) and zhang.gender == "M"
    assert zhang.organisation == t["b2"] and zhang.joined_on == datetime.date(2015, 3, 6)


def test_reimport_same_file_changes_nothing(setup):
    data = xlsx_bytes(good_rows())
    run(setup, data)
    stamps = list(Member.objects.order_by("pk").values_list("pk", "updated_at"))
    again = run(setup, data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert list(Member.objects.order_by("pk").values_list("pk", "updated_at")) == stamps
    assert Transfer.objects.count() == 0


def test_changed_row_updates_and_a_move_is_recorded_as_transfer(setup):
    t, clerk = setup
    run(setup, xlsx_bytes(good_rows()))
    rows = good_rows()
    rows[0][8] = "13900009999"  # new phone
    rows[1][7] = "西街社区党支部"  # moved branch
    result = run(setup, xlsx_bytes(rows))
    assert (result.created, result.updated, result.unchanged) == (0, 2, 1)
    assert Member.objects.get(id_number=ID_A).phone == "13900009999"
    li = Member.objects.get(id_number=ID_B)
    assert li.organisation == t["b2"]
    transfer = Transfer.objects.get(member=li)
    assert (transfer.from_organisation, transfer.to_organisation, transfer.recorded_by) == (t["b1"], t["b2"], clerk)


def test_match_by_name_and_branch_without_id_number(setup):
    rows = [["赵敏", "女", "", "1990-01-01", "", "入党积极分子", "", "东街社区党支部", ""]]
    run(setup, xlsx_bytes(rows))
    again = run(setup, xlsx_bytes(rows))
    assert (again.created, again.unchanged) == (0, 1)
    assert Member.objects.filter(name="赵敏").count() == 1


def test_blank_cells_do_not_erase_stored_values(setup):
    run(setup, xlsx_bytes(good_rows()))
    rows = good_rows()
    rows[0][8] = ""  # phone left blank
    result = run(setup, xlsx_bytes(rows))
    assert result.unchanged == 3
    assert Member.objects.get(id_number=ID_A).phone == "13800001111"


def test_title_row_above_header_and_excel_date_cells(setup):
    rows = good_rows()
    rows[0][3] = datetime.datetime(1980, 5, 6)
    rows[0][4] = datetime.date(2005, 7, 1)
    rows[1][8] = 13800002222  # a phone typed as a number
    result = run(setup, xlsx_bytes(rows, title="东街社区党支部党员名册（2025年）"))
    assert result.created == 3
    assert Member.objects.get(id_number=ID_B).phone == "13800002222"


@pytest.mark.parametrize("text,expected", [
    ("2025-03-06", datetime.date(2025, 3, 6)),
    ("2025/3/6", datetime.date(2025, 3, 6)),
    ("2025年3月6日", datetime.date(2025, 3, 6)),
    ("2025.03.06", datetime.date(2025, 3, 6)),
    ("20250306", datetime.date(2025, 3, 6)),
    ("2025/3/6 0:00:00", datetime.date(2025, 3, 6)),
    (datetime.datetime(2025, 3, 6, 0, 0), datetime.date(2025, 3, 6)),
    (45722, datetime.date(2025, 3, 6)),  # Excel serial number
])
def test_parse_date_formats(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text, reason", [
    ("2025-02-30", "日期不存在"), ("2025年3月", "日期不完整"), ("3/6/2025", "无法识别的日期"), ("去年", "无法识别的日期"),
    ("2025-13-01", "日期不存在"),
])
def test_parse_date_rejects(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_date(text)


# ---------------------------------------------------------------- every bad-row kind


def test_every_bad_row_is_reported_and_nothing_is_written(setup):
    t, _ = setup
    outsider = org("青石村外支部", parent=t["gb2"], code="far")
    bad_checksum = ID_A[:17] + ("0" if ID_A[17] != "0" else "1")
    rows = good_rows() + [
        ["", "男", id_number("19700101", 111), "", "", "", "", "东街社区党支部", ""],     # row 5: missing name
        ["钱多多", "", id_number("19700102", 113), "", "", "", "", "南关社区党支部", ""],  # row 6: unknown branch
        ["孙悟空", "", id_number("19700103", 115), "", "", "", "", "青石村外支部", ""],    # row 7: outside subtree
        ["周芷若", "", ID_B, "", "", "", "", "东街社区党支部", ""],                      # row 8: duplicate of row 3
        ["吴用", "", bad_checksum, "", "", "", "", "东街社区党支部", ""],                  # row 9: bad checksum
        ["郑和", "", "", "1971-02-30", "", "", "", "东街社区党支部", ""],                  # row 10: bad date
        ["冯唐", "", "", "", "2019年", "", "", "东街社区党支部", ""],                      # row 11: incomplete date
        ["陈平", "", "", "", "", "神仙", "天兵", "东街社区党支部", "abc"],                # row 12: kind, category, phone
    ]
    errors = reject(setup, xlsx_bytes(rows))
    assert find(errors, 5, "姓名")["message"] == "姓名不能为空"
    assert "找不到" in find(errors, 6, "所在支部")["message"]
    assert "不在您可管理的范围内" in find(errors, 7, "所在支部")["message"]
    assert "第3行" in find(errors, 8, "身份证号")["message"]
    assert "校验位" in find(errors, 9, "身份证号")["message"]
    assert "日期不存在" in find(errors, 10, "出生日期")["message"]
    assert "不完整" in find(errors, 11, "入党日期")["message"]
    find(errors, 12, "身份")
    find(errors, 12, "类别")
    find(errors, 12, "联系电话")
    # Good rows are not reported, and the ID number is masked in the report.
    assert not [e for e in errors if e["row"] in (2, 3, 4)]
    assert find(errors, 9, "身份证号")["value"] == mask(bad_checksum)
    assert outsider.members.count() == 0


def test_duplicate_id_against_member_outside_subtree(setup):
    t, _ = setup
    Member.objects.create(organisation=t["b3"], name="王建国", id_number=ID_A)
    errors = reject(setup, xlsx_bytes(good_rows()))
    assert "管理范围以外" in find(errors, 2, "身份证号")["message"]


def test_id_number_stored_as_excel_number_is_rejected(setup):
    rows = good_rows()
    rows[0][2] = int(ID_C[:15])  # what Excel keeps of a number typed into a General cell
    rows[2][2] = ""
    errors = reject(setup, xlsx_bytes(rows))
    assert "数字" in find(errors, 2, "身份证号")["message"]


def test_id_number_in_scientific_notation_from_excel_csv(setup):
    rows = good_rows()
    rows[0][2] = "4.30521E+17"
    errors = reject(setup, csv_bytes(rows, encoding="gbk"), name="r.csv")
    assert "科学计数法" in find(errors, 2, "身份证号")["message"]


def test_birth_date_and_gender_must_agree_with_id(setup):
    rows = good_rows()
    rows[0][1] = "女"
    rows[0][3] = "1980-05-07"
    errors = reject(setup, xlsx_bytes(rows))
    find(errors, 2, "性别")
    assert "1980-05-06" in find(errors, 2, "出生日期")["message"]


def test_joined_before_18_and_future_dates(setup):
    rows = good_rows()
    rows[0][4] = "1990-01-01"  # born 1980
    rows[1][4] = (local_today() + datetime.timedelta(days=400)).isoformat()
    errors = reject(setup, xlsx_bytes(rows))
    assert "18" in find(errors, 2, "入党日期")["message"]
    assert "晚于今天" in find(errors, 3, "入党日期")["message"]


def test_same_name_same_branch_without_id_is_ambiguous(setup):
    rows = [["刘洋", "", "", "", "", "", "", "东街社区党支部", ""],
            ["刘洋", "", "", "", "", "", "", "东街社区党支部", ""]]
    errors = reject(setup, xlsx_bytes(rows))
    assert "第2行" in find(errors, 3, "姓名")["message"]


def test_wrong_file_type_is_decided_by_content_not_name(setup):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
    errors = reject(setup, png, name="roster.xlsx")
    assert "文件类型不正确" in errors[0]["message"] and errors[0]["row"] is None
    # A zip that is not a workbook, named .xlsx.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "hello")
    errors = reject(setup, buf.getvalue(), name="roster.xlsx")
    assert "这是一个压缩包而不是 Excel 工作簿" in errors[0]["message"]
    # An OpenDocument spreadsheet named .xlsx.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<x/>")
    errors = reject(setup, buf.getvalue(), name="roster.xlsx")
    assert ".ods" in errors[0]["message"]
    # Legacy .xls (OLE2).
    errors = reject(setup, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, name="roster.xls")
    assert ".xls" in errors[0]["message"]
    # A real workbook named .csv is still read as a workbook.
    result = run(setup, xlsx_bytes(good_rows()), name="roster.csv")
    assert result.created == 3


def test_empty_file_and_header_only(setup):
    errors = reject(setup, b"", name="roster.csv")
    assert "空" in errors[0]["message"]
    errors = reject(setup, xlsx_bytes([]))
    assert "只有表头" in errors[0]["message"]
    errors = reject(setup, csv_bytes([]), name="roster.csv")
    assert "只有表头" in errors[0]["message"]
    errors = reject(setup, csv_bytes([["a", "b"]], head=["编号", "备注"]), name="roster.csv")
    assert "找不到表头" in errors[0]["message"]


@override_settings(JIFEN_ROSTER_MAX_BYTES=1024)
def test_too_large_is_refused_before_reading(setup):
    t, clerk = setup

    class Huge(io.RawIOBase):
        """Claims 100 MB; reading more than the limit fails the test."""
        size = 100 * 1024 * 1024
        read_total = 0

        def readable(self):
            return True

        def read(self, n=-1):
            raise AssertionError("the file must not be read when its size is known to be too large")

    before = Member.objects.count()
    with pytest.raises(RosterImportError) as exc:
        import_roster(Huge(), "big.xlsx", organisation=t["gb1"], user=clerk)
    assert "100.0 MB" in exc.value.errors[0]["message"] and "上限" in exc.value.errors[0]["message"]
    assert Member.objects.count() == before


@override_settings(JIFEN_ROSTER_MAX_BYTES=1024)
def test_too_large_stream_without_size_reads_at_most_limit(setup):
    t, clerk = setup

    class Stream:
        def __init__(self):
            self.read_total = 0

        def read(self, n=-1):
            assert n != -1 and n <= 1025
            self.read_total += n
            return b"x" * n

    s = Stream()
    with pytest.raises(RosterImportError) as exc:
        import_roster(s, "big.csv", organisation=t["gb1"], user=clerk)
    assert "上限" in exc.value.errors[0]["message"]
    assert s.read_total <= 1025


# ---------------------------------------------------------------- encodings


@pytest.mark.parametrize("encoding,bom", [("utf-8", False), ("utf-8", True), ("gbk", False), ("gb18030", False)])
def test_csv_encodings(setup, encoding, bom):
    result = run(setup, csv_bytes(good_rows(), encoding=encoding, bom=bom), name="名册.csv")
    assert result.created == 3
    assert Member.objects.get(id_number=ID_B).name == "李秀英"
    assert Member.objects.get(id_number=ID_A).organisation.name == "东街社区党支部"


def test_csv_with_undecodable_bytes(setup):
    errors = reject(setup, "姓名,所在支部\r\n".encode("utf-8") + b"\x81\xff\xfe\x80\r\n", name="x.csv")
    assert "编码" in errors[0]["message"]


# ---------------------------------------------------------------- permissions and scope


def test_import_into_another_branch_is_refused(setup):
    t, _ = setup
    sec = user("sec_dongjie", role=RoleKind.SECRETARY, on=t["b1"])
    with pytest.raises(PermissionDenied):
        import_roster(upload(xlsx_bytes(good_rows())), "r.xlsx", organisation=t["b2"], user=sec)
    # Into their own branch, a row naming the sibling branch is rejected and named.
    errors = reject(setup, xlsx_bytes(good_rows()), organisation=t["b1"], who=sec)
    assert "不在您可管理的范围内" in find(errors, 4, "所在支部")["message"]
    assert Member.objects.count() == 0


def test_reviewer_and_grid_worker_cannot_import(setup):
    t, _ = setup
    rev = user("rev", role=RoleKind.REVIEWER, on=t["town"])
    with pytest.raises(PermissionDenied):
        import_roster(upload(xlsx_bytes(good_rows())), "r.xlsx", organisation=t["gb1"], user=rev)


def test_branch_by_code_and_blank_branch_in_leaf(setup):
    t, _ = setup
    sec = user("sec_dongjie", role=RoleKind.SECRETARY, on=t["b1"])
    rows = [["甲", "", "", "", "", "", "", "", ""], ["乙", "", "", "", "", "", "", "dongjie", ""]]
    result = run(setup, xlsx_bytes(rows), organisation=t["b1"], who=sec)
    assert result.created == 2
    assert set(Member.objects.values_list("organisation__code", flat=True)) == {"dongjie"}
    # At a level with children the branch is required.
    errors = reject(setup, xlsx_bytes([["丙", "", "", "", "", "", "", "", ""]]))
    assert "未填写所在支部" in find(errors, 2, "所在支部")["message"]


def test_ambiguous_branch_name_asks_for_code(setup):
    t, _ = setup
    org("第一党小组", parent=t["b1"], code="g1")
    org("第一党小组", parent=t["b2"], code="g2")
    errors = reject(setup, xlsx_bytes([["甲", "", "", "", "", "", "", "第一党小组", ""]]))
    assert "编码" in find(errors, 2, "所在支部")["message"]


# ---------------------------------------------------------------- export


def test_export_masks_id_and_round_trips_unchanged(setup):
    t, clerk = setup
    run(setup, xlsx_bytes(good_rows()))
    members = Member.objects.filter(organisation__path__startswith=t["gb1"].path)
    data = export_xlsx(members)
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    ids = {r[2] for r in rows[1:]}
    assert ID_A not in ids and mask(ID_A) in ids
    again = run(setup, data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    text = export_csv(members)
    assert text.startswith(b"\xef\xbb\xbf") and ID_B.encode() not in text
    again = run(setup, text, name="x.csv")
    assert again.unchanged == 3


def test_export_neutralises_formulas(setup):
    t, _ = setup
    Member.objects.create(organisation=t["b1"], name="=HYPERLINK(\"http://x\")", phone="+8613800001111")
    data = export_xlsx(Member.objects.all())
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws["A2"].data_type == "s" and ws["A2"].value == "=HYPERLINK(\"http://x\")"  # text cell, as typed
    assert b"'=HYPERLINK" in export_csv(Member.objects.all())


def test_masked_id_for_unknown_member_is_rejected(setup):
    rows = [["新人", "", mask(ID_A), "", "", "", "", "东街社区党支部", ""]]
    errors = reject(setup, xlsx_bytes(rows))
    assert "脱敏" in find(errors, 2, "身份证号")["message"]


@pytest.mark.django_db(transaction=True)
def test_the_standard_categories_survive_a_flush():
    """A flushed database (manage.py flush, a transactional test's teardown) still has the standard
    categories: a roster imported after it was refused row by row (类别 unknown)."""
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    assert MemberCategory.objects.filter(code="in_service").exists()
