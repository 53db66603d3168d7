"""The import report: one entry per problem, naming the row and the column, and the error carrying it."""
from django.utils.translation import gettext as _


class RosterImportError(Exception):
    """The file was rejected; ``errors`` is the row-by-row report, nothing was written."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__(_("名册导入失败，共%(n)d处问题，未写入任何数据。") % {"n": len(errors)})


def row_error(row, column, value, message):
    """One report entry: ``{"row": int|None, "column": header, "value": str, "message": str}``."""
    return {"row": row, "column": column or "", "value": "" if value is None else str(value), "message": str(message)}


def too_large_message(size, limit):
    """Why a file of ``size`` bytes (None: unknown) is refused under ``limit`` bytes."""
    if size is None:
        return _("文件超过大小上限%(limit)s MB，已拒绝。") % {"limit": limit // (1024 * 1024)}
    return _("文件大小为%(size).1f MB，超过上限%(limit)s MB，已拒绝。") % {
        "size": size / (1024 * 1024), "limit": limit // (1024 * 1024)}
