"""Objections against the publicised year-end results: the same ObjectionFlow as quarterly results.

Anyone may object to a member's result while it is publicised (``lodge_objection``); the
objection is a ``reviews.Objection`` whose subject is the evaluation, answered by the
evaluating organisation within 7 working days through ``reviews.flows.ObjectionFlow``
(answer, explanation filed by the higher committee, overdue supervision). The YearEndFlow
waits after the window (``flow_end_window``) until every objection of this publicity is
answered; an upheld one sends the evaluation back to the branch (``flow_reopen``), to be
corrected, approved and publicised again, and only then are the results published.
"""
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from reviews import audit
from reviews.audit import AuditAction
from reviews.models import Objection, ObjectionOutcome
from reviews.services import objections as review_objections

from .. import announce
from ..errors import AppraisalErrorCode as Code
from ..models import Evaluation, EvaluationStatus
from ._shared import invalid, locked_evaluation

__all__ = ["lodge_objection", "publicity_objections", "upheld", "flow_end_window", "flow_reopen"]


def evaluation_objections(evaluation):
    """Every objection lodged against the evaluation's results, earliest first."""
    return Objection.objects.filter(
        subject_type=ContentType.objects.get_for_model(Evaluation), subject_id=evaluation.pk
    ).select_related("member", "organisation").order_by("received_on", "pk")


def publicity_objections(evaluation):
    """The objections lodged during the evaluation's current publicity (earlier rounds were settled)."""
    qs = evaluation_objections(evaluation)
    if evaluation.publicity_start is not None:
        qs = qs.filter(received_on__gte=evaluation.publicity_start)
    return qs


def upheld(evaluation):
    """The upheld objections of the current publicity."""
    return publicity_objections(evaluation).filter(outcome=ObjectionOutcome.UPHELD)


def lodge_objection(evaluation, member, *, objector_name, objector_contact, reason, received_on=None,
                    received_by=None, client=""):
    """Object to ``member``'s publicised result; starts a reviews ObjectionFlow. Returns the Objection.

    Raises ValidationError on ``member`` (``member_not_evaluated``) or as
    ``reviews.services.objections.lodge_result_objection`` does (objector_name,
    objector_contact, reason, received_on; ``outside_publicity_window``, the public limits;
    ``client``: the public form's client address).
    """
    if not evaluation.results.filter(member=member).exists():
        raise invalid(_("“%(m)s”不在“%(e)s”的评定结果中。"), Code.MEMBER_NOT_EVALUATED, field="member",
                      m=member, e=evaluation)
    # Under the evaluation's lock: the window's close (a flow node, holding it too) cannot slip in between.
    return review_objections.lodge_result_objection(
        evaluation, member=member, organisation=evaluation.organisation, objector_name=objector_name,
        objector_contact=objector_contact, reason=reason, received_on=received_on, received_by=received_by,
        client=client, lock=_locked,
    )


@contextmanager
def _locked(evaluation):
    with locked_evaluation(evaluation) as (ev, _process):
        yield ev


def flow_end_window(process, task):
    """YearEndFlow ``close_window`` node: the window is over; the results wait for the objections' answers."""
    ev = Evaluation.objects.select_for_update(of=("self",)).get(pk=process.evaluation_id)
    before = {"status": ev.status}
    ev.status = EvaluationStatus.AWAITING_ANSWERS
    ev.save(update_fields=["status"])
    audit.record(AuditAction.PUBLICITY_WINDOW_CLOSED, ev, organisation=ev.organisation, before=before,
                 after={"status": ev.status, "objections": publicity_objections(ev).count()})


def flow_reopen(process, task):
    """YearEndFlow ``reopen`` node: an objection was upheld; the branch corrects the results.

    The evaluation goes back to the appraisal step (status ``returned``, the upheld answers as
    comments), its publicity dates cleared for the new approval.
    """
    ev = Evaluation.objects.select_for_update(of=("self",)).get(pk=process.evaluation_id)
    answers = list(upheld(ev))
    comments = "\n".join(
        _("异议成立（%(member)s）：%(reason)s") % {"member": o.member.name, "reason": o.answer_reason} for o in answers
    )
    before = {"status": ev.status, "publicity_start": ev.publicity_start}
    ev.status = EvaluationStatus.RETURNED
    ev.review_comments = comments
    ev.publicity_start = None
    ev.publicity_closes_at = None
    ev.save(update_fields=["status", "review_comments", "publicity_start", "publicity_closes_at"])
    audit.record(AuditAction.RESULTS_REOPENED, ev, organisation=ev.organisation, before=before,
                 after={"status": ev.status, "objections": [o.pk for o in answers], "comments": comments})
    announce.results_returned(ev)

