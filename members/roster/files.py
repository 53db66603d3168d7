"""Reading an uploaded roster file: size limit, type by content, the sheet and its header rows.

The type is decided by the content, never by the file name. Spreadsheets (.xlsx, old .xls, .ods,
and what WPS saves) are read with python-calamine, which reads the cells that are there and never
trusts a declared size: a WPS file declaring ``A1`` loses no row, and one declaring
``A1:XFD1048576`` reads as fast as its real content. Before calamine lays a sheet out, an .xlsx is
checked for cells beyond :data:`MAX_ROWS` × :data:`MAX_COLUMNS` and for parts that inflate beyond
:data:`MAX_UNCOMPRESSED_BYTES` (a zip bomb). The roster is the first sheet whose first rows hold a
“姓名” heading; a title row above it (花名册) and a second heading row below it (merged
headings with sub-headings) are both understood. CSV text is UTF-8 or GBK.
"""
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .columns import HEADER_LOOKUP, IGNORED_HEADERS, normalise_header
from .report import RosterImportError, row_error, too_large_message
from workdays.wording import join_list

#: How many leading rows may hold a title above the header row.
HEADER_SEARCH_ROWS = 10
#: An .xlsx whose parts inflate beyond this is refused (zip bomb).
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
#: The most rows and columns a roster sheet may span (a cell beyond them is refused, not read).
MAX_ROWS = 20100
MAX_COLUMNS = 200
_CELL_WITH_CONTENT = re.compile(rb'<(?:\w+:)?c r="([A-Z]{1,3})(\d{1,7})"[^>]*?(?<!/)>\s*<(?:\w+:)?[vfi]')


def _file_size(file_obj):
    size = getattr(file_obj, "size", None)
    if size is not None:
        return size
    try:
        pos = file_obj.tell()
        file_obj.seek(0, io.SEEK_END)
        size = file_obj.tell()
        file_obj.seek(pos)
        return size
    except (AttributeError, OSError, ValueError):
        return None


def read_limited(file_obj, limit):
    """Read at most ``limit`` bytes; refuse a larger file without reading the rest."""
    size = _file_size(file_obj)
    if size is not None and size > limit:
        raise RosterImportError([row_error(None, "", "", too_large_message(size, limit))])
    if hasattr(file_obj, "seek"):
        try:
            file_obj.seek(0)
        except (OSError, ValueError):
            pass
    data = file_obj.read(limit + 1)
    if len(data) > limit:
        raise RosterImportError([row_error(None, "", "", too_large_message(None, limit))])
    return data


@dataclass
class Table:
    """What :func:`read_table` found: where the rows are and what each column holds."""

    sheet: str  # the sheet read ("" for CSV)
    header_row: int
    mapping: dict  # column index -> field key
    ignored: list  # headers not known
    rows: object  # iterator of (row number, values)
    other_sheets: list = field(default_factory=list)


def _refuse(message):
    raise RosterImportError([row_error(None, "", "", message)])


def _sniff(data):
    """'zip' (.xlsx or .ods), 'ole' (.xls, WPS .et, or an encrypted workbook) or 'text', by content."""
    if data[:4] == b"PK\x03\x04":
        return "zip"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "ole"
    return "text"


