"""Reading a democratic-appraisal sheet (.xlsx): one row per member, votes by grade or a score.

The header row names the columns: 姓名 (required), then either the four vote grades
(优秀, 良好, 合格, 差) or 得分. Members are found by name among those evaluated (a name two
members share must be told apart with 身份证号). Any problem in any row rejects the whole
file with a row-by-row report (``SheetError.report``); the numbers themselves are checked
by the service when the rows are saved.
"""
import zipfile

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from .models import VOTE_LABELS

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
SCORE_HEADERS = ("得分", "测评得分")


class SheetError(Exception):
    """The sheet was rejected; ``report`` is ``[{"row", "name", "message"}]``; nothing was saved."""

    def __init__(self, report):
        self.report = report
        super().__init__(_("民主评议表有 %(n)s 处问题，未导入。") % {"n": len(report)})


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_appraisal_sheet(uploaded, members):
    """``[{"row": n, "data": {"member", "votes"|"score"}}]`` from the first sheet; raises SheetError."""
    if getattr(uploaded, "size", 0) and uploaded.size > MAX_BYTES:
        raise SheetError([{"row": None, "name": "", "message": _("文件超过 5 MB，已拒绝。")}])
    try:
        book = load_workbook(uploaded, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise SheetError([{"row": None, "name": "", "message": _("不是有效的 .xlsx 文件，请用 Excel 或 WPS 另存为 .xlsx 后上传。")}]) from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_text(v) for v in next(rows, [])]
    if "姓名" not in header:
        raise SheetError([{"row": 1, "name": "", "message": _("第一行须是表头，并包含“姓名”列。")}])
    index = {name: header.index(name) for name in header if name}
    score_column = next((index[h] for h in SCORE_HEADERS if h in index), None)
    vote_columns = [index.get(label) for label in VOTE_LABELS]
    if score_column is None and None in vote_columns:
        raise SheetError([{"row": 1, "name": "", "message": _("表头须包含“优秀、良好、合格、差”四列票数，或“得分”列。")}])
    id_column = index.get("身份证号")
    by_name = {}
    for m in members:
        by_name.setdefault(m.name, []).append(m)
    report, result, seen = [], [], set()
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            report.append({"row": number, "name": "", "message": _("行数超过 %(n)s 行，已拒绝。") % {"n": MAX_ROWS}})
            break
        values = list(values) + [None] * len(header)
        name = _text(values[index["姓名"]])
        if not name and not any(_text(v) for v in values):
            continue
        candidates = by_name.get(name, [])
        if id_column is not None and len(candidates) > 1:
            wanted = _text(values[id_column]).upper()
            candidates = [m for m in candidates if (m.id_number or "").upper() == wanted]
        if not candidates:
            report.append({"row": number, "name": name, "message": _("不是本次评定的成员。")})
            continue
        if len(candidates) > 1:
            report.append({"row": number, "name": name, "message": _("有同名成员，请填写“身份证号”列区分。")})
            continue
        member = candidates[0]
        if member.pk in seen:
            report.append({"row": number, "name": name, "message": _("同一成员出现了两次。")})
            continue
        seen.add(member.pk)
        if score_column is not None and _text(values[score_column]):
            result.append({"row": number, "data": {"member": member, "score": _text(values[score_column])}})
        elif None not in vote_columns:
            votes = {label: _text(values[col]) for label, col in zip(VOTE_LABELS, vote_columns)}
            result.append({"row": number, "data": {"member": member, "votes": votes}})
        else:
            report.append({"row": number, "name": name, "message": _("没有填写得分。")})
    if report:
        raise SheetError(report)
    if not result:
        raise SheetError([{"row": None, "name": "", "message": _("表中没有成员的评议数据。")}])
    return result
