"""Logins are throttled (django-axes), every user can change their password, and every page carries a
Content-Security-Policy header (django-csp) (issue #13, item 4)."""
import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.urls import reverse

from tests import world

pytestmark = pytest.mark.django_db


def _login(client, username, password, ip="203.0.113.20"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def _logged_in(client):
    return "_auth_user_id" in client.session


def test_thirty_wrong_passwords_lock_the_account_even_for_the_right_one(w, client, settings):
    assert settings.AXES_ENABLED and settings.AXES_FAILURE_LIMIT == 5
    statuses = [_login(client, "li-secretary", f"guess-{i}").status_code for i in range(30)]
    assert statuses[:4] == [200] * 4  # wrong password: the form again
    assert set(statuses[5:]) == {429}  # then locked out
    response = _login(client, "li-secretary", world.PASSWORD)
    assert response.status_code == 429 and not _logged_in(client)
    assert "登录已暂停" in response.content.decode()
    # logged: the attempts and each failure, with the address
    attempt = AccessAttempt.objects.get(username="li-secretary")
    assert attempt.failures_since_start >= 5 and attempt.ip_address == "203.0.113.20"
    assert AccessFailureLog.objects.filter(username="li-secretary", locked_out=True).exists()
    # another user, and the same user from another address, are not held back
    assert _login(client, "wang-deputy", world.PASSWORD).status_code == 302
    client.logout()
    assert _login(client, "li-secretary", world.PASSWORD, ip="198.51.100.3").status_code == 302


def test_a_successful_login_resets_the_count(w, client):
    for i in range(4):
        _login(client, "zhao-clerk", f"guess-{i}")
    assert _login(client, "zhao-clerk", world.PASSWORD).status_code == 302
    client.logout()
    for i in range(4):
        _login(client, "zhao-clerk", f"again-{i}")
    assert _login(client, "zhao-clerk", world.PASSWORD).status_code == 302


def test_every_user_changes_their_password(w, client):
    client.force_login(w.member_user)
    home = client.get("/").content.decode()
    assert reverse("password_change") in home  # linked from the header
    page = client.get(reverse("password_change"))
    assert page.status_code == 200 and "修改密码" in page.content.decode()
    wrong = client.post(reverse("password_change"), {"old_password": "nope", "new_password1": "Jifen-new-2026",
                                                      "new_password2": "Jifen-new-2026"})
    assert wrong.status_code == 200 and "errorlist" in wrong.content.decode()
    done = client.post(reverse("password_change"), {"old_password": world.PASSWORD,
                                                     "new_password1": "Jifen-new-2026",
                                                     "new_password2": "Jifen-new-2026"})
    assert done.status_code == 302 and done["Location"] == reverse("password_change_done")
    assert "密码已修改" in client.get(done["Location"]).content.decode()
    client.logout()
    assert _login(client, "zhang-member", world.PASSWORD).status_code == 200
    assert _login(client, "zhang-member", "Jifen-new-2026").status_code == 302
    client.logout()
    assert client.get(reverse("password_change")).status_code == 302  # only for someone logged in


def test_pages_carry_a_content_security_policy(w, client):
    rr = world.open_round(w)
    for url in ("/login/", reverse("public_index")):
        policy = client.get(url)["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "object-src 'none'" in policy
        assert "img-src 'self' data:" in policy and "frame-ancestors 'self'" in policy
    client.force_login(w.secretary)
    response = client.get(reverse("reviews:branch_meeting", args=[rr.pk]))
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"script-src 'self' 'nonce-([^']+)'", policy).group(1)
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all(f'nonce="{nonce}"' in attrs or "src=" in attrs for attrs in scripts)
