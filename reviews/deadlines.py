"""Objection deadlines (答复期限, 7 Chinese working days): shown, chased, and kept right.

* ``deadline_rows`` — open objections that are overdue or due within ``SOON`` working days,
  for the dashboard and the inboxes of the branch and of its reviewer.
* ``chase`` (Celery beat, ``reviews.tasks.chase_deadlines``) — a reminder (催办) to the branch
  staff once an objection is due within ``SOON`` working days, and to the higher committee's
  reviewers once it is overdue; each once per objection and answer date (notification keys).
* ``remind`` — the reviewer sends a 催办 by hand; it is recorded in the audit trail.
* ``recompute_deadlines`` — receiver of ``workdays.signals.calendar_changed``: every open
  objection's answer date is counted again, its escalation timer moved, the move audited and
  reported to the calendar change record.

Source: 篇二 “支部应在7个工作日内答复异议人”; counting convention in ``workdays.calendar``.
"""
from contextlib import nullcontext

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from notifications.models import Event
from notifications.services import notify
from notifications.text import message, per_language
from organisations.permissions import BRANCH_STAFF, can_act_on, can_review, reviewers_of, role_holders
from workdays.calendar import add_working_days, is_provisional_span, working_day_map
from workdays.clock import format_cn_date, local_today
from workflow.timers import reschedule

from . import audit
from .announce import due_words
from .audit import AuditAction
from .flows import ObjectionFlow
from .models import Objection
from .privacy import objection_watchers

#: "Due soon": this many working days or fewer left after today (today itself not counted).
SOON = 2
ANSWER_WORKING_DAYS = 7
OVERDUE, DUE_SOON = "overdue", "due_soon"


def open_objections(organisations=None):
    """Unanswered objections (optionally of declarations in ``organisations``), earliest due first."""
    qs = Objection.objects.filter(answered_on__isnull=True).select_related(
        "declaration__member", "organisation")
    if organisations is not None:
        qs = qs.filter(organisation__in=organisations)
    return qs.order_by("due_on", "pk")


def deadline_rows(objections, today=None):
    """``[{"objection", "state", "left", "provisional"}, ...]`` for the overdue and due-soon ones.

    ``state`` is ``"overdue"`` (today is after ``due_on``) or ``"due_soon"`` (``left`` ≤ ``SOON``
    working days after today up to ``due_on``; 0 means "answer today"). ``provisional`` says the
    date was counted over a year whose holiday schedule is not yet published. One calendar
    query for the whole list.
    """
    today = today or local_today()
    objections = list(objections)
    if not objections:
        return []
    last = max(o.due_on for o in objections)
    days = working_day_map(today, last) if last > today else {}
    rows = []
    for o in objections:
        if today > o.due_on:
            rows.append({"objection": o, "state": OVERDUE, "left": 0})
            continue
        left = sum(1 for day, working in days.items() if working and today < day <= o.due_on)
        if left <= SOON:
            rows.append({"objection": o, "state": DUE_SOON, "left": left})
    for row in rows:
        row["provisional"] = is_provisional_span(row["objection"].received_on, row["objection"].due_on)
    return rows


def _answer_url(objection):
    return reverse("reviews:answer_objection", args=[objection.pk])


def _describe(objection, note=""):
    # Not who objected: the notice may reach a group robot (``reviews.privacy``).
    words = {"member": objection.member_name, "item": per_language(lambda: objection.item_text),
             "due": due_words(objection)}
    if note:
        return message(gettext_noop("对%(member)s“%(item)s”的异议，答复期限%(due)s\n催办说明：%(note)s"),
                       note=note, **words)
    return message(gettext_noop("对%(member)s“%(item)s”的异议，答复期限%(due)s"), **words)


def chase(today=None):
    """The sweep's reminders; returns ``{"near": objections reminded, "missed": objections reported}``.

    Branch staff (the branch's secretary, committee members and clerks) get ``deadline_near``;
    the reviewers of the higher committee get ``deadline_missed``. Each is keyed by objection and
    answer date, so it is sent once, and again only if the date moves.
    """
    today = today or local_today()
    counts = {"near": 0, "missed": 0}
    for row in deadline_rows(open_objections(), today):
        o = row["objection"]
        organisation = o.organisation
        if row["state"] == DUE_SOON:
            sent = notify(
                Event.DEADLINE_NEAR, objection_watchers(o.declaration, role_holders(organisation, BRANCH_STAFF)),
                title=message(gettext_noop("催办：异议答复期限将至（还剩%(n)s个工作日）"), n=row["left"]),
                body=_describe(o),
                url=_answer_url(o), organisation=organisation,
                key=f"objection:{o.pk}:deadline_near:{o.due_on.isoformat()}",
            )
            counts["near"] += bool(sent)
        else:
            higher = organisation.parent
            sent = notify(
                Event.DEADLINE_MISSED, reviewers_of(organisation),
                title=message(gettext_noop("逾期未答复：%(org)s的异议已过答复期限"), org=organisation),
                body=_describe(o),
                url=reverse("reviews:objection_review", args=[o.pk]),
                organisation=higher or organisation,
                key=f"objection:{o.pk}:deadline_missed:{o.due_on.isoformat()}",
            )
            counts["missed"] += bool(sent)
    return counts


