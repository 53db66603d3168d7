"""Exporting a roster (.xlsx or CSV) in the import's column order, ID numbers masked, formulas neutralised."""
import csv
import io

from organisations.permissions import require
from safeguards.xlsx import SafeWorkbook

from ..idcard import mask
from ..models import DatePrecision, Member
from .columns import HEADERS


def _safe(value):
    """Neutralise spreadsheet formulas in CSV (which has no cell types; the .xlsx writes text cells)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _date(day, precision):
    """2020-05-06, or 2020-05 for a year-month date (read back with the same precision)."""
    if day is None:
        return ""
    return day.strftime("%Y-%m") if precision == DatePrecision.MONTH else day.isoformat()


def export_rows(members):
    """Rows (lists of cell values) in :data:`HEADERS` order; ID numbers masked."""
    for m in members.select_related("organisation", "category"):
        yield [
            m.name,
            m.get_gender_display() if m.gender else "",
            mask(m.id_number),
            _date(m.birth_date, m.birth_date_precision),
            _date(m.joined_on, m.joined_on_precision),
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
    """The roster through the project's safe writer: names and phones are text cells as typed, never formulas."""
    from openpyxl.styles import Font

    book = SafeWorkbook()
    sheet = book.sheet(title or "名册")
    sheet.append(HEADERS, font=Font(bold=True))
    for row in export_rows(members):
        sheet.append(row)
    for col, width in zip("ABCDEFGHIJK", (10, 6, 22, 12, 12, 12, 10, 22, 16, 16, 8)):
        sheet.ws.column_dimensions[col].width = width
    sheet.ws.freeze_panes = "A2"
    return book.save()
