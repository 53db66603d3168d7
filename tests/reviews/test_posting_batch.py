"""Posting a round in one batch (#16 target 2): one entry per counted declaration, one chain lock,
the summary counted per member, nothing written when one row is refused."""
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from documents.kinds import summary_table
from ledger.models import ChainHead, EntryKind, LedgerEntry
from ledger.services import NewEntry, post_batch
from ledger.verify import verify_chain
from reviews.services import meeting
from reviews.services.points import signed_points
from reviews.services.posting import planned_entries, post_round
from tests import world


@pytest.fixture
def approved_round(county):
    first, second = county.members[1], county.members[2]
    for member, points in ((first, "2"), (first, "3"), (second, "1")):
        world.declare(county, member, points)
    review_round = world.open_round(county)
    world.quorate_meeting(county, review_round, by=county.secretary)
    meeting.bulk_approve(review_round, county.secretary)
    return review_round


def test_a_round_posts_one_entry_per_declaration_in_one_chain(county, approved_round, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        assert post_round(approved_round) == 3
    entries = list(LedgerEntry.objects.filter(organisation=county.east).order_by("seq"))
    assert [e.seq for e in entries] == [1, 2, 3]
    assert [e.points for e in entries] == [Decimal("2.00"), Decimal("3.00"), Decimal("1.00")]
    assert {e.kind for e in entries} == {EntryKind.POSTED}
    assert all(f"review-round:{approved_round.pk}/declaration:" in e.source_ref for e in entries)
    head = ChainHead.objects.get(organisation=county.east)
    assert (head.seq, head.entry_hash) == (3, entries[-1].entry_hash)
    assert verify_chain(county.east).ok


def test_the_summary_counts_members_not_declarations(county, approved_round):
    post_round(approved_round)
    context = summary_table.build_context(approved_round, signed_points=signed_points)
    assert context["member_count"] == 2
    assert sorted(row["counted"] for row in context["rows"]) == [1, 2]


def test_an_upheld_objection_is_a_correction_of_the_first_entry(county, approved_round):
    _declarations, planned = planned_entries(approved_round)
    target = planned[0]
    planned.append(NewEntry(member_id=target.member_id, component=target.component, points=Decimal("-1"),
                            occurred_on=target.occurred_on, cycle_start=target.cycle_start, source="objection",
                            source_ref="review-round:0/objection:1", corrects=target))
    saved = post_batch(county.east, planned)
    correction = saved[-1]
    assert (correction.kind, correction.corrects_id, correction.seq) == (EntryKind.CORRECTION, saved[0].pk, 4)
    assert verify_chain(county.east).ok


def test_one_refused_row_writes_nothing(county, approved_round):
    _declarations, planned = planned_entries(approved_round)
    planned[-1].member_id = county.west_member.pk  # a member of another branch
    with pytest.raises(ValidationError):
        post_batch(county.east, planned)
    assert not LedgerEntry.objects.filter(organisation=county.east).exists()
    assert not ChainHead.objects.filter(organisation=county.east).exists()
