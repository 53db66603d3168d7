"""Reading an uploaded roster file: size limit, type by content (.xlsx or CSV text), the header row.

The type is decided by the content, never by the file name; an .xlsx that inflates beyond
:data:`MAX_UNCOMPRESSED_BYTES` (a zip bomb), an old .xls, an .ods or an undecodable text file
is refused with a message that says what to do instead.
"""
import csv
import io
import zipfile

from django.utils.translation import gettext as _

from .columns import HEADER_LOOKUP, normalise_header
from .report import RosterImportError, row_error, too_large_message

#: How many leading rows may hold a title above the header row.
HEADER_SEARCH_ROWS = 10
#: An .xlsx whose parts inflate beyond this is refused (zip bomb).
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024


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


def _sniff(data):
    """'xlsx', 'xls', or 'text' by content, never by file name."""
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "xls"
    return "text"


def _xlsx_rows(data):
    import openpyxl

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = set(zf.namelist())
    except zipfile.BadZipFile:
        raise RosterImportError([row_error(None, "", "", _("文件已损坏，无法作为 Excel 文件打开。"))]) from None
    if "mimetype" in names and b"opendocument.spreadsheet" in zf.read("mimetype")[:100]:
        raise RosterImportError([row_error(None, "", "", _(
            "不支持 .ods 格式（WPS/LibreOffice 表格），请另存为 .xlsx 或 CSV 后再上传。"))])
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise RosterImportError([row_error(None, "", "", _(
            "文件类型不正确：这是一个压缩包而不是 Excel 工作簿。请上传 .xlsx 或 .csv 文件。"))])
    if sum(i.file_size for i in zf.infolist()) > MAX_UNCOMPRESSED_BYTES:
        raise RosterImportError([row_error(None, "", "", _("Excel 文件解压后过大，已拒绝。"))])
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on malformed parts
        raise RosterImportError([row_error(None, "", "", _("文件已损坏，无法作为 Excel 文件打开。"))]) from None
    ws = wb.worksheets[0]
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        yield number, list(values)
    wb.close()


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


def read_table(data):
    """(header row number, column index → field key, ignored headers, iterator of (row, values))."""
    kind = _sniff(data)
    if kind == "xls":
        raise RosterImportError([row_error(None, "", "", _(
            "不支持旧版 Excel（.xls）格式或加密的 Excel 文件，请在 Excel 中取消密码并“另存为” .xlsx 或 CSV 后再上传。"))])
    rows = _xlsx_rows(data) if kind == "xlsx" else _csv_rows(data)
    for number, values in rows:
        headers = [normalise_header(v) for v in values]
        if "姓名" in headers:
            break
        if number >= HEADER_SEARCH_ROWS:
            number = None
            break
    else:
        number = None
    if number is None:
        if not data.strip():
            raise RosterImportError([row_error(None, "", "", _("文件是空的。"))])
        raise RosterImportError([row_error(None, "", "", _(
            "找不到表头：前%(n)d行中没有包含“姓名”的行。请使用导出的名册模板。") % {"n": HEADER_SEARCH_ROWS})])
    mapping, ignored, errors, seen = {}, [], [], {}
    for index, header in enumerate(headers):
        if not header:
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
        mapping[index] = key
    if errors:
        raise RosterImportError(errors)
    return number, mapping, ignored, rows
