"""Roster import and export (党员名册导入导出), .xlsx and .csv.

Import is all-or-nothing: every row is validated first and every problem is collected
into a report naming the row and the column (in Chinese); when the report is not empty
nothing is written. Otherwise all rows are written in one transaction.

Matching: a row is the same person as an existing member when the ID number matches;
without an ID number (or with the masked number from an export), when name and branch
match. A blank cell never erases a stored value, so re-importing a file, or importing a
file exported from here, changes nothing.
"""
import csv
import datetime
import hashlib
import io
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.models import Organisation
from organisations.permissions import BRANCH_STAFF, organisations_for, require

from .idcard import birth_date as id_birth_date
from .idcard import mask, validate_id_number
from .models import Gender, Member, MemberCategory, MemberKind, RosterImport, Transfer, TransferDirection

#: (field key, canonical header, accepted aliases). Order is the export order.
COLUMNS = [
    ("name", "姓名", ()),
    ("gender", "性别", ()),
    ("id_number", "身份证号", ("身份证号码", "公民身份号码", "身份证")),
    ("birth_date", "出生日期", ("出生年月日",)),
    ("joined_on", "入党日期", ("入党时间",)),
    ("kind", "身份", ("党员身份", "人员身份")),
    ("category", "类别", ("党员类别", "人员类别")),
    ("branch", "所在支部", ("所在党支部", "所在组织", "所在党组织", "支部", "党支部")),
    ("branch_code", "支部编码", ("组织编码",)),
    ("phone", "联系电话", ("电话", "手机", "手机号", "手机号码")),
    ("household_size", "家庭人口", ("家庭人口数",)),
]
HEADERS = [c[1] for c in COLUMNS]
_HEADER_LOOKUP = {}
for _key, _header, _aliases in COLUMNS:
    for _h in (_header, *_aliases):
        _HEADER_LOOKUP[_h] = _key
_HEADER_OF = {c[0]: c[1] for c in COLUMNS}

#: How many leading rows may hold a title above the header row.
HEADER_SEARCH_ROWS = 10
MAX_DATA_ROWS = 20000
#: An .xlsx whose parts inflate beyond this is refused (zip bomb).
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024

_KIND_ALIASES = {
    **{str(label): value for value, label in MemberKind.choices},
    "正式党员": MemberKind.PARTY_MEMBER,
    "积极分子": MemberKind.ACTIVIST,
    "户": MemberKind.HOUSEHOLD,
    "户主": MemberKind.HOUSEHOLD,
}
_GENDER_ALIASES = {"男": Gender.MALE, "男性": Gender.MALE, "M": Gender.MALE, "女": Gender.FEMALE,
                   "女性": Gender.FEMALE, "F": Gender.FEMALE}
_MASKED_ID = re.compile(r"^\d{6}\*{8}[\dX]{4}$")
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$")
_PHONE = re.compile(r"^[0-9+\-() ]{7,20}$")
_DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
_PARTIAL_DATE = re.compile(r"^\d{4}(年|[-/.年]\d{1,2}月?)?$|^\d{6}$")
_TIME_SUFFIX = re.compile(r"\s+\d{1,2}:\d{2}(:\d{2})?$")


