"""The production server: gunicorn with deploy/gunicorn.conf.py, static files through whitenoise.

One gunicorn is started on a free port, in production mode (``DJANGO_DEBUG=0``, the static
files collected into a temporary ``JIFEN_STATIC_ROOT`` with the hashed, compressed manifest),
asked for the home page, a static file and ``/healthz``, and stopped.
"""
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _get(url, **headers):
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=20) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@pytest.fixture(scope="module")
def production_env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("gunicorn")
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")},
        "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "test-only-" + "x" * 40, "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "JIFEN_STATIC_ROOT": str(tmp / "static"), "JIFEN_MEDIA_ROOT": str(tmp / "private"),
        "GUNICORN_WORKERS": "1", "GUNICORN_ACCESSLOG": "",
    }
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                   cwd=ROOT, env=env, check=True, timeout=300)
    assert (tmp / "static" / "staticfiles.json").is_file()
    return env, tmp


@pytest.fixture(scope="module")
def gunicorn(production_env):
    env, tmp = production_env
    port = _free_port()
    log = open(tmp / "gunicorn.log", "wb")
    process = subprocess.Popen(
        [str(GUNICORN), "-c", "deploy/gunicorn.conf.py", "jifen.wsgi"], cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}: {(tmp / 'gunicorn.log').read_text()}")
            try:
                if _get(base + "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer within 60 s: {(tmp / 'gunicorn.log').read_text()}")
            time.sleep(0.3)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
    assert process.returncode == 0  # a clean shutdown on SIGTERM


def test_gunicorn_serves_the_home_page(gunicorn):
    status, headers, _ = _get(gunicorn + "/")
    assert status == 302 and headers["Location"].startswith("/login/")
    status, headers, body = _get(gunicorn + "/login/")
    assert status == 200 and "积分制管理" in body.decode()
    assert headers["Server"].startswith("gunicorn")
    assert _get(gunicorn + "/healthz")[:1] == (200,)


def test_whitenoise_serves_hashed_compressed_static_files(gunicorn):
    status, _, body = _get(gunicorn + "/admin/login/")
    assert status == 200
    url = re.search(rb'href="(/static/admin/css/base\.[0-9a-f]{12}\.css)"', body).group(1).decode()
    status, headers, css = _get(gunicorn + url, **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    assert headers.get("Content-Encoding") == "gzip"
    assert "immutable" in headers["Cache-Control"]  # hashed name: cached for ever
    status, headers, css = _get(gunicorn + url)
    assert status == 200 and b"{" in css and "Content-Encoding" not in headers
    assert _get(gunicorn + "/static/admin/css/no-such-file.css")[0] == 404
