"""The demo stage builds a round at every step of the chain, and running it again changes nothing."""
import io

import pytest
from django.db import transaction

from ledger.models import LedgerEntry
from members.demo import build_people
from reviews.demo import build_rounds
from reviews.models import AuditEntry, ReviewRound, RoundStatus


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

    audit_rows = AuditEntry.objects.count()
    with transaction.atomic():
        assert build_rounds(io.StringIO()) == []
    assert AuditEntry.objects.count() == audit_rows
    assert LedgerEntry.objects.filter(organisation=qingshi.organisation).count() == counted
