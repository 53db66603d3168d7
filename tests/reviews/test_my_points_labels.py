"""Trial 4: /me/points/ named the components by their keys ("daily", "deduction"); it shows the
scheme's labels (the scheme in force for the cycle, else the review chain's defaults) in the
page's language."""
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from ledger.services import post_entry
from members.demo import build_people
from members.models import Member
from reviews.demo_scheme import build_scheme_in_force
from reviews.models import local_today

pytestmark = pytest.mark.django_db


def test_my_points_names_components_by_the_scheme_in_the_page_language(client):
    build_people(io.StringIO())
    build_scheme_in_force(io.StringIO())
    member = Member.objects.select_related("user").get(user__username="member_dongjie")
    today = local_today()
    start = datetime.date(today.year, 1, 1)
    for component, points in (("daily", 3), ("deduction", 2)):
        post_entry(organisation=member.organisation, member=member, component=component, points=Decimal(points),
                   occurred_on=today, cycle_start=start, source="test", source_ref=f"t:{component}")
    client.force_login(member.user)
    chinese = client.get(reverse("reviews:my_points"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    headings = [c["label"] for c in chinese.context["components"]]
    assert [str(h) for h in headings] == ["日常行为积分", "扣分"]
    english = client.get(reverse("reviews:my_points"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Daily conduct points" in english and ">daily" not in english and ">deduction" not in english
