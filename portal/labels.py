"""Human labels for audit actions and audited fields (the audit trail stores codes)."""
from django.utils.translation import gettext_lazy as _

from reviews.models import Declaration

ACTIONS = {
    "declare": _("申报"),
    "declaration.create": _("申报"),
    "withdraw": _("撤回申报"),
    "approve": _("认定"),
    "adjust": _("调整认定"),
    "reject": _("不予认定"),
    "decide": _("认定"),
    "bulk_approve": _("批量认定"),
    "record_meeting": _("记录支部会议"),
    "open_round": _("发起审核批次"),
    "submit_round": _("报上级审查"),
    "file": _("审查备案"),
    "return": _("退回修改"),
    "start_publicity": _("开始公示"),
    "close_publicity": _("公示期满"),
    "object": _("提出异议"),
    "lodge_objection": _("提出异议"),
    "answer_objection": _("答复异议"),
    "post_to_ledger": _("记入台账"),
}


def action_label(action):
    if not action:
        return ""
    if action in ACTIONS:
        return ACTIONS[action]
    tail = action.rsplit(".", 1)[-1]
    return ACTIONS.get(tail, action)


def field_label(name):
    try:
        return Declaration._meta.get_field(name).verbose_name
    except Exception:  # noqa: BLE001 - fields of other audited models
        return name
