"""Trial 5: the public objection form's challenge was a picture only, with no way to get another
without losing what was typed; a logged-in member typed their own name again."""
import re

import pytest
from captcha.models import CaptchaStore
from django.urls import reverse

from reviews.models import Objection, RefusedObjection
from tests import world

pytestmark = pytest.mark.django_db


@pytest.fixture
def url(w):
    rr = world.round_in_publicity(w)
    declaration = rr.declarations.order_by("pk").first()
    return reverse("public_objection", args=[w.east.code, rr.current_publicity().pk, declaration.pk])


def _key(page):
    return re.search(r'name="captcha_0" value="([0-9a-f]+)"', page).group(1)


def test_a_new_challenge_keeps_the_typed_values_and_refuses_nothing(url, client):
    page = client.get(url).content.decode()
    assert 'name="refresh_challenge"' in page and "看不清，换一张" in page and "不区分大小写" in page
    assert "<script" not in page.split('name="captcha_1"')[0].rsplit("<form", 1)[1]  # no script in the form
    typed = {"objector_name": "路人甲", "objector_contact": "13900001111",
             "reason": "申报的志愿服务当天我在场，没有看到。"}
    again = client.post(url, {**typed, "captcha_0": _key(page), "captcha_1": "", "refresh_challenge": "1"},
                        REMOTE_ADDR="203.0.113.7")
    body = again.content.decode()
    assert again.status_code == 200 and _key(body) != _key(page)
    assert CaptchaStore.objects.filter(hashkey=_key(body)).exists()
    assert 'value="路人甲"' in body and 'value="13900001111"' in body and typed["reason"] in body
    # nothing was checked: no "required" for the empty answer
    assert "<ul class=\"errorlist" not in body and "field-error" not in body.split("<form", 1)[1]
    assert not Objection.objects.exists() and not RefusedObjection.objects.exists()
    # Enter in a field submits the objection: the form's first submit button is not the refresh
    form = body.split("<form", 1)[1]
    first = re.search(r"<button[^>]*>", form).group(0)
    assert 'type="submit"' in first and "refresh_challenge" not in first


def test_a_logged_in_member_finds_their_name_filled_in(w, url, client):
    client.force_login(w.member_user)
    page = client.get(url).content.decode()
    assert f'value="{w.members[0].name}"' in page and 'name="captcha_1"' not in page
    client.force_login(w.clerk)  # a user with no member record: nothing filled in
    assert not re.search(r'<input[^>]*name="objector_name"[^>]*value=', client.get(url).content.decode())
