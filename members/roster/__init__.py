"""Roster import and export (党员名册导入导出), .xlsx and .csv.

Import is all-or-nothing: every row is validated first and every problem is collected
into a report naming the row and the column (in Chinese); when the report is not empty
nothing is written. Otherwise all rows are written in one transaction.

Matching: a row is the same person as an existing member when the ID number matches;
without an ID number (or with the masked number from an export), when name and branch
match. A blank cell never erases a stored value, so re-importing a file, or importing a
file exported from here, changes nothing.

Modules: :mod:`.columns` (headers and aliases), :mod:`.files` (reading a file),
:mod:`.rows` (validating a row), :mod:`.importing` (matching and writing),
:mod:`.export`, :mod:`.report` (the problem report). Their public names are importable
from here.
"""
from .columns import COLUMNS, HEADERS
from .export import export_csv, export_rows, export_xlsx, members_for_export
from .files import HEADER_SEARCH_ROWS, MAX_UNCOMPRESSED_BYTES
from .importing import MAX_DATA_ROWS, ImportResult, import_roster
from .report import RosterImportError, row_error, too_large_message
from .rows import parse_date

__all__ = [
    "COLUMNS", "HEADERS", "HEADER_SEARCH_ROWS", "MAX_DATA_ROWS", "MAX_UNCOMPRESSED_BYTES",
    "ImportResult", "RosterImportError",
    "export_csv", "export_rows", "export_xlsx", "import_roster", "members_for_export", "parse_date",
    "row_error", "too_large_message",
]
