"""Human labels for audit actions, audited fields and their stored values (the trail stores codes)."""
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

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

ACTIONS = {
    "declaration_created": _("申报"),
    "evidence_added": _("上传佐证材料"),
    "declaration_collected": _("纳入审核批次"),
    "declaration_decided": _("支部会议认定"),
    "declaration_withdrawn": _("撤回申报"),
    "meeting_recorded": _("记录支部会议"),
    "round_opened": _("发起审核批次"),
    "round_submitted": _("报上级审查"),
    "round_filed": _("上级审查通过并备案"),
    "round_returned": _("上级退回修改"),
    "round_status": _("批次状态变更"),
    "publicity_opened": _("开始公示"),
    "publicity_started": _("开始公示"),
    "publicity_closed": _("公示期满"),
    "publicity_window_closed": _("公示期满"),
    "corrections_republished": _("更正结果公示"),
    "objection_lodged": _("提出异议"),
    "objection_answered": _("答复异议"),
    "objection_overdue": _("异议答复逾期"),
    "overdue_supervised": _("上级督办"),
    "objection_reminded": _("上级催办"),
    "objection_due_moved": _("答复期限随工作日历调整"),
    "explanation_filed": _("情况说明备案"),
    "posting_queued": _("准备记入台账"),
    "round_posted_to_ledger": _("记入台账"),
}

#: Technical fields not shown to people reading the history.
HIDDEN_FIELDS = {"sha256", "decided_at_meeting", "review_pass"}

_CHOICES = {}
for enum in (DeclarationStatus, RoundStatus, FilingOutcome, MeetingKind, ObjectionOutcome):
    for value, label in enum.choices:
        _CHOICES.setdefault(value, label)

_POINT_FIELDS = {"points", "decided_points", "corrected_points"}


def action_label(action):
    if not action:
        return ""
    return ACTIONS.get(action, action)


def field_label(name):
    for model in (Declaration, Objection, ReviewRound):
        try:
            return model._meta.get_field(name).verbose_name
        except Exception:  # noqa: BLE001 - not a field of this model
            continue
    return {"content_type": _("文件类型"), "size": _("大小（字节）"), "has_quorum": _("超过半数")}.get(name, name)


def value_label(field, value):
    """A stored audit value as people read it: choice labels, points without trailing zeros."""
    if value in (None, ""):
        return "—"
    if value is True:
        return _("是")
    if value is False:
        return _("否")
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
