"""Places tied at a quota edge (名额并列): the engine leaves them open, the branch awards them with a reason.

``award_tied_places`` gives the open places of one ``quota_tie`` check to the members the
branch chose (as many as there are places), records ``QuotaAward`` rows and the audit trail.
``reapply`` runs after every computation: an award whose tie is still the same is applied to
the new results again; one whose tie changed is dropped (the branch decides anew).
"""
from django.db import transaction
from django.utils.translation import gettext as _

from organisations.permissions import require
from reviews import audit
from reviews.audit import AuditAction

from ..errors import AppraisalErrorCode as Code
from ..models import EDITABLE_STATUSES, MemberResult, QuotaAward
from ._shared import OWNERS, blank, invalid, locked_evaluation
from .evaluations import require_editable
from .standing import barred_from_awards
from workdays.wording import join_list


def open_ties(evaluation):
    """The ``quota_tie`` checks of the evaluation not yet awarded, as stored by the engine."""
    awarded = set(evaluation.quota_awards.values_list("target", flat=True))
    return [c for c in evaluation.checks or [] if c.get("type") == "quota_tie" and c.get("target") not in awarded]


def _apply(result, target):
    """Give ``result`` the quota's target: a star count (``"5星"``) or a grade label."""
    if target.endswith("星") and target[:-1].isdigit():
        result.stars = int(target[:-1])
    else:
        result.grade = target
    result.save(update_fields=["grade", "stars"])


def award_tied_places(evaluation, by, *, target, members, reason):
    """The secretary awards the open places of the tie at ``target`` to ``members`` (Member rows).

    Raises PermissionDenied (not the secretary), StepConflict (``evaluation_not_editable``) or
    ValidationError: ``no_such_tie`` (target), ``wrong_number_awarded`` / ``not_among_tied`` /
    ``member_under_disposal`` (members: a member disposed of or under a disposal,
    :mod:`~appraisals.services.standing`), ``reason_required`` (reason).
    """
    require(by, evaluation.organisation, OWNERS)
    if blank(reason):
        raise invalid(_("请写明决定的理由（例如支部委员会讨论的结论）。"), Code.REASON_REQUIRED, field="reason")
    with locked_evaluation(evaluation) as (ev, _process):
        require_editable(ev)
        tie = next((c for c in open_ties(ev) if c.get("target") == target), None)
        if tie is None:
            raise invalid(_("“%(t)s”没有待决定的并列名额。"), Code.NO_SUCH_TIE, field="target", t=target)
        tied = [str(m) for m in tie.get("members") or []]
        chosen = [str(m.pk) for m in members]
        if any(m not in tied for m in chosen):
            raise invalid(_("只能在并列的成员中决定。"), Code.NOT_AMONG_TIED, field="members")
        disposed = barred_from_awards(m.pk for m in members)
        barred = [m.name for m in members if m.pk in disposed]
        if barred:
            raise invalid(_("%(names)s正受组织处置，不能获得奖励名额。"), Code.MEMBER_UNDER_DISPOSAL, field="members",
                          names=join_list(barred))
        if len(set(chosen)) != tie.get("places_left"):
            raise invalid(_("并列名额有 %(n)s 个，请选择 %(n)s 人（已选 %(k)s 人）。"), Code.WRONG_NUMBER_AWARDED,
                          field="members", n=tie.get("places_left"), k=len(set(chosen)))
        with transaction.atomic():
            for member in members:
                QuotaAward.objects.create(evaluation=ev, target=target, member=member, tied=tied,
                                          reason=reason.strip(), decided_by=by)
                _apply(MemberResult.objects.get(evaluation=ev, member=member), target)
            audit.record(AuditAction.QUOTA_PLACE_AWARDED, ev, actor=by, organisation=ev.organisation,
                         after={"target": target, "members": [m.name for m in members], "reason": reason.strip()})
    return ev


def reapply(evaluation):
    """After a computation: apply each award whose tie is unchanged; drop the others. Returns the count applied."""
    ties = {c.get("target"): sorted(str(m) for m in c.get("members") or [])
            for c in evaluation.checks or [] if c.get("type") == "quota_tie"}
    applied = 0
    for award in evaluation.quota_awards.all():
        if ties.get(award.target) == sorted(award.tied) and evaluation.status in EDITABLE_STATUSES:
            _apply(MemberResult.objects.get(evaluation=evaluation, member_id=award.member_id), award.target)
            applied += 1
        else:
            award.delete()
    return applied
