"""Who is calling: a personal access token (``Authorization: Bearer jf_…``) or the browser's session.

A token is looked up by the SHA-256 of the secret presented; a revoked token, or one whose user
is inactive, authenticates nobody. A ``read`` token may call every GET; a write call needs a
``write`` token (else 403 ``token_read_only``). Session auth is django-ninja's ``SessionAuth``,
which checks Django's CSRF token on every call it authenticates (the browser sends
``X-CSRFToken``), so CSRF stays on for session writes.
"""
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from .models import AccessToken, hash_secret
from .problems import Problem


def token_for(secret):
    """The active token with this secret, or None."""
    if not secret:
        return None
    token = (AccessToken.objects.select_related("user").filter(secret_hash=hash_secret(secret), revoked_at__isnull=True)
             .first())
    if token is None or not token.user.is_active:
        return None
    return token


def bearer_secret(request):
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


class TokenAuth(HttpBearer):
    """A personal access token; ``write=True`` refuses read-only tokens."""

    def __init__(self, write=False):
        super().__init__()
        self.write = write

    def authenticate(self, request, token):
        found = token_for(token)
        if found is None:
            return None
        if self.write and not found.allows_write():
            raise Problem(403, "token_read_only", _("该访问令牌为只读，不能执行写操作。"))
        AccessToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        request.api_token = found
        return found.user


READ = [TokenAuth(), SessionAuth()]
WRITE = [TokenAuth(write=True), SessionAuth()]


def request_user(request):
    """The user a request is from, without the ninja machinery (for the idempotency wrapper)."""
    token = token_for(bearer_secret(request))
    if token is not None:
        return token.user
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None
