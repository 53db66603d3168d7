"""Batch entry (批量记分): a clerk's or a grid worker's events from a sheet, all or nothing.

One row per event, the header row among the first ten (the first holding ``姓名``):

* ``姓名`` (required), ``身份证号`` (when two members share a name);
* ``积分项目`` and ``细则条目`` — the scheme's component and item, by label or key (the item
  may be left empty, or written out, where the component lists none);
* ``分值`` (for an item whose points are chosen in a range, or a free item), ``数量`` (1 when
  empty), ``发生日期`` (required), ``地点``, ``事由`` (required).

Every row goes through ``declarations.create_declaration`` as the recorder's own entry would
(the same checks against the scheme in force); one refused row writes no row, and the report
names each refused row with its number, its column and the reason, as the roster import does.
"""
import datetime
import io
import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from schemes.models import SchemeVersion

from ..errors import ReviewErrorCode as Code
from ..errors import error
from ..models import local_today
from . import declarations

#: The largest sheet read (bytes) and the most rows taken in one file.
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
HEADER_SEARCH_ROWS = 10
#: The sheet's columns (as headed in the sheet), in the template's order, and the service field each one feeds.
COLUMNS = (
    ("姓名", "member"), ("身份证号", None), ("积分项目", "component"), ("细则条目", "rule_item"), ("分值", "points"),
    ("数量", "quantity"), ("发生日期", "occurred_on"), ("地点", "place"), ("事由", "description"),
)
_COLUMN_OF_FIELD = {field: header for header, field in COLUMNS if field}


def _problem(row, column, value, message):
    """One entry of the row report: ``{"row", "column", "value", "message"}``."""
    return {"row": row, "column": column or "", "value": "" if value is None else str(value), "message": str(message)}


def _whole(message, row=None, column=""):
    """The report of a sheet refused as a whole: its one problem."""
    return [_problem(row, column, "", message)]


def report_of(exc):
    """The row report a ValidationError of this module carries (``[]`` for another error)."""
    errors = getattr(exc, "error_dict", {}).get("file", [])
    return [entry for e in errors for entry in ((e.params or {}).get("report") or [])]


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def read_sheet(data):
    """``[(row number, {header: text})]`` of the first sheet's rows below the header.

    Raises ValidationError on ``file`` (``batch_unreadable``).
    """
    if len(data) > MAX_BYTES:
        message = _("文件大小为%(size).1f MB，超过上限%(limit)s MB，已拒绝。") % {
            "size": len(data) / (1024 * 1024), "limit": MAX_BYTES // (1024 * 1024)}
        raise error("file", Code.BATCH_UNREADABLE, message, report=_whole(message))
    if data[:4] != b"PK\x03\x04":
        message = _("不是 .xlsx 文件，请用 Excel 或 WPS 另存为 .xlsx 后上传。")
        raise error("file", Code.BATCH_UNREADABLE, message, report=_whole(message))
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        raw = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
        book.close()
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError):
        message = _("文件已损坏，无法作为 Excel 文件打开。")
        raise error("file", Code.BATCH_UNREADABLE, message, report=_whole(message)) from None
    for index, values in enumerate(raw[:HEADER_SEARCH_ROWS]):
        headers = [_text(v) for v in values]
        if "姓名" in headers:
            rows = []
            for number, row in enumerate(raw[index + 1:], start=index + 2):
                cells = {h: _text(v) for h, v in zip(headers, row) if h}
                if any(cells.values()):
                    rows.append((number, cells))
            if len(rows) > MAX_ROWS:
                message = _("行数超过 %(n)s 行，请分成几个文件导入。") % {"n": MAX_ROWS}
                raise error("file", Code.BATCH_UNREADABLE, message, report=_whole(message))
            return rows
    message = _("找不到表头：前 %(n)s 行中没有包含“姓名”的行。") % {"n": HEADER_SEARCH_ROWS}
    raise error("file", Code.BATCH_UNREADABLE, message, report=_whole(message, 1, "姓名"))


