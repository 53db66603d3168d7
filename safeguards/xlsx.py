"""The one .xlsx writer of the project: every export goes through :class:`SafeWorkbook`.

Numbers, Decimals, dates and booleans stay typed; every other value is written as a text cell
(``data_type`` "s"), so a name such as ``=HYPERLINK("…")`` or ``+86…`` is shown as typed and never
evaluated. Characters an .xlsx file cannot hold (openpyxl's ``ILLEGAL_CHARACTERS_RE``: C0 controls
but tab, LF, CR) are replaced by U+FFFD instead of failing the whole export, and text is cut to
Excel's 32,767 characters per cell. Sheet titles are cleaned the same way.
"""
import datetime
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

MAX_CELL_TEXT = 32767
_TITLE_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})
TYPED = (bool, int, float, Decimal, datetime.date, datetime.datetime, datetime.time)


def safe_text(value):
    """``value`` as text an .xlsx cell can hold."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))[:MAX_CELL_TEXT]


def sheet_title(title):
    return ILLEGAL_CHARACTERS_RE.sub("_", str(title or "")).translate(_TITLE_FORBIDDEN).strip("'")[:31] or "Sheet"


class SafeSheet:
    """One worksheet; write rows with :meth:`append`, style through :attr:`ws` (openpyxl's worksheet)."""

    def __init__(self, ws):
        self.ws = ws
        self.rows = 0

    def write(self, row, column, value):
        """Write ``value`` at (``row``, ``column``), 1-based; returns the cell (``None`` for an empty value)."""
        if value is None or value == "":
            return None
        cell = self.ws.cell(row=row, column=column)
        if isinstance(value, TYPED):
            cell.value = value
        else:
            cell.value = safe_text(value)
            cell.data_type = "s"
        return cell

    def append(self, values, font=None):
        """Write ``values`` as the next row; returns its row number."""
        self.rows += 1
        for column, value in enumerate(values, start=1):
            cell = self.write(self.rows, column, value)
            if cell is not None and font is not None:
                cell.font = font
        return self.rows


class SafeWorkbook:
    """An openpyxl workbook whose sheets write user text safely; :meth:`save` gives the file's bytes."""

    def __init__(self):
        self.book = Workbook()
        self._fresh = True

    def sheet(self, title):
        if self._fresh:
            ws, self._fresh = self.book.active, False
        else:
            ws = self.book.create_sheet()
        ws.title = sheet_title(title)
        return SafeSheet(ws)

    def save(self):
        out = io.BytesIO()
        self.book.save(out)
        return out.getvalue()


def write_workbook(sheets, freeze="A2"):
    """``sheets``: ``[(title, header, rows)]`` → .xlsx bytes; the header row in bold, frozen below it."""
    book = SafeWorkbook()
    for title, header, rows in sheets:
        sheet = book.sheet(title)
        sheet.append(header, font=Font(bold=True))
        for values in rows:
            sheet.append(values)
        if freeze:
            sheet.ws.freeze_panes = freeze
    return book.save()
