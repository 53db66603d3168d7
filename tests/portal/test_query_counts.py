"""Staff pages issue a constant number of queries whatever the number of tasks (#16 target 3).

Each page is requested for a county-level secretary at two sizes of the county (1 and 6 open
rounds, one per branch, each with its task); the bound is the same at both sizes, so a query
per task or per branch fails the larger size.
"""
import pytest

from members.models import Member
from organisations.models import RoleKind
from reviews.services import rounds
from tests import world

#: page → the most queries it may issue (the same at every size).
PAGES = {"/": 50, "/tasks/": 50, "/tasks/?tab=queue": 50, "/dashboard/": 50}


def _county_with_rounds(county, n):
    boss = world.user("county-boss", role=RoleKind.SECRETARY, on=county.town)
    for i in range(n):
        branch = world.org(f"第{i + 1}党支部", parent=county.general)
        Member.objects.create(organisation=branch, name=f"党员{i + 1}")
        rounds.open_round(organisation=branch, by=boss)
    return boss


@pytest.mark.parametrize("n", [1, 6])
@pytest.mark.parametrize("url", list(PAGES))
def test_staff_pages_issue_a_constant_number_of_queries(county, login, url, n, django_assert_max_num_queries):
    client = login(_county_with_rounds(county, n))
    with django_assert_max_num_queries(PAGES[url]):
        response = client.get(url)
    assert response.status_code == 200


def test_the_public_board_is_served_from_the_cache_until_a_round_moves(county, client,
                                                                       django_assert_max_num_queries):
    import datetime

    from django.urls import reverse

    from reviews.models import Publicity

    review_round = world.round_in_publicity(county)
    publicity = review_round.publicities.get()
    url = reverse("public_board", args=[county.east.code])
    first = client.get(url).content.decode()
    assert "刘志强" in first and "陈小燕" in first
    # A change that bypasses the models' signals is not seen: the board comes from the cache,
    # with the organisation and the board's version as its only queries.
    later = publicity.end_on + datetime.timedelta(days=30)
    Publicity.objects.filter(pk=publicity.pk).update(start_on=later, end_on=later + datetime.timedelta(days=7))
    with django_assert_max_num_queries(3):
        cached = client.get(url).content.decode()
    assert "刘志强" in cached
    # The same change saved through the model (as the services do) is seen by the next visitor.
    publicity.refresh_from_db()
    publicity.save()
    fresh = client.get(url).content.decode()
    assert "刘志强" not in fresh and "目前没有正在公示的内容" in fresh


def test_the_menu_counts_every_flow_at_once_as_the_flows_lists_count_them(county):
    """``scoping.task_counts`` (the menu: one query over all flows for 我的待办) counts what each
    flow's own lists (``inbox_for`` / ``queue_for``) hold, for every user, delegations included."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from organisations.models import Delegation
    from portal.scoping import inbox_for, queue_for, task_counts
    from portal.site import FLOW_CLASSES

    _county_with_rounds(county, 3)
    reviewing = county.reviewer.org_roles.get(kind=RoleKind.REVIEWER).organisation
    world.user("second-reviewer", role=RoleKind.REVIEWER, on=reviewing)  # two: the filing waits to be claimed
    world.round_at_higher_review(county)
    holder = county.secretary.org_roles.first()
    now = timezone.now()
    Delegation.objects.create(principal=county.secretary, deputy=county.clerk, organisation=holder.organisation,
                              kind=holder.kind, starts_at=now - datetime.timedelta(hours=1),
                              ends_at=now + datetime.timedelta(days=1), reason="外出学习")
    users = list(get_user_model().objects.all())
    assert len(users) > 5
    seen = set()
    for user in users:
        expected = (sum(inbox_for(f, user).count() for f in FLOW_CLASSES),
                    sum(queue_for(f, user).count() for f in FLOW_CLASSES))
        assert task_counts(user, FLOW_CLASSES) == expected, user
        seen.add(expected)
    assert any(inbox for inbox, _queue in seen) and any(queue for _inbox, queue in seen)
