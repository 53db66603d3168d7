"""公示: the results publicity opened on filing, its window closing, and the republication of corrections.

These are the bodies of automatic nodes of ``reviews.flows.ReviewRoundFlow``; they run inside
the flow lock viewflow already holds.
"""
import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.kinds import correction_notice, publicity_notice
from workdays.calendar import add_working_days

from .. import announce, audit
from .. import integration as docs
from ..audit import AuditAction
from ..errors import ReviewErrorCode as Code
from ..errors import error
from ..models import (
    DECIDED,
    MIN_PUBLICITY_DAYS,
    Objection,
    ObjectionOutcome,
    Publicity,
    PublicityKind,
    RoundStatus,
    local_today,
)
from .common import set_round_status
from .points import effective_points_before, signed_points


def publicity_end(rr, start_on):
    """The last day of a publicity window of ``rr`` starting on ``start_on`` (dates, inclusive).

    ``rr.publicity_days`` natural days, or — when the scheme counts working days — that many
    Chinese working days counted from ``start_on`` (``workdays.calendar``).
    """
    if rr.publicity_working_days:
        return add_working_days(start_on - datetime.timedelta(days=1), rr.publicity_days)
    return start_on + datetime.timedelta(days=rr.publicity_days - 1)


def _open_publicity(rr, process, task, kind, start_on, declarations, actor=None, objections=()):
    end_on = publicity_end(rr, start_on)
    if (end_on - start_on).days + 1 < MIN_PUBLICITY_DAYS:
        raise error("publicity_days", Code.PUBLICITY_TOO_SHORT, _("公示期少于 %(min)s 天。"), min=MIN_PUBLICITY_DAYS)
    publicity = Publicity.objects.create(review_round=rr, kind=kind, start_on=start_on, end_on=end_on)
    publicity.declarations.set(declarations)
    for objection in objections:  # republished here: the corrections notice lists them
        objection.republished_in = publicity
        objection.save(update_fields=["republished_in"])
    audit.record(AuditAction.PUBLICITY_OPENED, publicity, actor=actor, review_round=rr,
                 after={"kind": kind, "start_on": start_on, "end_on": end_on, "items": len(declarations)})
    if kind == PublicityKind.CORRECTIONS:
        context = correction_notice.build_context(publicity, signed_points=signed_points,
                                                  previous_points=effective_points_before, objections=objections)
    else:
        context = publicity_notice.build_context(publicity, signed_points=signed_points)
    docs.request_document(
        publicity_notice.kind_for(publicity),
        organisation=rr.organisation,
        context=context,
        triggered_by=actor,
        process=process,
        task=task,
        subject_key=f"round:{rr.pk}:publicity:{publicity.pk}",
    )
    announce.results_published(publicity)
    return publicity


def flow_start_publicity(process, task):
    """Node ``publicity``: open the results publicity on filing (from the start day the reviewer chose)."""
    rr = process.review_round
    data = process.data or {}
    start_on = datetime.date.fromisoformat(data["publicity_start"]) if data.get("publicity_start") else local_today()
    actor = get_user_model().objects.filter(pk=data.get("filed_by")).first()
    declarations = list(rr.declarations.filter(status__in=DECIDED).select_related("member"))
    _open_publicity(rr, process, task, PublicityKind.RESULTS, start_on, declarations, actor=actor)
    set_round_status(rr, RoundStatus.PUBLICITY, actor=actor, action=AuditAction.PUBLICITY_STARTED)


def flow_close_publicity(process, task):
    """Node ``close_window``: the timer fired; the window is closed exactly once."""
    rr = process.review_round
    publicity = rr.current_publicity()
    if publicity.closed_at is not None:  # pragma: no cover - the timer fires once; kept as a guard
        return
    publicity.closed_at = timezone.now()
    publicity.save(update_fields=["closed_at"])
    audit.record(AuditAction.PUBLICITY_CLOSED, publicity, review_round=rr, after={"closed_at": publicity.closed_at})
    set_round_status(rr, RoundStatus.AWAITING_ANSWERS, action=AuditAction.PUBLICITY_WINDOW_CLOSED)


def unpublished_corrections(review_round):
    """Upheld objections of the round whose corrections were not yet published again."""
    return Objection.objects.filter(
        declaration__review_round=review_round, outcome=ObjectionOutcome.UPHELD, republished_in__isnull=True
    )


def flow_start_republication(process, task):
    """Node ``republication``: upheld corrections are published again for the scheme's days."""
    rr = process.review_round
    objections = list(unpublished_corrections(rr).select_related("declaration__member"))
    declarations = list({o.declaration_id: o.declaration for o in objections}.values())
    _open_publicity(rr, process, task, PublicityKind.CORRECTIONS, local_today(), declarations, objections=objections)
    set_round_status(rr, RoundStatus.REPUBLICATION, action=AuditAction.CORRECTIONS_REPUBLISHED)
