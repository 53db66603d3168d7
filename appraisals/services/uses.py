"""Use of results (结果运用): one Disposition per engine action, and the documents that need no input.

Runs as YearEndFlow's ``use_of_results`` node once publicity closed. What a disposition then
needs from people (a talk's time and place, rectification requirements, the branch's and the
higher committee's decision) is in ``appraisals.services.dispositions``.
"""
from django.utils.translation import gettext as _

from documents.kinds import commendation, result_notice, star_certificate
from documents.kinds.base import year_label
from documents.kinds.result_notice import result_summary
from documents.services import start_bulk_job
from reviews import audit
from reviews.audit import AuditAction

from .. import flows
from ..models import (
    FINAL_STATUSES,
    NEEDS_APPROVAL,
    Disposition,
    DispositionAction,
    DispositionStatus,
    Evaluation,
    EvaluationStatus,
    MemberResult,
)
from ._shared import request_document
from .standing import barred_from_awards, result_barred


def facts(result, evaluation):
    """The facts a disposition states: this cycle's result and the last published one's.

    ``"吴芳同志2025年度积分27分，评定等次不合格；2024年度积分61分，评定等次基本合格。"`` (a
    star scheme's stars, a 一票否决 and a cycle from 1 July, ``2025—2026年度``, as the result
    and its evaluation say: the documents kinds' ``result_summary`` and ``year_label``).
    """
    earlier = MemberResult.objects.filter(
        member=result.member, evaluation__status__in=FINAL_STATUSES, cycle_start__lt=result.cycle_start
    ).select_related("evaluation").order_by("-cycle_start").first()
    text = _("%(name)s同志%(year)s%(summary)s") % {
        "name": result.member.name, "year": year_label(evaluation), "summary": result_summary(result)}
    if result.vetoed:
        text += _("（一票否决）")
    if earlier is not None:
        text += "；" + year_label(earlier.evaluation) + result_summary(earlier)
    return text + "。"


def _result_notices(ev, results):
    """One result notice per member graded on the notice's scale, as one bulk job (or None)."""
    items = []
    for r in results:
        if not result_notice.has_notice(r):
            continue  # a scheme with other labels (stars, a–d): no result notice of this form
        items.append({
            "context": result_notice.build_context(r),
            "subject_key": f"evaluation:{ev.pk}:member:{r.member_id}:result",
            "label": r.member.name,
            "member": r.member_id,
        })
    if items:
        ev.result_notice_job = start_bulk_job("result_notice", organisation=ev.organisation, items=items)
    return items


def earns_certificate(scheme, result):
    """True when ``result`` (a MemberResult) earns a certificate under ``scheme`` (its parsed scheme version).

    The scheme's ``[[awards]]`` decide (``scoring_engine.Scheme.awards_for``), never the star
    count alone: 篇十三 机关 gives none for four stars (不合格) and one for seven to ten.
    """
    return scheme.earns("certificate", result.grade or None, result.stars, result.total, result.vetoed)


def flow_use_results(process, task):
    """结果运用: one Disposition per engine action; documents for what needs no further input.

    Result notices go out as one bulk job; the commendation lists every commended member;
    a star certificate goes to each member whose result the scheme says earns one
    (:func:`earns_certificate`). A member disposed of or under a disposal
    (:mod:`~appraisals.services.standing`) is neither commended nor certified, whatever the
    result; the audit trail names them. Disposals and cancelled probations start a
    DisposalFlow each (the branch decides, the higher committee approves). Talks and
    rectification wait for the secretary to fix the time, place and requirements.
    """
    ev = Evaluation.objects.select_for_update(of=("self",)).select_related("organisation", "scheme_version").get(
        pk=process.evaluation_id)
    scheme = ev.scheme_version.engine_scheme()
    results = list(ev.results.select_related("member", "member__organisation").order_by("-total", "member__name"))
    notices = _result_notices(ev, results)
    commended = False
    new_processes = []
    # The scheme's star scale (5 or 10) for the certificates. Which results earn one is the
    # scheme's [[awards]] (earns_certificate); a scheme without them falls back on
    # star_certificate.has_certificate's reading of its grades and actions.
    stars = scheme.stars
    max_stars = stars.maximum if stars is not None and stars.maximum in (5, 10) else None
    barred = barred_from_awards(r.member_id for r in results)
    withheld = []
    for r in results:
        if result_barred(r, barred) and (DispositionAction.COMMEND in r.actions or r.stars):
            withheld.append(r.member.name)
        for action in r.actions:
            if action == DispositionAction.COMMEND and result_barred(r, barred):
                continue
            disposition = Disposition.objects.create(
                evaluation=ev, result=r, member=r.member, action=action, facts=facts(r, ev),
            )
            if action == DispositionAction.COMMEND:
                commended = True
                disposition.status = DispositionStatus.DONE
                disposition.save(update_fields=["status"])
            elif action in NEEDS_APPROVAL:
                new_processes.append(disposition)
        if result_barred(r, barred):
            continue
        if r.stars and (earns_certificate(scheme, r) if scheme.awards else star_certificate.has_certificate(r)):
            request_document("star_certificate", organisation=ev.organisation, process=process, task=task,
                             context=star_certificate.build_context(r, max_stars=max_stars),
                             subject_key=f"evaluation:{ev.pk}:member:{r.member_id}:stars", member=r.member)
    if commended:
        request_document("commendation", organisation=ev.organisation, process=process, task=task,
                         context=commendation.build_context(ev),
                         subject_key=f"evaluation:{ev.pk}:commendation")
    ev.status = EvaluationStatus.CONCLUDED
    ev.save(update_fields=["status", "result_notice_job"])
    audit.record(AuditAction.RESULTS_USED, ev, organisation=ev.organisation,
                 after={"status": ev.status, "dispositions": ev.dispositions.count(), "notices": len(notices),
                        "awards_withheld": withheld})
    for disposition in new_processes:
        flows.DisposalFlow.start.run(disposition=disposition)