def remind(objection, by, note=""):
    """The higher committee's reviewer sends a 催办 to the branch by hand; returns the notifications.

    Raises:
        PermissionDenied: ``by`` is not a reviewer above the objection's branch.
        ValidationError({"objection": ...}, code ``already_answered``): nothing left to chase.
    """
    organisation = objection.organisation
    if not can_review(by, organisation):
        raise PermissionDenied(_("只有上级党组织的审查人可以催办。"))
    objection = Objection.objects.select_related("declaration__member", "declaration__review_round", "organisation").get(
        pk=objection.pk)
    if objection.answered_on is not None:
        raise ValidationError({"objection": ValidationError(
            _("该异议已于 %(d)s 答复，无需催办。") % {"d": format_cn_date(objection.answered_on)},
            code="already_answered")})
    note = (note or "").strip()[:200]
    audit.record(AuditAction.OBJECTION_REMINDED, objection, actor=by, review_round=objection.review_round,
                 organisation=objection.organisation, declaration=objection.declaration, after={"due_on": objection.due_on, "note": note})
    body = _describe(objection, note)
    who = by.get_full_name() or by.get_username()
    return notify(Event.REMINDER, objection_watchers(objection.declaration, role_holders(organisation, BRANCH_STAFF)),
                  title=message(gettext_noop("催办：%(who)s请尽快答复异议"), who=who),
                  body=body, url=_answer_url(objection), organisation=organisation)


def may_remind(user, objection):
    """True when ``user`` may send a 催办 for ``objection`` (a reviewer above its branch)."""
    return objection.answered_on is None and can_review(user, objection.organisation)


def may_see(user, objection):
    """True when ``user`` works for the objection's branch or reviews it."""
    organisation = objection.organisation
    return can_act_on(user, organisation, BRANCH_STAFF) or can_review(user, organisation)


def recompute_deadlines(sender, first, last, change, **kwargs):
    """Receiver of ``calendar_changed``: count every open objection's answer date again.

    An objection whose count spans the changed days (``received_on < last`` and
    ``due_on >= first``) gets its new ``due_on``, its escalation timer moved to the new
    deadline (under the flow lock), and an audit entry ``objection_due_moved``. Returns what
    moved, for ``CalendarChange.moved``.
    """
    moved = []
    candidates = open_objections().filter(received_on__lt=last, due_on__gte=first)
    for objection in candidates:
        new_due = add_working_days(objection.received_on, ANSWER_WORKING_DAYS)
        if new_due == objection.due_on:
            continue
        process = getattr(objection, "process", None)
        with ObjectionFlow.lock(process.pk) if process is not None else nullcontext():
            before = objection.due_on
            Objection.objects.filter(pk=objection.pk).update(due_on=new_due)
            objection.due_on = new_due
            if process is not None:
                reschedule(process, ObjectionFlow.answer__timeout, objection.answer_deadline)
            audit.record(AuditAction.OBJECTION_DUE_MOVED, objection, review_round=objection.review_round,
                         organisation=objection.organisation, declaration=objection.declaration, before={"due_on": before},
                         after={"due_on": new_due, "calendar_change": change.pk})
        moved.append({"what": _("异议 #%(pk)s（%(o)s）答复期限") % {"pk": objection.pk, "o": objection},
                      "before": before.isoformat(), "after": new_due.isoformat()})
    return moved



def panel_for(user, organisations, today=None):
    """Context of ``reviews/includes/deadline_panel.html`` for ``user`` over ``organisations``.

    ``{"rows": deadline_rows of the objections the user works on or reviews, "reminder_for":
    {pk, ...} the user may chase}``.
    """
    rows = [row for row in deadline_rows(open_objections(organisations), today) if may_see(user, row["objection"])]
    return {"rows": rows, "reminder_for": {row["objection"].pk for row in rows if may_remind(user, row["objection"])}}
