"""Issue 14, a new user's trial of the merged tree: the public index counts the board's items, the
year-end board shows its last day (not "00:00"), the challenge picture is legible, and the
readiness probe answers in text, never an English HTML page."""
import datetime
import hashlib
import io
import re

import pytest
from django.urls import reverse
from PIL import Image

from appraisals.demo import build_year_end
from members.demo import build_people
from portal.views.public import board_items, open_publicities
from reviews.services import filing, meeting
from tests import world
from workdays.clock import format_cn_date

pytestmark = pytest.mark.django_db


def test_the_public_index_counts_the_items_of_the_board(w, client):
    for m in w.members[1:4]:
        world.declare(w, m)
    rr = world.open_round(w)
    world.quorate_meeting(w, rr, by=w.secretary)
    meeting.bulk_approve(rr, w.secretary)
    meeting.submit_to_higher(rr, w.secretary)
    filing.file_round(rr, w.reviewer, "同意备案")
    rows = sum(len(board_items(p)) for p in open_publicities(w.east))
    assert rows == 3
    page = client.get(reverse("public_index")).content.decode()
    assert "公示事项 3 项" in page and "1 项公示" not in page
    english = client.get(reverse("public_index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "3 items on public notice" in english


def test_the_year_end_board_shows_the_last_day_not_midnight(client):
    build_people(io.StringIO())
    evaluation = build_year_end(io.StringIO())
    html = client.get(reverse("public_board", args=[evaluation.organisation.code])).content.decode()
    period = re.search(r"公示期.*?</strong>(.*?)</p>", html[html.index(f'id="ye-{evaluation.pk}"'):], re.S).group(1)
    assert "00:00" not in period
    assert format_cn_date(evaluation.publicity_last_day) in period
    assert evaluation.accepts_objection_on(evaluation.publicity_last_day)
    assert not evaluation.accepts_objection_on(evaluation.publicity_last_day + datetime.timedelta(days=1))


def test_the_challenge_picture_is_large_enough_to_read(client, settings):
    from captcha.models import CaptchaStore
    # it was 77 × 29. The picture is sized from the letters drawn, each letter turned at random, and
    # the captcha view seeds that randomness with the challenge's key: a fixed key draws a fixed
    # picture. The narrowest ("IIII") and the widest ("WWWW") challenges are drawn at 1× and 2×.
    # (Over 300 keys "IIII" came out 43 to 70 pixels wide and "WWWW" 192 to 199.)
    for number, (text, min_width) in enumerate((("IIII", 40), ("WWWW", 150))):
        key = hashlib.sha1(f"jifen-{number}".encode()).hexdigest()
        CaptchaStore.objects.create(challenge=text, response=text.lower(), hashkey=key)
        image = Image.open(io.BytesIO(client.get(reverse("captcha-image", args=[key])).content))
        assert image.size[1] >= 55 and image.size[0] >= min_width, (text, image.size)
        double = Image.open(io.BytesIO(client.get(reverse("captcha-image-2x", args=[key])).content))
        assert double.size[1] >= 2 * 55 and double.size[0] >= 1.5 * min_width, (text, double.size)
    from portal.views.public import ChallengeInput
    html = ChallengeInput().render("captcha", None, attrs={"id": "id_captcha"})
    assert 'class="captcha"' in html and "@2/ 2x" in html


def test_readyz_answers_in_text_for_a_browser_and_json_for_a_probe(client):
    for accept in ("text/html,application/xhtml+xml", "*/*"):
        response = client.get("/readyz", HTTP_ACCEPT=accept, HTTP_ACCEPT_LANGUAGE="zh-hans")
        body = response.content.decode()
        assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
        assert "<html" not in body and "System status" not in body and body.count(": OK") == 4
    assert client.get("/readyz", HTTP_ACCEPT="application/json")["Content-Type"] == "application/json"


def test_period_labels_follow_the_page_language_and_documents_stay_chinese(w, client):
    rr = world.open_round(w)
    client.force_login(w.secretary)
    chinese = client.get(reverse("reviews:rounds")).content.decode()
    english = client.get(reverse("reviews:rounds"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    quarter = (rr.period_start.month - 1) // 3 + 1
    assert f"{rr.period_start.year}年第{'一二三四'[quarter - 1]}季度" in chinese
    assert f"Q{quarter} {rr.period_start.year}" in english and "季度" not in english
    from django.utils import translation

    from documents.kinds import meeting_record
    with translation.override("en"):
        held = world.quorate_meeting(w, rr, by=w.secretary)
        assert meeting_record.build_context(held, signed_points=lambda d, p: p)["period"].endswith("季度")
