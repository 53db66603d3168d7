"""Human labels for audit actions, audited fields and their stored values (the trail stores codes).

Action labels are ``reviews.audit.AuditAction``'s, in the active language.
"""
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from reviews.audit import AuditAction
from reviews.evidence import megabytes
from reviews.models import (
    Declaration,
    DeclarationStatus,
    FilingOutcome,
    MeetingKind,
    Objection,
    ObjectionOutcome,
    ReviewRound,
    RoundStatus,
)
from workdays.clock import format_cn_date

#: Technical fields not shown to people reading the history.
HIDDEN_FIELDS = {"sha256", "decided_at_meeting", "review_pass"}

_CHOICES = {}
for enum in (DeclarationStatus, RoundStatus, FilingOutcome, MeetingKind, ObjectionOutcome):
    for value, label in enum.choices:
        _CHOICES.setdefault(value, label)

_POINT_FIELDS = {"points", "decided_points", "corrected_points"}


def action_label(action):
    """The label of an audit code in the active language; an unknown code is shown as stored."""
    if not action:
        return ""
    try:
        return AuditAction(action).label
    except ValueError:
        return action


def field_label(name):
    for model in (Declaration, Objection, ReviewRound):
        try:
            return model._meta.get_field(name).verbose_name
        except Exception:  # noqa: BLE001 - not a field of this model
            continue
    return {
        "content_type": _("文件类型"), "size": _("大小"), "has_quorum": _("超过半数"), "task": _("任务"),
        "target": _("对象"), "reason": _("理由"), "deputy": _("受委派人"), "starts_at": _("开始"),
        "ends_at": _("结束"), "kind": _("角色"),
    }.get(name, name)


def value_label(field, value):
    """A stored audit value as people read it: choice labels, points without trailing zeros."""
    if value in (None, ""):
        return "—"
    if value is True:
        return _("是")
    if value is False:
        return _("否")
    if field == "size" and isinstance(value, int):
        return megabytes(value)
    if field in _POINT_FIELDS:
        try:
            return format(Decimal(str(value)).normalize(), "f")
        except InvalidOperation:
            return value
    if isinstance(value, str) and value in _CHOICES:
        return _CHOICES[value]
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":

        return format_cn_date(value)
    return value


def changes(entry):
    """``[(label, before, after)]`` for the visible changed fields of an AuditEntry."""
    rows = []
    for name in entry.changed_fields:
        if name in HIDDEN_FIELDS:
            continue
        rows.append((field_label(name), value_label(name, entry.before.get(name)), value_label(name, entry.after.get(name))))
    return rows
