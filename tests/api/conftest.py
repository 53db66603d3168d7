import pytest

from api.models import AccessToken, TokenScope


@pytest.fixture
def token():
    """``token(user, scope="write")`` → the header dict of a fresh personal access token."""
    def _token(user, scope=TokenScope.WRITE):
        _t, secret = AccessToken.issue(user, "test", scope)
        return {"Authorization": f"Bearer {secret}"}
    return _token