def _find_member(cells, by_name):
    name = cells.get("姓名", "")
    found = by_name.get(name, [])
    id_number = cells.get("身份证号", "").upper()
    if id_number:
        found = [m for m in found if (m.id_number or "").upper() == id_number]
    if not found:
        return None, _("“%(n)s”不是您可以记分的在册成员。") % {"n": name}
    if len(found) > 1:
        return None, _("有同名成员“%(n)s”，请填写“身份证号”列区分。") % {"n": name}
    return found[0], None


def _scheme_item(scheme, component_text, item_text):
    """``(component name, item key or the written-out item, label)`` from the cells' labels or keys."""
    if scheme is None:
        return component_text, item_text, item_text
    component = next((c for c in scheme.components if component_text in (c.name, c.label)), None)
    if component is None:
        return component_text, item_text, item_text  # the service names the choices
    for key in component.items:
        if item_text in (key, scheme.item_rule(component.name, key).label):
            return component.name, key, ""
    return component.name, item_text, item_text


def _date(text):
    try:
        return datetime.date.fromisoformat(text[:10].replace("/", "-"))
    except ValueError:
        return None


def import_events(data, *, by, reporter_kind, members):
    """Record one declaration per row of ``data`` (the sheet's bytes) for ``members`` (those ``by`` may record for).

    Returns the declarations made. Raises ValidationError on ``file`` (nothing written):
    ``batch_unreadable``, or ``batch_rows_refused`` with every refused row in
    ``params["report"]`` (``report_of``).
    """
    rows = read_sheet(data)
    if not rows:
        message = _("表中没有记分行。")
        raise error("file", Code.BATCH_UNREADABLE, message, report=_whole(message))
    by_name = {}
    for member in members:
        by_name.setdefault(member.name, []).append(member)
    schemes, report, made = {}, [], []
    today = local_today()
    with transaction.atomic():
        for number, cells in rows:
            member, problem = _find_member(cells, by_name)
            if member is None:
                report.append(_problem(number, "姓名", cells.get("姓名", ""), problem))
                continue
            occurred_on = _date(cells.get("发生日期", ""))
            if occurred_on is None or occurred_on > today:
                message = _("请填写发生日期（如 2026-03-05）。") if occurred_on is None else _("发生日期不能晚于今天。")
                report.append(_problem(number, "发生日期", cells.get("发生日期", ""), message))
                continue
            org = member.organisation_id
            if org not in schemes:
                version = SchemeVersion.objects.in_force(member.organisation, occurred_on)
                schemes[org] = version.engine_scheme() if version is not None else None
            component, rule_item, label = _scheme_item(schemes[org], cells.get("积分项目", ""), cells.get("细则条目", ""))
            try:
                with transaction.atomic():
                    made.append(declarations.create_declaration(
                        member=member, by=by, reporter_kind=reporter_kind, component=component, rule_item=rule_item,
                        rule_item_label=label, points=cells.get("分值") or None,
                        quantity=cells.get("数量") or 1, occurred_on=occurred_on, place=cells.get("地点", ""),
                        description=cells.get("事由", ""),
                    ))
            except ValidationError as exc:
                for field, messages in _by_field(exc):
                    column = _COLUMN_OF_FIELD.get(field, "")
                    for message in messages:
                        report.append(_problem(number, column, cells.get(column, ""), message))
            except PermissionDenied as exc:
                report.append(_problem(number, "姓名", member.name, exc))
        if report:
            transaction.set_rollback(True)
    if report:
        raise error("file", Code.BATCH_ROWS_REFUSED, _("批量记分失败，共%(n)d处问题，未写入任何记录。"), n=len(report),
                    report=report)
    return made


def _by_field(exc):
    if hasattr(exc, "error_dict"):
        return [(field, [m for e in errors for m in e.messages]) for field, errors in exc.error_dict.items()]
    return [("", exc.messages)]


def template_workbook():
    """The blank sheet to fill in (.xlsx bytes): the header row and one example row."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "批量记分"
    sheet.append([header for header, _field in COLUMNS])
    sheet.append(["张三", "", "组织生活", "按时参加支部主题党日", "", 1, local_today().isoformat(), "党员活动室",
                  "参加3月主题党日并发言"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
