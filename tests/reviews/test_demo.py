"""The demo stage builds a round at every step of the chain, and running it again changes nothing."""
import io

import pytest
from django.db import transaction

from ledger.models import LedgerEntry
from documents.models import GeneratedDocument
from members.demo import SECRETARY_MEMBERS, build_people
from members.models import Member, MemberKind
from reviews.demo import build_rounds
from reviews.models import AuditEntry, MeetingKind, ReviewRound, RoundStatus
from reviews.services import quorum


@pytest.mark.django_db(transaction=True)
def test_demo_rounds_at_every_step():
    out = io.StringIO()
    with transaction.atomic():
        build_people(out)
    with transaction.atomic():  # as load_demo runs each stage
        built = build_rounds(out)
    assert len(built) == 4
    statuses = dict(ReviewRound.objects.values_list("organisation__code", "status"))
    assert statuses == {
        "demo-xijie": RoundStatus.BRANCH_MEETING,
        "demo-zhengfu": RoundStatus.RETURNED,
        "demo-dongjie": RoundStatus.PUBLICITY,
        "demo-qingshi": RoundStatus.FINAL,
    }
    dongjie = ReviewRound.objects.get(organisation__code="demo-dongjie")
    open_objections = [o for d in dongjie.declarations.all() for o in d.objections.all() if o.answered_on is None]
    assert len(open_objections) == 1
    qingshi = ReviewRound.objects.get(organisation__code="demo-qingshi")
    counted = qingshi.declarations.filter(status__in=["approved", "adjusted"]).count()
    assert LedgerEntry.objects.filter(organisation=qingshi.organisation).count() == counted > 0
    zhengfu = ReviewRound.objects.get(organisation__code="demo-zhengfu")
    assert zhengfu.filings.get().outcome == "returned"

    # Trial 5: each branch secretary is a member of the branch (ticked at a 党员大会), and the minutes
    # of the demo's meetings name the chair among those present.
    for username, (code, *_rest) in SECRETARY_MEMBERS.items():
        member = Member.objects.get(user__username=username)
        assert (member.organisation.code, member.kind, member.is_active) == (code, MemberKind.PARTY_MEMBER, True)
        assert member.name in [p.name for p in quorum.entitled_people(member.organisation, MeetingKind.BRANCH_MEETING)]
    minutes = GeneratedDocument.objects.filter(kind="meeting_record")
    assert minutes.exists()
    for doc in minutes:
        assert doc.context["chair"] in doc.context["attendees"].split("、"), doc.context

    audit_rows = AuditEntry.objects.count()
    with transaction.atomic():
        assert build_rounds(io.StringIO()) == []
    assert AuditEntry.objects.count() == audit_rows
    assert LedgerEntry.objects.filter(organisation=qingshi.organisation).count() == counted
