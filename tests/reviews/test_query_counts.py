"""Query counts that must not grow with the number of rows (#16 target 3): measured at two sizes."""
import pytest

from reviews.models import Declaration, DeclarationStatus
from reviews.services import meeting
from tests import world


def _round_with(county, n):
    for i in range(n):
        world.declare(county, county.members[i % len(county.members)], "2")
    review_round = world.open_round(county)
    world.quorate_meeting(county, review_round, by=county.secretary)
    return review_round


@pytest.mark.parametrize("n", [3, 24])
def test_bulk_approve_issues_a_constant_number_of_queries(county, n, django_assert_max_num_queries):
    review_round = _round_with(county, n)
    with django_assert_max_num_queries(15):
        approved = meeting.bulk_approve(review_round, county.secretary)
    assert len(approved) == n
    assert Declaration.objects.filter(review_round=review_round, status=DeclarationStatus.APPROVED).count() == n


@pytest.mark.parametrize("n", [2, 12])
def test_my_points_issues_a_constant_number_of_queries(county, login, n, django_assert_max_num_queries):
    from decimal import Decimal

    from django.urls import reverse

    from ledger import scope
    from ledger.services import post_entry

    member = county.members[0]
    cycle = scope.default_cycle_start(member=member)
    for _ in range(n):
        declaration = world.declare(county, member, "2")
        post_entry(organisation=county.east, member=member, component="bonus", points=Decimal("2"),
                   occurred_on=declaration.occurred_on, cycle_start=cycle, source="review",
                   source_ref=f"review-round:1/declaration:{declaration.pk}")
    client = login(county.member_user)
    with django_assert_max_num_queries(32):  # +2 constant: the scheme in force names the components
        response = client.get(reverse("reviews:my_points"))
    assert response.status_code == 200
    assert response.content.decode().count("申报详情") == n


@pytest.mark.parametrize("n", [2, 20])
def test_opening_a_round_collects_its_declarations_with_a_constant_number_of_queries(
        county, n, django_assert_max_num_queries):
    from reviews.models import AuditAction, AuditEntry

    for i in range(n):
        world.declare(county, county.members[i % len(county.members)], "2")
    with django_assert_max_num_queries(40):
        review_round = world.open_round(county)
    assert review_round.declarations.count() == n
    collected = AuditEntry.objects.filter(action=AuditAction.DECLARATION_COLLECTED, review_round=review_round)
    assert collected.count() == n
    assert {e.object_repr.split(" · ")[0] for e in collected} == {m.name for m in county.members[:n]}
