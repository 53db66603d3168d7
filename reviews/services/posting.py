"""记入台账: the round's decided points, and the corrections upheld on objection, go into the ledger.

Bodies of the ``post_to_ledger`` node of ``reviews.flows.ReviewRoundFlow`` (a queued node run
by the background worker, inside the flow lock).
"""
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from documents.kinds import summary_table

from .. import integration as docs
from ..audit import AuditAction
from ..models import COUNTED, DECIDED, Objection, ObjectionOutcome, RoundStatus
from .common import set_round_status
from .points import signed_points


def flow_posting_queued(process, task):
    """Node ``post_to_ledger`` reached: the posting is queued for the background worker."""
    set_round_status(process.review_round, RoundStatus.POSTING, action=AuditAction.POSTING_QUEUED)


def _scheme_ref(declaration):
    """``/scheme:<scheme id>:v<version number>`` for a declaration checked against a scheme version, else ""."""
    version = declaration.scheme_version
    return f"/scheme:{version.scheme_id}:v{version.number}" if version is not None else ""


def planned_entries(rr):
    """The round's ledger entries, unsaved (``ledger.services.NewEntry``), in declaration order.

    One entry per counted declaration, then a correction per upheld objection carrying the
    difference to the points in effect before it (a refused declaration whose objection was
    upheld gets a first entry with the corrected points). The scheme versions are read with
    the declarations and the upheld objections in one prefetch: three queries for any round.
    """
    source_ref_prefix = f"review-round:{rr.pk}"
    upheld = Prefetch("objections", to_attr="upheld_objections",
                      queryset=Objection.objects.filter(outcome=ObjectionOutcome.UPHELD).order_by("answered_on", "pk"))
    decided = list(rr.declarations.filter(status__in=DECIDED).select_related("scheme_version__scheme")
                   .prefetch_related(upheld).order_by("pk"))
    planned = []
    for declaration in decided:
        first = None
        current = None
        scheme_ref = _scheme_ref(declaration)

        def entry(points, source, ref, by_id, note, corrects=None):
            return docs.NewEntry(member_id=declaration.member_id, component=declaration.component, points=points,
                                 occurred_on=declaration.occurred_on, cycle_start=rr.cycle_start, source=source,
                                 source_ref=ref, recorded_by_id=by_id, note=note, corrects=corrects)

        if declaration.status in COUNTED:
            first = entry(declaration.decided_points, "review",
                          f"{source_ref_prefix}/declaration:{declaration.pk}{scheme_ref}", declaration.decided_by_id,
                          declaration.decision_reason or (declaration.rule_item_label or declaration.rule_item))
            current = first.points
            planned.append(first)
        for objection in declaration.upheld_objections:
            reason = _("异议成立：%(reason)s") % {"reason": objection.answer_reason}
            ref = f"{source_ref_prefix}/objection:{objection.pk}{scheme_ref}"
            if first is None:
                first = entry(objection.corrected_points, "objection", ref, objection.answered_by_id, reason)
                current = first.points
                planned.append(first)
            elif objection.corrected_points != current:
                planned.append(entry(objection.corrected_points - current, "objection", ref,
                                     objection.answered_by_id, reason, corrects=first))
                current = objection.corrected_points
    return decided, planned


def post_round(rr):
    """Write the round's entries (``planned_entries``) to its organisation's chain in one batch.

    Locks every scheme a posted declaration was checked against first (its cycle now has
    scores: later changes make a new version); returns the number of entries written. Each
    branch has its own chain, so rounds of different branches post in parallel on separate
    workers (each round's ``post_to_ledger`` node is its own Celery task).
    """
    decided, planned = planned_entries(rr)
    for scheme in {d.scheme_version.scheme_id: d.scheme_version.scheme for d in decided if d.scheme_version_id}.values():
        docs.lock_scheme(scheme)
    return len(docs.post_batch(rr.organisation, planned))


def flow_post_to_ledger(process, task):
    """Node ``post_to_ledger``: one ledger entry per counted declaration, corrections as correction entries.

    Each entry's ``source_ref`` names the scheme version (``review-round:5/declaration:12/scheme:3:v1``);
    see :func:`post_round`. Requests the round's summary table (汇总表) and returns the number
    of entries written.
    """
    rr = process.review_round
    posted = post_round(rr)
    rr.refresh_from_db()
    set_round_status(rr, RoundStatus.FINAL, action=AuditAction.ROUND_POSTED_TO_LEDGER)
    docs.request_document(
        docs.DOC_SUMMARY_TABLE,
        organisation=rr.organisation,
        context=summary_table.build_context(rr, signed_points=signed_points),
        process=process,
        task=task,
        subject_key=f"round:{rr.pk}:summary",
    )
    return posted
