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


def _first_entry(rr, declaration, points, source, source_ref, by, note):
    """The declaration's first ledger entry in ``rr``'s cycle (later ones are corrections of it)."""
    return docs.post_entry(
        organisation=rr.organisation, member=declaration.member, component=declaration.component, points=points,
        occurred_on=declaration.occurred_on, cycle_start=rr.cycle_start, source=source, source_ref=source_ref,
        recorded_by=by, note=note,
    )


def flow_post_to_ledger(process, task):
    """Node ``post_to_ledger``: one ledger entry per counted declaration, corrections as correction entries.

    Every scheme a posted declaration was checked against is locked first (its cycle now has
    scores: later changes make a new version), and each entry's ``source_ref`` names the
    scheme version (``review-round:5/declaration:12/scheme:3:v1``). Requests the round's
    summary table (汇总表) and returns the number of entries written.
    """
    rr = process.review_round
    source_ref_prefix = f"review-round:{rr.pk}"
    upheld = Prefetch("objections", to_attr="upheld_objections",
                      queryset=Objection.objects.filter(outcome=ObjectionOutcome.UPHELD).order_by("answered_on", "pk"))
    decided = (rr.declarations.filter(status__in=DECIDED).select_related("member", "scheme_version__scheme")
               .prefetch_related(upheld).order_by("pk"))
    for scheme in {d.scheme_version.scheme_id: d.scheme_version.scheme for d in decided if d.scheme_version_id}.values():
        docs.lock_scheme(scheme)
    posted = 0
    for declaration in decided:
        entry = None
        scheme_ref = _scheme_ref(declaration)
        if declaration.status in COUNTED:
            entry = _first_entry(rr, declaration, declaration.decided_points, "review",
                                 f"{source_ref_prefix}/declaration:{declaration.pk}{scheme_ref}",
                                 declaration.decided_by,
                                 declaration.decision_reason or (declaration.rule_item_label or declaration.rule_item))
            posted += 1
        for objection in declaration.upheld_objections:
            reason = _("异议成立：%(reason)s") % {"reason": objection.answer_reason}
            ref = f"{source_ref_prefix}/objection:{objection.pk}{scheme_ref}"
            if entry is None:
                entry = _first_entry(rr, declaration, objection.corrected_points, "objection", ref, objection.answered_by,
                                     reason)
            else:
                entry = docs.post_correction(entry, objection.corrected_points, reason, objection.answered_by,
                                             source_ref=ref)
            posted += 1
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
