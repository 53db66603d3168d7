"""Small words on the review screens (trial 4): no "还有 0 项未认定" once all is decided, no "不予认定 0",
and a worded empty choice (请选择 / Choose…) in drop-downs instead of Django's "---------"."""
import pytest
from django.urls import reverse

from reviews.models import DeclarationStatus
from reviews.services import meeting
from tests import world

pytestmark = pytest.mark.django_db


def test_all_decided_says_so_and_a_rejection_shows_no_zero(w, client):
    world.declare(w, w.members[1], "2")
    rr = world.open_round(w)
    world.quorate_meeting(w, rr, by=w.secretary)
    d = rr.declarations.get()
    meeting.decide_declaration(d, w.secretary, DeclarationStatus.REJECTED, reason="无佐证")
    client.force_login(w.secretary)
    page = client.get(reverse("reviews:branch_meeting", args=[rr.pk])).content.decode()
    assert "还有 0 项" not in page and "全部已认定" in page
    detail = client.get(reverse("reviews:round_detail", args=[rr.pk])).content.decode()
    assert "不予认定（无佐证）" in detail and "不予认定 0" not in detail


@pytest.mark.parametrize(("language", "label"), [("zh-hans", "请选择"), ("en", "Choose…")])
def test_drop_downs_offer_a_worded_empty_choice(w, client, language, label):
    client.force_login(w.secretary)
    html = client.get(reverse("reviews:rounds"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert "---------" not in html
    assert f'<option value="" selected>{label}</option>' in html
