import pytest

from . import world


@pytest.fixture
def w(db):
    return world.build()


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client
    return _login
