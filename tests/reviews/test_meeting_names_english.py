"""Trial 5: the English meeting page joined the stored names with "、"; a page joins them as its
reader's language writes a list (the stored record stays Chinese, for the minutes)."""
import pytest
from django.conf import settings
from django.urls import reverse

from tests import world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language, mark", [("en", ", "), ("zh-hans", "、")])
def test_the_meeting_page_joins_stored_names_in_its_language(w, client, language, mark):
    world.declare(w)
    rr = world.open_round(w)
    held = world.quorate_meeting(w, rr, by=w.secretary, absentee_names="孙丽（外出培训，请假）、周强（病假）")
    assert held.attendee_names == "李建国、赵丽娜"  # stored as the minutes print it
    client.force_login(w.secretary)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse("reviews:branch_meeting", args=[rr.pk])).content.decode()
    assert f"李建国{mark}赵丽娜" in html
    assert f"孙丽（外出培训，请假）{mark}周强（病假）" in html  # a reason's own comma is not a separator
    if mark != "、":
        assert "李建国、赵丽娜" not in html
