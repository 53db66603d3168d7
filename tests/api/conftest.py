import pytest
from django.core.cache import cache

from api.models import AccessToken, TokenScope


@pytest.fixture
def token():
    """``token(user, scope="write")`` → the header dict of a fresh personal access token."""
    def _token(user, scope=TokenScope.WRITE):
        _t, secret = AccessToken.issue(user, "test", scope)
        return {"Authorization": f"Bearer {secret}"}
    return _token


@pytest.fixture(autouse=True)
def _throttle_counts_cleared():
    """The anonymous objection's per-IP counts live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()
