"""The documents the demo's walked review rounds issued carry exactly their kind's build_context of the records.

The demo stage (``reviews.demo.build_rounds``) drives four rounds through the services as
users would: meeting, filing, publicity, objections, posting. Every review-chain document
it left is re-derived here from its records and compared; the filing reports' member
counts are compared with the roll.
"""
import io

import pytest
from django.db import transaction

from documents.kinds import (
    explanation,
    filing_report,
    meeting_record,
    objection_answer,
    objection_receipt,
    publicity_notice,
    summary_table,
)
from documents.kinds.base import PARTY_MEMBER_KINDS
from documents.models import GeneratedDocument
from documents.rendering import normalise
from members.demo import build_people
from members.models import Member
from reviews.demo import build_rounds
from reviews.models import Objection, Publicity, ReviewRound
from reviews.services.points import effective_points_before, signed_points


def _rebuilt(document):
    """``build_context`` of the records ``document`` reports on, found from its subject key."""
    kind, key = document.kind, document.subject_key.split(":")
    if key[0] == "round":
        rr = ReviewRound.objects.get(pk=key[1])
        if kind == "meeting_record":
            return meeting_record.build_context(rr.meetings.filter(review_pass=int(key[3])).latest("held_on", "pk"))
        if kind == "filing_report":
            return filing_report.build_context(rr.filings.get(outcome="filed"))
        if kind == "publicity_notice":
            return publicity_notice.build_context(Publicity.objects.get(pk=key[3]), signed_points=signed_points)
        if kind == "summary_table":
            return summary_table.build_context(rr, signed_points=signed_points)
    if key[0] == "objection":
        objection = Objection.objects.get(pk=key[1])
        if kind == "objection_receipt":
            return objection_receipt.build_context(objection)
        previous = effective_points_before(objection)
        if kind == "objection_answer":
            return objection_answer.build_context(objection, previous_points=previous)
        if kind == "explanation":
            return explanation.build_context(objection, previous_points=previous)
    raise AssertionError(f"no records known for {kind} {document.subject_key}")


@pytest.mark.django_db(transaction=True)
def test_walked_rounds_issue_the_context_of_their_records():
    out = io.StringIO()
    with transaction.atomic():
        build_people(out)
    with transaction.atomic():
        assert len(build_rounds(out)) == 4
    documents = list(GeneratedDocument.objects.order_by("pk"))
    kinds = {d.kind for d in documents}
    assert kinds == {"meeting_record", "filing_report", "publicity_notice", "objection_receipt",
                     "objection_answer", "explanation", "summary_table"}
    for document in documents:
        expected = normalise(_rebuilt(document))
        assert {k: document.context.get(k) for k in expected} == expected, f"{document.kind} {document.subject_key}"

    filed = [d for d in documents if d.kind == "filing_report"]
    assert len(filed) == 2  # 东街 (in publicity) and 青石 (posted)
    for report in filed:
        org = report.organisation
        on_roll = Member.objects.filter(organisation__path__startswith=org.path, is_active=True,
                                        kind__in=PARTY_MEMBER_KINDS).count()
        declared = ReviewRound.objects.get(organisation=org).declarations.values("member").distinct().count()
        assert report.context["member_count"] == on_roll > declared
