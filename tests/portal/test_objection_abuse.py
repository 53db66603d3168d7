"""Anonymous objections have limits (issue #13, item 2): per client, per declaration, one objection for
an exact duplicate, a challenge for visitors, and every refused attempt logged for the branch to see.
"""
import re

import pytest
from captcha.models import CaptchaStore
from django.core.exceptions import ValidationError
from django.urls import reverse

from reviews.models import Objection
from reviews.refusals import DEFAULT_LIMITS, RefusedObjection, limits
from reviews.services import objections
from tests import world

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(w):
    rr = world.round_in_publicity(w)
    pub = rr.current_publicity()
    ds = list(rr.declarations.order_by("pk"))
    urls = [reverse("public_objection", args=[w.east.code, pub.pk, d.pk]) for d in ds]
    return w, rr, ds, urls


def _post(client, url, n, ip="203.0.113.7", **extra):
    data = {"objector_name": f"路人{n}", "objector_contact": "13900001111", "reason": f"第{n}条：申报与事实不符。",
            **world.CAPTCHA, **extra}
    return client.post(url, data, REMOTE_ADDR=ip)


def test_defaults_are_set_and_settings_override_them(settings):
    assert limits() == {**DEFAULT_LIMITS, **settings.JIFEN_OBJECTION_LIMITS}
    assert limits()["per_client"] >= 1 and limits()["per_declaration"] >= 1
    settings.JIFEN_OBJECTION_LIMITS = {"per_client": 2}
    assert limits()["per_client"] == 2 and limits()["per_declaration"] == DEFAULT_LIMITS["per_declaration"]


def test_a_burst_from_one_client_is_cut_at_its_limit_and_logged(board, client, settings):
    w, rr, ds, urls = board
    settings.JIFEN_OBJECTION_LIMITS = {"per_client": 5, "per_declaration": 100}
    codes = [_post(client, urls[i % 2], i).status_code for i in range(30)]
    assert codes.count(302) == 5 and Objection.objects.count() == 5
    refused = RefusedObjection.objects.filter(code="objection_client_limit")
    assert refused.count() == 25 and set(refused.values_list("client", flat=True)) == {"203.0.113.7"}
    assert set(refused.values_list("organisation", flat=True)) == {w.east.pk}
    # the refusal says why, beside the form
    assert "提交过于频繁" in _post(client, urls[0], 99).content.decode()
    # another client is not held back
    assert _post(client, urls[0], 100, ip="198.51.100.9").status_code == 302
    # the branch sees the refused attempts on the round's page; the member objected against has no access
    client.force_login(w.secretary)
    page = client.get(reverse("reviews:round_detail", args=[rr.pk])).content.decode()
    assert "被拒绝的异议提交" in page and "203.0.113.7" in page and "提交过于频繁" in page
    client.force_login(w.west_secretary)
    assert client.get(reverse("reviews:round_detail", args=[rr.pk])).status_code == 403


def test_a_declaration_takes_at_most_its_limit_of_public_objections(board, client, settings):
    w, rr, ds, urls = board
    settings.JIFEN_OBJECTION_LIMITS = {"per_client": 100, "per_declaration": 3}
    codes = [_post(client, urls[0], i, ip=f"198.51.100.{i}").status_code for i in range(6)]
    assert codes == [302, 302, 302, 200, 200, 200]
    assert ds[0].objections.count() == 3
    assert RefusedObjection.objects.filter(code="objection_declaration_limit", declaration=ds[0]).count() == 3
    # the other declaration is not affected, and staff still record objections received on paper
    assert _post(client, urls[1], 50, ip="198.51.100.50").status_code == 302
    objections.lodge_objection(ds[0], objector_name="来访群众", objector_contact="面谈", reason="当面反映的情况",
                               received_by=w.clerk)
    assert ds[0].objections.count() == 4


def test_an_exact_duplicate_makes_one_objection(board, client):
    w, rr, ds, urls = board
    assert _post(client, urls[0], 1).status_code == 302
    again = _post(client, urls[0], 1, ip="192.0.2.1")
    assert again.status_code == 200 and "无需重复提交" in again.content.decode()
    assert ds[0].objections.count() == 1
    assert RefusedObjection.objects.filter(code="objection_duplicate").count() == 1
    # the service says so with a code, whoever records it
    with pytest.raises(ValidationError) as caught:
        objections.lodge_objection(ds[0], objector_name="路人1", objector_contact="另一个电话",
                                   reason="第1条：申报与事实不符。", received_by=w.clerk)
    assert caught.value.error_dict["__all__"][0].code == "objection_duplicate"
    # another text, or the same text against another declaration, is a new objection
    assert _post(client, urls[0], 2).status_code == 302
    assert _post(client, urls[1], 1).status_code == 302
    assert Objection.objects.count() == 3


def test_visitors_answer_a_challenge_and_failures_are_logged(board, client):
    w, rr, ds, urls = board
    form = client.get(urls[0]).content.decode()
    assert 'name="captcha_1"' in form and "/captcha/image/" in form
    key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', form).group(1)
    wrong = _post(client, urls[0], 1, captcha_0=key, captcha_1="WRONG")
    assert wrong.status_code == 200 and not Objection.objects.exists()
    assert RefusedObjection.objects.filter(code="captcha_failed", declaration=ds[0]).count() == 1
    # the real answer of a fresh challenge passes
    form = client.get(urls[0]).content.decode()
    key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', form).group(1)
    answer = CaptchaStore.objects.get(hashkey=key).response
    assert _post(client, urls[0], 1, captcha_0=key, captcha_1=answer).status_code == 302
    image = client.get(f"/captcha/image/{key}/")
    assert image.status_code in (200, 410)  # the used challenge may be gone
    # a logged-in user is not challenged
    client.force_login(w.member_user)
    assert 'name="captcha_1"' not in client.get(urls[1]).content.decode()


def test_the_challenge_image_is_served(board, client):
    w, rr, ds, urls = board
    form = client.get(urls[0]).content.decode()
    src = re.search(r'src="(/captcha/image/[0-9a-f]+/)"', form).group(1)
    response = client.get(src)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
