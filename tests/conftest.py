"""Shared fixtures: the test world (``county``, see tests/world.py), fast password hashing, Celery, storage.

Tests run on SQLite by default and on PostgreSQL when ``DATABASE_URL`` is set. Celery
runs tasks in-process for every test except those marked ``worker``: those need
PostgreSQL and a broker (``CELERY_BROKER_URL``), and start a real worker process
against the test database with the ``live_worker`` fixture.
"""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.utils import translation

from jifen.celery import app as celery_app

from . import world

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Logins are created in almost every test; the production hasher costs ~0.3 s per password."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _language_restored():
    """A request with a language cookie activates that language in the test's thread; every test
    starts and ends in the default language (zh-hans) so no test sees another's choice."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _cache_cleared():
    """Every test starts with an empty cache: the database is rolled back between tests, so a page
    cached by one test (portal.board_cache) must not be served to the next."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def county(db):
    """The shared county of tests/world.py: 镇党委 → 党总支 → 东街/西街, a login for every role."""
    return world.build()


@pytest.fixture
def w(county):
    """The same world under the short name the portal tests use."""
    return county


@pytest.fixture
def login(client):
    """``login(user)`` → the test client, logged in as ``user``."""
    def _login(user):
        client.force_login(user)
        return client
    return _login


@pytest.fixture(autouse=True)
def _eager_celery_unless_worker(request):
    """Run tasks in-process unless the test asked for a real worker."""
    eager = request.node.get_closest_marker("worker") is None
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager or not settings.CELERY_BROKER_URL
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _captcha_test_mode(monkeypatch):
    """The public objection form's challenge accepts the answer "PASSED" (``world.CAPTCHA``) in tests;
    any other answer is checked as in production. django-simple-captcha reads its settings once, at
    import, so the module value is patched rather than Django's settings."""
    monkeypatch.setattr("captcha.conf.settings.CAPTCHA_TEST_MODE", True)


@pytest.fixture(autouse=True)
def _private_storage(tmp_path, settings):
    """Evidence and documents of a test go to its own temporary folder."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.PRIVATE_STORAGE_ROOT.mkdir()


class LiveWorker:
    """A ``celery worker`` subprocess bound to the test database; can be stopped and restarted."""

    def __init__(self, database_url, log_path):
        self.database_url = database_url
        self.log_path = log_path
        self.process = None

    def start(self, timeout=60):
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "DJANGO_CONN_MAX_AGE": "0",
            "JIFEN_MEDIA_ROOT": str(settings.PRIVATE_STORAGE_ROOT),
        }
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "jifen", "worker", "--pool=solo", "-l", "info",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"test-{os.getpid()}@%h"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"celery worker exited with {self.process.returncode}; see {self.log_path}")
            if celery_app.control.ping(timeout=0.5):
                return
        raise RuntimeError(f"celery worker did not answer a ping within {timeout}s; see {self.log_path}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


@pytest.fixture
def live_worker(transactional_db, tmp_path):
    if connection.vendor != "postgresql" or not settings.CELERY_BROKER_URL:
        pytest.skip("needs PostgreSQL (DATABASE_URL) and a broker (CELERY_BROKER_URL)")
    s = connection.settings_dict
    url = f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    celery_app.control.purge()
    worker = LiveWorker(url, tmp_path / "worker.log")
    worker.start()
    yield worker
    worker.stop()


# In CI (JIFEN_STRICT_SKIPS=1) a missing tool must fail the run, not skip quietly: the only
# skips allowed are those that depend on which database leg is running.
_LEG_DEPENDENT_SKIPS = ("PostgreSQL", "DATABASE_URL", "CELERY_BROKER_URL", "broker")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not report.skipped or os.environ.get("JIFEN_STRICT_SKIPS") != "1":
        return
    reason = str(report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr)
    if not any(word in reason for word in _LEG_DEPENDENT_SKIPS):
        report.outcome = "failed"
        report.longrepr = f"skipped in strict mode (JIFEN_STRICT_SKIPS=1): {reason}"


# ``make test`` runs on every core (pytest-xdist, ``--dist loadgroup``). Tests that talk to the real
# broker share it: a worker started by one test process would take the other's tasks, and a queue
# counted by one would be drained by the other's worker. They all run in one test process.
_BROKER_FILES = ("tests/health/test_queues.py",)


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups off the items
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("worker") or item.nodeid.startswith(_BROKER_FILES):
            item.add_marker(pytest.mark.xdist_group("broker"))
