"""``/healthz`` (the process answers, nothing else touched) and ``/readyz`` (database, broker,
storages; 503 naming the component that is down)."""
import json
from unittest import mock

import pytest
from django.db import OperationalError, connections

from health import views


def _ready(client):
    response = client.get("/readyz", HTTP_ACCEPT="application/json")
    return response.status_code, json.loads(response.content)


def test_healthz_answers_without_the_database(client):
    # no django_db mark: pytest-django refuses any database access in this test
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_checks_database_broker_and_both_storages(client):
    status, body = _ready(client)
    assert status == 200
    assert body == {"Database(alias='default')": "OK", "Broker()": "OK",
                    "Storage(alias='documents')": "OK", "Storage(alias='evidence')": "OK"}
    assert client.get("/readyz?format=text").content.decode().count(": OK") == 4


@pytest.mark.django_db
def test_readyz_names_the_database_when_it_is_down(client):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused: is the server running")

    with mock.patch.object(type(connections["default"]), "temporary_connection", refuse):
        status, body = _ready(client)
    assert status == 503
    assert body["Database(alias='default')"].startswith("Unavailable")
    assert body["Storage(alias='documents')"] == "OK"


@pytest.mark.django_db
def test_readyz_names_the_broker_when_it_is_down(client, settings):
    with socket_port_closed() as url:
        settings.CELERY_BROKER_URL = url
        status, body = _ready(client)
    assert status == 503
    assert body["Broker()"] == "Unavailable: broker unreachable (OperationalError)"
    assert "127.0.0.1" not in json.dumps(body)  # the broker URL (and its password) is never shown
    assert body["Database(alias='default')"] == "OK"


@pytest.mark.django_db
def test_readyz_names_the_storage_that_is_down(client, settings, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the evidence folder should be")
    settings.STORAGES = {**settings.STORAGES, "evidence": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                           "OPTIONS": {"location": str(blocked)}}}
    status, body = _ready(client)
    assert status == 503
    assert body["Storage(alias='evidence')"] != "OK" and body["Storage(alias='documents')"] == "OK"


def test_readyz_runs_the_checks_it_documents():
    assert [c if isinstance(c, str) else c[1]["alias"] for c in views.READY_CHECKS] == [
        "health_check.checks.Database", "health.checks.Broker", "documents", "evidence"]


class socket_port_closed:
    """A ``redis://`` URL on a loopback port where nothing listens."""

    def __enter__(self):
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        return f"redis://:secret@127.0.0.1:{port}/0"

    def __exit__(self, *exc):
        return False
