"""Trial 5: a declaration made after its round was opened joins that round (while the round is at its
branch meeting, a meeting recorded or not) and shows on the branch meeting screen."""
import pytest
from django.urls import reverse

from reviews.models import DeclarationStatus, RoundStatus
from reviews.services import declarations, meeting, rounds, withdrawal
from tests import world

pytestmark = pytest.mark.django_db


def test_a_declaration_made_after_the_meeting_was_recorded_joins_the_open_round(w, client):
    first = world.declare(w, w.members[1])
    rr = world.open_round(w)
    world.quorate_meeting(w, rr, by=w.secretary)
    meeting.bulk_approve(rr, w.secretary)
    late = world.declare(w, w.members[2], "3")
    late.refresh_from_db()
    assert late.review_round == rr and late.status == DeclarationStatus.SUBMITTED
    client.force_login(w.secretary)
    html = client.get(reverse("reviews:branch_meeting", args=[rr.pk])).content.decode()
    assert f'id="row-{late.pk}"' in html and f'name="outcome_{late.pk}"' in html
    assert "本批次没有申报" not in html
    # The round cannot be reported with it undecided; decided at the meeting, it can.
    with pytest.raises(Exception, match="未认定"):
        meeting.submit_to_higher(rr, w.secretary)
    meeting.decide_declaration(late, w.secretary, DeclarationStatus.APPROVED)
    meeting.submit_to_higher(rr, w.secretary)
    assert set(rr.declarations.values_list("pk", flat=True)) == {first.pk, late.pk}


def test_a_declaration_made_after_the_meeting_may_still_be_withdrawn_by_its_author(w):
    rr = world.open_round(w)
    world.quorate_meeting(w, rr, by=w.secretary)
    own = world.declare(w, w.members[0], by=w.member_user)
    assert own.review_round == rr
    declarations.withdraw_declaration(own, w.member_user)
    own.refresh_from_db()
    assert own.status == DeclarationStatus.WITHDRAWN and own.review_round is None


def test_a_round_reported_upward_takes_no_more_and_the_screen_offers_them_when_it_comes_back(w, client):
    rr = world.round_at_higher_review(w)
    late = world.declare(w, w.members[3])
    assert late.review_round is None  # the branch meeting has reported: not joined behind the reviewer's back
    withdrawal.withdraw_report(rr, w.secretary, "漏报一项申报")
    rr.refresh_from_db()
    assert rr.status == RoundStatus.BRANCH_MEETING
    client.force_login(w.secretary)
    url = reverse("reviews:branch_meeting", args=[rr.pk])
    html = client.get(url).content.decode()
    assert 'id="collect-form"' in html and "本期还有 1 项申报尚未纳入本批次" in html
    assert client.post(url, {"action": "collect"}).status_code == 302
    late.refresh_from_db()
    assert late.review_round == rr
    assert 'id="collect-form"' not in client.get(url).content.decode()
    assert rounds.pending_declarations(rr).count() == 0
