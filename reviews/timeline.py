"""Where a declaration stands in the chain, as a list of steps for the member to follow."""
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from reviews.audit import AuditAction
from reviews.models import AuditEntry, DeclarationStatus, FilingOutcome, RoundStatus
from reviews.services.points import correction_note, signed_points
from workdays.clock import format_cn_date
from workdays.wording import signed_points_text, with_note

DONE, CURRENT, PENDING, SKIPPED = "done", "current", "pending", "skipped"


def _state_label(state):
    return {DONE: _("已完成"), CURRENT: _("进行中"), PENDING: _("未开始"), SKIPPED: _("不适用")}[state]


def declaration_timeline(d):
    steps = []

    def add(key, title, state, date=None, note=""):
        steps.append({"key": key, "title": title, "state": state, "state_label": _state_label(state),
                      "date": date, "note": note})

    add("declared", pgettext("timeline step", "申报"), DONE, d.created_at, d.get_reporter_kind_display())
    if d.status == DeclarationStatus.WITHDRAWN:
        withdrawn = (AuditEntry.objects.filter(declaration=d, action=AuditAction.DECLARATION_WITHDRAWN)
                     .order_by("-at", "-pk").values_list("at", flat=True).first())
        add("withdrawn", _("已撤回"), DONE, withdrawn)
        return steps
    rnd = d.review_round
    if d.is_decided:
        note = d.get_status_display()
        if d.decided_points is not None and d.status != DeclarationStatus.REJECTED:
            signed = signed_points(d, d.decided_points)  # as it counts: a deduction reads -2
            note += f" {signed_points_text(signed)}"
        note += correction_note(d)
        note = with_note(note, d.decision_reason)
        add("meeting", _("支部会议审核"), DONE, d.decided_at_meeting.held_on if d.decided_at_meeting else None, note)
    else:
        add("meeting", _("支部会议审核"), CURRENT if rnd is not None else PENDING)
    if d.status == DeclarationStatus.REJECTED:
        return steps
    filings = list(rnd.filings.order_by("review_pass", "pk")) if rnd else []
    filed = next((f for f in filings if f.outcome == FilingOutcome.FILED), None)
    returns = [f for f in filings if f.outcome == FilingOutcome.RETURNED]
    # The reviewer's comments concern the whole round (other members too): only the fact is shown.
    note = pgettext("punctuation", "；").join(_("第%(n)s次审核被上级退回修改") % {"n": f.review_pass} for f in returns)
    if filed:
        add("filing", _("上级审查备案"), DONE, filed.decided_at, note)
    elif rnd is not None and rnd.status == RoundStatus.HIGHER_REVIEW:
        add("filing", _("上级审查备案"), CURRENT, None, note)
    else:
        add("filing", _("上级审查备案"), PENDING, None, note)
    pubs = list(d.publicities.order_by("start_on", "pk"))
    if pubs:
        last = pubs[-1]
        state = DONE if last.closed_at else CURRENT
        add("publicity", _("公示"), state, last.start_on, _("%(s)s至%(e)s") % {"s": format_cn_date(last.start_on), "e": format_cn_date(last.end_on)})
    else:
        add("publicity", _("公示"), PENDING)
    objections = list(d.objections.all())
    if objections:
        open_count = sum(1 for o in objections if not o.is_answered)
        add("objections", _("异议处理"), CURRENT if open_count else DONE, None,
            _("共 %(n)s 条异议，%(o)s 条待答复") % {"n": len(objections), "o": open_count})
    final = rnd is not None and rnd.status == RoundStatus.FINAL
    add("ledger", _("记入台账"), DONE if final else PENDING, rnd.finalised_at if final else None)
    return steps
