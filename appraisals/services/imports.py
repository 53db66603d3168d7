"""Importing the democratic appraisal from a spreadsheet: one row per member, one column per input.

The branch tallies the 民主测评 on paper or in a spreadsheet; this reads that sheet (.xlsx or
CSV in UTF-8/GBK) and records each row with ``evaluations.record_appraisal``. The header row
is the first with a ``姓名`` column (``身份证号`` too when names repeat). The columns:

* ``测评得分`` — a score; or ``优秀票``, ``良好票``, ``合格票``, ``差票`` — votes; or ``自评``,
  ``群众评议``, ``领导评议`` — weighted raters (one member, one appraisal);
* for a scheme that appraises each star separately (篇十三 非公, 作业区): one column per
  appraisal component, headed with its label (``爱岗敬业星``) or name, holding its score; or
  ``<label>·自评`` / ``<label>·群众评议`` / ``<label>·领导评议`` for weighted raters per star;
* flags the scheme reads, as ``标记:<name>`` columns (``标记:sanctioned`` = 是).

All or nothing: a file with one refused row records no row, and the refusal lists every
row with its number and the reason.
"""
import csv
import io

import openpyxl
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from workdays.wording import join_clauses

from ..errors import AppraisalErrorCode as Code
from . import evaluations
from ._shared import invalid
from .components import RATER_LABELS, VOTE_LABELS, appraisal_components

#: The largest file read (bytes): a branch's tally sheet is far smaller.
MAX_BYTES = 2 * 1024 * 1024
#: Whole-member columns and the ``record_appraisal`` input each belongs to.
VOTE_COLUMNS = {f"{label}票": label for label in VOTE_LABELS}
RATER_COLUMNS = {"自评": "self", "群众评议": "masses", "领导评议": "leadership"}
YES = frozenset({"是", "1", "true", "yes", "y", "√"})
FLAG_PREFIX = "标记:"


def read_rows(data):
    """``[(row number, {header: text}), ...]`` after the header row (the first holding 姓名).

    Raises ValidationError on ``file``: ``import_unreadable``, ``import_header_missing``.
    """
    if len(data) > MAX_BYTES:
        raise invalid(_("文件超过 %(n)s MB。"), Code.IMPORT_UNREADABLE, field="file", n=MAX_BYTES // 1024 // 1024)
    try:
        if data[:4] == b"PK\x03\x04":
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            raw = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
            book.close()
        else:
            text = next(_decoded(data))
            raw = list(csv.reader(io.StringIO(text, newline="")))
    except Exception:  # noqa: BLE001 - openpyxl and csv raise many kinds on a malformed file
        raise invalid(_("无法读取文件：请上传 .xlsx 或 CSV（UTF-8 或 GBK 编码）。"), Code.IMPORT_UNREADABLE,
                      field="file") from None
    for index, values in enumerate(raw):
        headers = [str(v).strip() if v is not None else "" for v in values]
        if "姓名" in headers:
            rows = []
            for number, row in enumerate(raw[index + 1:], start=index + 2):
                cells = {h: (str(v).strip() if v is not None else "") for h, v in zip(headers, row) if h}
                if any(cells.values()):
                    rows.append((number, cells))
            return rows
    raise invalid(_("找不到表头：没有包含“姓名”的行。"), Code.IMPORT_HEADER_MISSING, field="file")


def _decoded(data):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            yield data.decode(encoding)
            return
        except UnicodeDecodeError:
            continue
    raise ValueError("undecodable")


def _row_inputs(evaluation, cells):
    """``record_appraisal`` keyword arguments from one row's cells."""
    kwargs = {}
    per_star = {}
    for component in appraisal_components(evaluation):
        for key in (component.label, component.name):
            if cells.get(key):
                per_star[component.name] = {"score": cells[key]}
        raters = {rater: cells.get(f"{component.label}·{label}", "") for rater, label in RATER_LABELS.items()}
        if any(raters.values()):
            per_star[component.name] = {"raters": raters}
    if per_star:
        kwargs["components"] = per_star
    if cells.get("测评得分"):
        kwargs["score"] = cells["测评得分"]
    votes = {label: cells[column] for column, label in VOTE_COLUMNS.items() if cells.get(column)}
    if votes:
        kwargs["votes"] = votes
    raters = {rater: cells[column] for column, rater in RATER_COLUMNS.items() if cells.get(column)}
    if raters:
        kwargs["raters"] = raters
    flags = {}
    for header, value in cells.items():
        if header.startswith(FLAG_PREFIX) and value:
            name = header[len(FLAG_PREFIX):].strip()
            flags[name] = True if value.lower() in YES else (int(value) if value.isdigit() else value)
    if flags:
        kwargs["flags"] = flags
    return kwargs


def _member(cells, by_name, by_id_number):
    if cells.get("身份证号"):
        return by_id_number.get(cells["身份证号"].upper())
    found = by_name.get(cells.get("姓名", ""), [])
    return found[0] if len(found) == 1 else (None if not found else "ambiguous")


def import_appraisals(evaluation, by, data):
    """Record the appraisal of every row of ``data`` (the file's bytes); returns the number of rows recorded.

    Raises PermissionDenied (not branch staff), StepConflict (``evaluation_not_editable``) or
    ValidationError on ``file``: ``import_unreadable``, ``import_header_missing``, or
    ``import_rows_refused`` listing each refused row (unknown or ambiguous member, or the
    reason ``record_appraisal`` gave) — and then nothing is recorded.
    """
    rows = read_rows(data)
    members, _excluded = evaluations.evaluated_members(evaluation)
    by_name, by_id_number = {}, {}
    for member in members:
        by_name.setdefault(member.name, []).append(member)
        if member.id_number:
            by_id_number[member.id_number.upper()] = member
    refused = []
    with transaction.atomic():
        for number, cells in rows:
            member = _member(cells, by_name, by_id_number)
            if member is None or member == "ambiguous":
                reason = _("找不到该成员") if member is None else _("同名成员不止一人，请填写身份证号")
                refused.append(_("第%(n)s行（%(name)s）：%(reason)s") % {"n": number, "name": cells.get("姓名", ""),
                                                                     "reason": reason})
                continue
            try:
                evaluations.record_appraisal(evaluation, member, by, **_row_inputs(evaluation, cells))
            except ValidationError as error:
                refused.append(_("第%(n)s行（%(name)s）：%(reason)s") % {"n": number, "name": member.name,
                                                                     "reason": join_clauses(error.messages)})
        if refused:
            transaction.set_rollback(True)
    if refused:
        raise ValidationError({"file": [
            ValidationError(_("整个文件未导入。%(row)s"), code=Code.IMPORT_ROWS_REFUSED, params={"row": row})
            for row in refused]})
    return len(rows)
