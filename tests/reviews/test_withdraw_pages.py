"""Two different 撤回: a member withdraws their own declaration; a branch secretary withdraws the round's report.

The two screens once shared one URL name, so the declaration page's button posted to the round withdrawal
with the declaration's number (a new user's trial: 撤回申报 always 404ed)."""
import re

import pytest
from django.urls import reverse

from reviews.models import DeclarationStatus, ReporterKind, RoundStatus, local_today
from reviews.timeline import declaration_timeline
from workdays.clock import format_cn_date
from reviews.services import meeting
from tests import world

pytestmark = pytest.mark.django_db


def test_a_member_withdraws_their_own_declaration_from_its_page(w, login):
    own = world.declare(w, member=w.members[0], by=w.member_user, reporter_kind=ReporterKind.SELF)
    client = login(w.member_user)
    page = client.get(reverse("reviews:declaration_detail", args=[own.pk])).content.decode()
    action = reverse("reviews:withdraw_declaration", args=[own.pk])
    assert f'action="{action}"' in page
    response = client.post(action)
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:declaration_detail", args=[own.pk])
    own.refresh_from_db()
    assert own.status == DeclarationStatus.WITHDRAWN
    # Trial 5: the 已撤回 step of its progress carries the day it was withdrawn, as the others do.
    step = next(s for s in declaration_timeline(own) if s["key"] == "withdrawn")
    assert step["date"] is not None and format_cn_date(step["date"]) == format_cn_date(local_today())
    page = client.get(reverse("reviews:declaration_detail", args=[own.pk])).content.decode()
    assert re.search(r"已撤回</strong> <span class=\"badge\">[^<]+</span> " + format_cn_date(local_today()), page)


def test_the_round_withdrawal_keeps_its_own_address(w, login):
    world.declare(w, w.members[1], "2")
    rr = world.open_round(w)
    world.quorate_meeting(w, rr, by=w.secretary)
    meeting.bulk_approve(rr, w.secretary)
    meeting.submit_to_higher(rr, w.secretary)
    url = reverse("reviews:withdraw_round", args=[rr.pk])
    assert url == f"/rounds/{rr.pk}/withdraw/"
    response = login(w.secretary).post(url, {"reason": "分值有误，需重新审核"})
    assert response.status_code == 302
    rr.refresh_from_db()
    assert rr.status == RoundStatus.BRANCH_MEETING
