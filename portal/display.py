"""长辈版 (large-text mode): one switch, remembered per user and, for visitors, per browser.

A logged-in user's choice is a ``DisplayPreference`` row; a visitor's is the ``jifen_large``
cookie (one year). ``is_large(request)`` reads it for ``base.html``; ``toggle`` flips it.
"""
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .models import DisplayPreference

COOKIE = "jifen_large"
ONE_YEAR = 365 * 24 * 3600


def is_large(request):
    """True when the request's user (or, for a visitor, the browser) chose large text."""
    if request is None:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        value = DisplayPreference.objects.filter(user=user).values_list("large_text", flat=True).first()
        if value is not None:
            return value
    return request.COOKIES.get(COOKIE) == "1"


@require_POST
def toggle(request):
    """Switch large text on (``large=1``) or off (``large=0``), then go back to ``next``."""
    large = request.POST.get("large") == "1"
    if request.user.is_authenticated:
        DisplayPreference.objects.update_or_create(user=request.user, defaults={"large_text": large})
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = redirect(target)
    response.set_cookie(COOKIE, "1" if large else "0", max_age=ONE_YEAR, samesite="Lax")
    return response
