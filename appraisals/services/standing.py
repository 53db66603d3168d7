"""Who may be honoured: a member disposed of, or under a disposal, receives no award.

The year-end use of results commends members, gives star certificates (the scheme's
``[[awards]]``) and awards tied places at a quota edge. None of these may go to a member
against whom the party has moved: DOMAIN.md's 不合格党员组织处置 (限期改正, 劝其退党, 除名)
and the cancellation of a probationary membership, decided by the branch and approved by
the higher committee. A member stands barred from the moment such a disposal is under way
(proposed by the results, decided by the branch, awaiting or given approval, in its
rectification period) and after it was approved, whatever evaluation it came from; not
when the higher committee refused it, nor once a 限期改正 ended with the member improved.

This module is the one statement of that rule; ``uses`` and ``awards`` ask it.
"""
from django.db.models import Q

from ..models import (
    NEEDS_APPROVAL,
    DisposalMeasure,
    Disposition,
    DispositionStatus,
    RectificationOutcome,
)


def barring_dispositions():
    """The dispositions that bar their member from any award (a queryset)."""
    cleared = Q(status=DispositionStatus.REJECTED) | Q(
        measure=DisposalMeasure.RECTIFY, status=DispositionStatus.DONE,
        rectification_outcome=RectificationOutcome.IMPROVED)
    return Disposition.objects.filter(action__in=NEEDS_APPROVAL).exclude(cleared)


def barred_from_awards(member_ids):
    """The ids among ``member_ids`` that may receive no award, commendation or certificate."""
    return set(barring_dispositions().filter(member_id__in=list(member_ids)).values_list("member_id", flat=True))


def result_barred(result, barred):
    """Whether ``result`` (a MemberResult) may earn nothing: its member is in ``barred`` (from
    :func:`barred_from_awards`), or the result itself calls for a disposal."""
    return result.member_id in barred or bool(set(result.actions or ()) & set(NEEDS_APPROVAL))
