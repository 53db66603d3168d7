"""Settings read from the environment (issue 13, item 14): an empty variable means unset."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _engine_with(env_changes):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(env_changes)
    env["DJANGO_SETTINGS_MODULE"] = "jifen.settings"
    script = "import jifen.settings as s; print(s.DATABASES['default']['ENGINE'])"
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_an_empty_database_url_is_the_embedded_default():
    assert _engine_with({"DATABASE_URL": ""}) == "django.db.backends.sqlite3"
    assert _engine_with({"DATABASE_URL": "  "}) == "django.db.backends.sqlite3"


def test_a_database_url_is_still_read():
    assert _engine_with({"DATABASE_URL": "postgres://u@127.0.0.1:5432/x"}) == "django.db.backends.postgresql"