def _column_number(letters):
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def _check_zip(data):
    """'xlsx' or 'ods' after the zip checks; refuses a zip that is no workbook, a bomb, or cells out of range."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = set(zf.namelist())
    except zipfile.BadZipFile:
        _refuse(_("文件已损坏，无法作为 Excel 文件打开。"))
    if sum(i.file_size for i in zf.infolist()) > MAX_UNCOMPRESSED_BYTES:
        _refuse(_("Excel 文件解压后过大，已拒绝。"))
    if "mimetype" in names and b"opendocument.spreadsheet" in zf.read("mimetype")[:100]:
        return "ods"
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        _refuse(_("文件类型不正确：这是一个压缩包而不是 Excel 工作簿。请上传 .xlsx、.xls、.ods 或 .csv 文件。"))
    for name in names:
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            with zf.open(name) as part:
                xml = part.read()
            for letters, digits in _CELL_WITH_CONTENT.findall(xml):
                if int(digits) > MAX_ROWS or _column_number(letters.decode()) > MAX_COLUMNS:
                    _refuse(_("工作表中单元格 %(cell)s 有内容，超出名册的范围（最多%(rows)d行、%(cols)d列）；"
                              "请删除多余的内容后再上传。") % {
                        "cell": (letters + digits).decode(), "rows": MAX_ROWS, "cols": MAX_COLUMNS})
    return "xlsx"


def _open_workbook(data, kind):
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - calamine raises several kinds on malformed or encrypted files
        if kind == "ods":
            _refuse(_("文件已损坏，无法作为 .ods 表格打开；请用 WPS 或 LibreOffice 另存为 .xlsx 后再上传。"))
        if kind == "ole":
            _refuse(_("无法读取该 .xls 文件：文件已损坏或设置了密码。请在 Excel 或 WPS 中取消密码后另存为 .xlsx 再上传。"))
        _refuse(_("文件已损坏，无法作为 Excel 文件打开。"))


def _sheet_rows(workbook, name):
    """(row number, values) of one sheet, at most :data:`MAX_COLUMNS` wide; refuses a sheet too tall."""
    try:
        sheet = workbook.get_sheet_by_name(name)
    except Exception:  # noqa: BLE001 - a chart sheet or a damaged part
        return []
    if not sheet.end:
        return []
    if sheet.end[0] + 1 > MAX_ROWS:
        _refuse(_("工作表“%(sheet)s”有%(n)d行，超过上限%(max)d行，请分批导入。") % {
            "sheet": name, "n": sheet.end[0] + 1, "max": MAX_ROWS})
    rows = [list(values[:MAX_COLUMNS]) for values in sheet.iter_rows()]
    # calamine's rows start at the sheet's first row (row 1) even when the first cells are lower down.
    first = 1 if len(rows) == sheet.end[0] + 1 else sheet.start[0] + 1
    return list(enumerate(rows, start=first))


def _decode_text(data):
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RosterImportError([row_error(None, "", "", _(
            "文件类型不正确：既不是 Excel 工作簿（.xlsx）也不是 CSV 文本文件。"))])
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8", "gb18030"]  # gb18030 is a superset of GBK, as saved by Chinese Excel
    for enc in encodings:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise RosterImportError([row_error(None, "", "", _(
        "无法识别文件编码或文件不是文本：CSV 文件请用 UTF-8 或 GBK 编码保存。"))])


def _csv_rows(data):
    text = _decode_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        for number, values in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            yield number, values
    except csv.Error as exc:
        raise RosterImportError([row_error(None, "", "", _("CSV 格式错误：%(e)s") % {"e": exc})]) from None


def _header_row(rows):
    """(index in ``rows``, headers) of the first row holding 姓名 among the first rows, else None."""
    for index, (number, values) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        headers = [normalise_header(v) for v in values]
        if "姓名" in headers:
            return index, headers
    return None


def _with_sub_headings(headers, below):
    """Headings merged over two rows: the second row's known headings replace the first row's."""
    subs = [normalise_header(v) for v in below]
    name_column = headers.index("姓名")
    known = [h for h in subs if h in HEADER_LOOKUP or h in IGNORED_HEADERS]
    if not known or (name_column < len(subs) and subs[name_column] and subs[name_column] != "姓名"):
        return None
    if any(h and h not in known for h in subs):
        return None
    width = max(len(headers), len(subs))
    headers = headers + [""] * (width - len(headers))
    return [subs[i] if i < len(subs) and subs[i] else headers[i] for i in range(width)]


def _find_roster(data):
    """(sheet name, other sheet names, rows, header index, headers) of the roster in ``data``."""
    kind = _sniff(data)
    if kind == "text":
        rows = list(_csv_rows(data))
        return "", [], rows, _header_row(rows)
    if kind == "zip":
        kind = _check_zip(data)
    workbook = _open_workbook(data, kind)
    names = list(workbook.sheet_names)
    for name in names:
        rows = _sheet_rows(workbook, name)
        found = _header_row(rows)
        if found is not None:
            return name, [n for n in names if n != name], rows, found
    _refuse(_("找不到表头：工作表%(sheets)s的前%(n)d行中都没有包含“姓名”的行。请使用导出的名册模板。") % {
        "sheets": join_list(f"“{n}”" for n in names), "n": HEADER_SEARCH_ROWS})


def read_table(data):
    """The roster's :class:`Table`: the sheet read, the header row, column index → field key, the rows below."""
    sheet, others, rows, found = _find_roster(data)
    if found is None:
        if not data.strip():
            _refuse(_("文件是空的。"))
        _refuse(_("找不到表头：前%(n)d行中没有包含“姓名”的行。请使用导出的名册模板。") % {"n": HEADER_SEARCH_ROWS})
    index, headers = found
    number = rows[index][0]
    if index + 1 < len(rows):
        merged = _with_sub_headings(headers, rows[index + 1][1])
        if merged is not None:
            headers, index = merged, index + 1
    mapping, ignored, errors, seen = {}, [], [], {}
    for column, header in enumerate(headers):
        if not header or header in IGNORED_HEADERS:
            continue
        key = HEADER_LOOKUP.get(header)
        if key is None:
            ignored.append(header)
            continue
        if key in seen:
            errors.append(row_error(number, header, header, _("表头重复：“%(a)s”与“%(b)s”是同一列。") % {
                "a": seen[key], "b": header}))
            continue
        seen[key] = header
        mapping[column] = key
    if errors:
        raise RosterImportError(errors)
    return Table(sheet=sheet, header_row=number, mapping=mapping, ignored=ignored, rows=iter(rows[index + 1:]),
                 other_sheets=others)