class RosterImportError(Exception):
    """The file was rejected; ``errors`` is the row-by-row report, nothing was written."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__(_("名册导入失败，共%(n)d处问题，未写入任何数据。") % {"n": len(errors)})


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ignored_columns: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # (row number, "created"|"updated"|"unchanged", member pk)
    record: object = None  # the RosterImport row

    @property
    def total(self):
        return self.created + self.updated + self.unchanged


def _error(row, column, value, message):
    return {"row": row, "column": column or "", "value": "" if value is None else str(value), "message": str(message)}


# --------------------------------------------------------------------------- reading


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


def _read_limited(file_obj, limit):
    """Read at most ``limit`` bytes; refuse a larger file without reading the rest."""
    size = _file_size(file_obj)
    if size is not None and size > limit:
        raise RosterImportError([_error(None, "", "", _too_large_message(size, limit))])
    if hasattr(file_obj, "seek"):
        try:
            file_obj.seek(0)
        except (OSError, ValueError):
            pass
    data = file_obj.read(limit + 1)
    if len(data) > limit:
        raise RosterImportError([_error(None, "", "", _too_large_message(None, limit))])
    return data


def _too_large_message(size, limit):
    if size is None:
        return _("文件超过大小上限%(limit)s MB，已拒绝。") % {"limit": limit // (1024 * 1024)}
    return _("文件大小为%(size).1f MB，超过上限%(limit)s MB，已拒绝。") % {
        "size": size / (1024 * 1024), "limit": limit // (1024 * 1024)}


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
        raise RosterImportError([_error(None, "", "", _("文件已损坏，无法作为 Excel 文件打开。"))]) from None
    if "mimetype" in names and b"opendocument.spreadsheet" in zf.read("mimetype")[:100]:
        raise RosterImportError([_error(None, "", "", _(
            "不支持 .ods 格式（WPS/LibreOffice 表格），请另存为 .xlsx 或 CSV 后再上传。"))])
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise RosterImportError([_error(None, "", "", _(
            "文件类型不正确：这是一个压缩包而不是 Excel 工作簿。请上传 .xlsx 或 .csv 文件。"))])
    if sum(i.file_size for i in zf.infolist()) > MAX_UNCOMPRESSED_BYTES:
        raise RosterImportError([_error(None, "", "", _("Excel 文件解压后过大，已拒绝。"))])
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on malformed parts
        raise RosterImportError([_error(None, "", "", _("文件已损坏，无法作为 Excel 文件打开。"))]) from None
    ws = wb.worksheets[0]
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        yield number, list(values)
    wb.close()


def _decode_text(data):
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RosterImportError([_error(None, "", "", _(
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
    raise RosterImportError([_error(None, "", "", _(
        "无法识别文件编码或文件不是文本：CSV 文件请用 UTF-8 或 GBK 编码保存。"))])


def _csv_rows(data):
    text = _decode_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        for number, values in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            yield number, values
    except csv.Error as exc:
        raise RosterImportError([_error(None, "", "", _("CSV 格式错误：%(e)s") % {"e": exc})]) from None


def _normalise_header(value):
    text = "" if value is None else str(value)
    text = re.sub(r"[\s\u3000*＊]", "", text)
    text = re.sub(r"[（(].*?[)）]$", "", text)
    return text


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip().replace("\u3000", " ").strip()
    if text.startswith("'"):  # spreadsheet text marker, also what our export writes
        text = text[1:].strip()
    return text


def _table(data):
    """(header row number, column index → field key, ignored headers, iterator of (row, values))."""
    kind = _sniff(data)
    if kind == "xls":
        raise RosterImportError([_error(None, "", "", _(
            "不支持旧版 Excel（.xls）格式或加密的 Excel 文件，请在 Excel 中取消密码并“另存为” .xlsx 或 CSV 后再上传。"))])
    rows = _xlsx_rows(data) if kind == "xlsx" else _csv_rows(data)
    for number, values in rows:
        headers = [_normalise_header(v) for v in values]
        if "姓名" in headers:
            break
        if number >= HEADER_SEARCH_ROWS:
            number = None
            break
    else:
        number = None
    if number is None:
        if not data.strip():
            raise RosterImportError([_error(None, "", "", _("文件是空的。"))])
        raise RosterImportError([_error(None, "", "", _(
            "找不到表头：前%(n)d行中没有包含“姓名”的行。请使用导出的名册模板。") % {"n": HEADER_SEARCH_ROWS})])
    mapping, ignored, errors, seen = {}, [], [], {}
    for index, header in enumerate(headers):
        if not header:
            continue
        key = _HEADER_LOOKUP.get(header)
        if key is None:
            ignored.append(header)
            continue
        if key in seen:
            errors.append(_error(number, header, header, _("表头重复：“%(a)s”与“%(b)s”是同一列。") % {
                "a": seen[key], "b": header}))
            continue
        seen[key] = header
        mapping[index] = key
    if errors:
        raise RosterImportError(errors)
    return number, mapping, ignored, rows


# --------------------------------------------------------------------------- validating


def parse_date(value):
    """A date from an Excel date cell or text such as 2025-03-06, 2025/3/6, 2025年3月6日.

    Raises ValueError with a Chinese message.
    """
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and 19000101 <= value <= 21001231:
            value = str(int(value))
        elif 1 <= value < 2958466:
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).date()
    text = _TIME_SUFFIX.sub("", _cell_text(value))
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return datetime.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                raise ValueError(_("日期不存在")) from None
    if _PARTIAL_DATE.match(text):
        raise ValueError(_("日期不完整，需要年、月、日，例如 2025-03-06"))
    raise ValueError(_("无法识别的日期，请写成 2025-03-06、2025/3/6 或 2025年3月6日"))


class _Scope:
    """Organisations the importing user may write members into."""

    def __init__(self, user, organisation):
        self.organisation = organisation
        allowed = organisations_for(user, BRANCH_STAFF).filter(path__startswith=organisation.path)
        self.allowed = {o.pk: o for o in allowed}
        self.by_code = {o.code: o for o in self.allowed.values()}
        self.by_name = defaultdict(list)
        for o in self.allowed.values():
            self.by_name[o.name].append(o)
            if o.short_name and o.short_name != o.name:
                self.by_name[o.short_name].append(o)
        self.has_children = organisation.children.exists()

    def resolve(self, name, code):
        """(organisation, None) or (None, error message)."""
        if code:
            if code in self.by_code:
                found = self.by_code[code]
                if name and name not in (found.name, found.short_name, found.code):
                    return None, _("所在支部“%(name)s”与支部编码“%(code)s”（%(real)s）不一致") % {
                        "name": name, "code": code, "real": found.name}
                return found, None
            if Organisation.objects.filter(code=code).exists():
                return None, _("支部编码“%(code)s”不在您可管理的范围内") % {"code": code}
            return None, _("找不到编码为“%(code)s”的组织") % {"code": code}
        if not name:
            if self.has_children:
                return None, _("未填写所在支部（“%(org)s”下设多个组织，必须写明）") % {"org": self.organisation}
            return self.organisation, None
        if name in self.by_code:
            return self.by_code[name], None
        candidates = self.by_name.get(name, [])
        if len(candidates) == 1:
            return candidates[0], None
        if len(candidates) > 1:
            return None, _("有%(n)d个组织都叫“%(name)s”，请改填支部编码") % {"n": len(candidates), "name": name}
        if Organisation.objects.filter(name=name).exists() or Organisation.objects.filter(code=name).exists():
            return None, _("“%(name)s”不在您可管理的范围内，不能导入到该组织") % {"name": name}
        return None, _("找不到名为“%(name)s”的组织") % {"name": name}


def _validate_row(number, raw, scope, categories, today):
    """(clean dict, errors) for one row. Values left blank are absent from the dict."""
    errors = []
    clean = {"row": number}

    def err(key, value, message):
        shown = value
        if key == "id_number" and value and not _MASKED_ID.match(str(value)):
            shown = mask(str(value)) if len(str(value)) >= 10 else value
        errors.append(_error(number, _HEADER_OF[key], shown, message))

    name = _cell_text(raw.get("name"))
    if not name:
        err("name", "", _("姓名不能为空"))
    elif len(name) > 50:
        err("name", name, _("姓名过长（最多50个字）"))
    else:
        clean["name"] = name

    value = raw.get("id_number")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        err("id_number", value, _("身份证号被 Excel 存成了数字，后几位可能已丢失；请把该列设为“文本”格式后重新录入"))
    else:
        text = _cell_text(value).upper()
        if _SCIENTIFIC.match(text):
            err("id_number", text, _("身份证号被 Excel 显示成了科学计数法，后几位已丢失；请把该列设为“文本”格式后重新录入"))
        elif _MASKED_ID.match(text):
            clean["masked_id"] = text
        elif text:
            try:
                clean["id_number"] = validate_id_number(text)
            except ValueError as exc:
                err("id_number", text, exc)

    for key in ("birth_date", "joined_on"):
        value = raw.get(key)
        if value is None or _cell_text(value) == "":
            continue
        try:
            day = parse_date(value)
        except ValueError as exc:
            err(key, _cell_text(value), exc)
            continue
        if day > today:
            err(key, day.isoformat(), _("日期不能晚于今天"))
        elif day.year < 1900:
            err(key, day.isoformat(), _("日期早于1900年"))
        else:
            clean[key] = day

    if "id_number" in clean:
        born = id_birth_date(clean["id_number"])
        if "birth_date" in clean and clean["birth_date"] != born:
            err("birth_date", clean["birth_date"].isoformat(),
                _("与身份证号中的出生日期%(d)s不一致") % {"d": born.isoformat()})
        clean.setdefault("birth_date", born)
    if "birth_date" in clean and "joined_on" in clean:
        born = clean["birth_date"]
        try:
            adult = born.replace(year=born.year + 18)
        except ValueError:  # 29 February
            adult = born.replace(year=born.year + 18, day=28)
        if clean["joined_on"] < adult:
            err("joined_on", clean["joined_on"].isoformat(), _("入党时未满18周岁"))

    text = _cell_text(raw.get("gender"))
    if text:
        if text.upper() in _GENDER_ALIASES or text in _GENDER_ALIASES:
            clean["gender"] = _GENDER_ALIASES.get(text) or _GENDER_ALIASES[text.upper()]
        else:
            err("gender", text, _("性别只能填“男”或“女”"))
    if "id_number" in clean:
        from_id = Gender.MALE if int(clean["id_number"][16]) % 2 else Gender.FEMALE
        if "gender" in clean and clean["gender"] != from_id:
            err("gender", text, _("与身份证号显示的性别不一致"))
        clean.setdefault("gender", from_id)

    text = _cell_text(raw.get("kind"))
    if text:
        if text in _KIND_ALIASES:
            clean["kind"] = _KIND_ALIASES[text]
        else:
            err("kind", text, _("身份应为：%(choices)s") % {"choices": "、".join(str(lbl) for _v, lbl in MemberKind.choices)})

    text = _cell_text(raw.get("category"))
    if text:
        if text in categories:
            clean["category"] = categories[text]
        else:
            names = sorted({c.name for c in categories.values()})
            err("category", text, _("未知的类别，可选：%(choices)s") % {"choices": "、".join(names) or _("（系统中尚无类别）")})

    text = _cell_text(raw.get("phone"))
    if text:
        if _PHONE.match(text):
            clean["phone"] = text
        else:
            err("phone", text, _("联系电话格式不正确"))

    value = raw.get("household_size")
    text = _cell_text(value)
    if text:
        if text.isdigit() and 1 <= int(text) <= 50:
            clean["household_size"] = int(text)
        else:
            err("household_size", text, _("家庭人口应为1到50之间的整数"))

    branch_name, branch_code = _cell_text(raw.get("branch")), _cell_text(raw.get("branch_code"))
    organisation, message = scope.resolve(branch_name, branch_code)
    if message:
        key = "branch_code" if branch_code else "branch"
        err(key, branch_code or branch_name, message)
    else:
        clean["organisation"] = organisation
    return clean, errors


_UPDATABLE = ("name", "gender", "id_number", "birth_date", "joined_on", "kind", "category", "phone", "household_size")


def import_roster(file_obj, filename, *, organisation, user):
    """Import a roster into ``organisation``'s subtree on behalf of ``user``.

    Returns an :class:`ImportResult`; raises :class:`RosterImportError` (nothing written)
    with every problem found, or PermissionDenied when ``user`` may not manage
    ``organisation`` at all. ``filename`` is only used for messages: the type is
    decided by the content.
    """
    require(user, organisation, BRANCH_STAFF)
    limit = getattr(settings, "JIFEN_ROSTER_MAX_BYTES", 10 * 1024 * 1024)
    data = _read_limited(file_obj, limit)
    if not data.strip():
        raise RosterImportError([_error(None, "", "", _("文件“%(f)s”是空的。") % {"f": filename})])
    header_row, mapping, ignored, rows = _table(data)
    if "name" not in mapping.values():
        raise RosterImportError([_error(header_row, "姓名", "", _("缺少“姓名”列"))])

    scope = _Scope(user, organisation)
    categories = {}
    for c in MemberCategory.objects.all():
        categories[c.code] = c
        categories[c.name] = c
    today = timezone.localdate()

    cleaned, errors = [], []
    for number, values in rows:
        if not any(_cell_text(v) for v in values):
            continue
        if len(cleaned) >= MAX_DATA_ROWS:
            errors.append(_error(number, "", "", _("数据行超过%(n)d行，请分批导入") % {"n": MAX_DATA_ROWS}))
            break
        raw = {key: values[i] for i, key in mapping.items() if i < len(values)}
        clean, row_errors = _validate_row(number, raw, scope, categories, today)
        cleaned.append(clean)
        errors.extend(row_errors)
    if not cleaned and not errors:
        raise RosterImportError([_error(None, "", "", _("文件只有表头，没有数据行。"))])

    errors.extend(_cross_check(cleaned, organisation))
    plan = _match(cleaned, organisation, errors)
    if errors:
        errors.sort(key=lambda e: (e["row"] or 0, HEADERS.index(e["column"]) if e["column"] in HEADERS else 99))
        raise RosterImportError(errors)

    result = ImportResult(ignored_columns=ignored)
    try:
        with transaction.atomic():
            for clean, member in plan:
                action, member = _write(clean, member, user, today)
                setattr(result, action, getattr(result, action) + 1)
                result.rows.append((clean["row"], action, member.pk))
            result.record = RosterImport.objects.create(
                organisation=organisation, user=user, filename=(filename or "")[:255],
                sha256=hashlib.sha256(data).hexdigest(),
                created=result.created, updated=result.updated, unchanged=result.unchanged,
            )
    except IntegrityError:
        # Someone else wrote a conflicting member between validation and writing.
        raise RosterImportError([_error(None, "", "", _("写入时发生冲突（身份证号重复），请重新导入。"))]) from None
    return result


def _cross_check(cleaned, organisation):
    """Duplicates inside the file, and ID numbers held by members outside the subtree."""
    errors = []
    first_by_id, first_by_name = {}, {}
    for clean in cleaned:
        number = clean.get("id_number")
        if number:
            if number in first_by_id:
                errors.append(_error(clean["row"], "身份证号", mask(number), _(
                    "身份证号与第%(r)d行重复") % {"r": first_by_id[number]}))
            else:
                first_by_id[number] = clean["row"]
        elif "name" in clean and "organisation" in clean:
            key = (clean["name"], clean["organisation"].pk)
            if key in first_by_name:
                errors.append(_error(clean["row"], "姓名", clean["name"], _(
                    "与第%(r)d行同名且在同一支部，未填身份证号无法区分") % {"r": first_by_name[key]}))
            else:
                first_by_name[key] = clean["row"]
    if first_by_id:
        outside = Member.objects.filter(id_number__in=list(first_by_id)).exclude(
            organisation__path__startswith=organisation.path)
        for number in outside.values_list("id_number", flat=True):
            errors.append(_error(first_by_id[number], "身份证号", mask(number), _(
                "该身份证号已登记在您管理范围以外的组织，请办理组织关系转接，不能重复登记")))
    return errors


def _match(cleaned, organisation, errors):
    """Pair every valid row with the existing member it updates (or None to create)."""
    plan = []
    in_scope = Member.objects.filter(organisation__path__startswith=organisation.path)
    by_id = {m.id_number: m for m in in_scope.filter(
        id_number__in=[c["id_number"] for c in cleaned if c.get("id_number")])}
    by_name = defaultdict(list)
    names = {c["name"] for c in cleaned if "name" in c}
    for m in in_scope.filter(name__in=names):
        by_name[(m.name, m.organisation_id)].append(m)
    claimed = {}
    for clean in cleaned:
        if "name" not in clean or "organisation" not in clean:
            continue
        member = None
        same_name = by_name.get((clean["name"], clean["organisation"].pk), [])
        if clean.get("id_number"):
            member = by_id.get(clean["id_number"])
            if member is None:
                without_id = [m for m in same_name if not m.id_number]
                if len(without_id) == 1:
                    member = without_id[0]
        elif clean.get("masked_id"):
            hits = [m for m in same_name if mask(m.id_number) == clean["masked_id"]]
            if len(hits) != 1:
                errors.append(_error(clean["row"], "身份证号", clean["masked_id"], _(
                    "身份证号是脱敏后的号码，且找不到同一支部中姓名和号码都对应的成员；新成员请填写完整号码")))
                continue
            member = hits[0]
        else:
            if len(same_name) > 1:
                errors.append(_error(clean["row"], "姓名", clean["name"], _(
                    "该支部有%(n)d名同名成员，请填写身份证号以区分") % {"n": len(same_name)}))
                continue
            member = same_name[0] if same_name else None
        if member is not None:
            if member.pk in claimed:
                errors.append(_error(clean["row"], "姓名", clean["name"], _(
                    "与第%(r)d行对应同一名成员") % {"r": claimed[member.pk]}))
                continue
            claimed[member.pk] = clean["row"]
        plan.append((clean, member))
    return plan


def _write(clean, member, user, today):
    if member is None:
        member = Member(organisation=clean["organisation"], kind=clean.get("kind", MemberKind.PARTY_MEMBER))
        for key in _UPDATABLE:
            if key in clean:
                setattr(member, key, clean[key])
        member.save()
        return "created", member
    changed = False
    for key in _UPDATABLE:
        if key in clean and getattr(member, key) != clean[key]:
            setattr(member, key, clean[key])
            changed = True
    moved_from = None
    if member.organisation_id != clean["organisation"].pk:
        moved_from = member.organisation
        member.organisation = clean["organisation"]
        changed = True
    if not changed:
        return "unchanged", member
    member.save()
    if moved_from is not None:
        # The roster moved the member: keep the history as a transfer row.
        Transfer.objects.create(
            member=member, direction=TransferDirection.WITHIN, from_organisation=moved_from,
            to_organisation=member.organisation, date=today, note=_("名册导入"), recorded_by=user,
        )
    return "updated", member


# --------------------------------------------------------------------------- exporting


def _safe(value):
    """Neutralise spreadsheet formulas (CSV/formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_rows(members):
    """Rows (lists of cell values) in :data:`HEADERS` order; ID numbers masked."""
    for m in members.select_related("organisation", "category"):
        yield [
            m.name,
            m.get_gender_display() if m.gender else "",
            mask(m.id_number),
            m.birth_date.isoformat() if m.birth_date else "",
            m.joined_on.isoformat() if m.joined_on else "",
            m.get_kind_display(),
            m.category.name if m.category_id else "",
            m.organisation.name,
            m.organisation.code,
            m.phone,
            m.household_size if m.household_size is not None else "",
        ]


def members_for_export(user, organisation):
    """Active members of ``organisation``'s subtree, after checking ``user`` may read it."""
    require(user, organisation)
    return Member.objects.filter(organisation__path__startswith=organisation.path, is_active=True).order_by(
        "organisation__path", "name", "pk")


def export_csv(members):
    """UTF-8 with BOM so that Excel opens it with the right encoding."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in export_rows(members):
        writer.writerow([_safe(str(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_xlsx(members, title=""):
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = (title or "名册")[:31]
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in export_rows(members):
        ws.append([_safe(v) if v != "" else None for v in row])
    for col, width in zip("ABCDEFGHIJK", (10, 6, 22, 12, 12, 12, 10, 22, 16, 16, 8)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
