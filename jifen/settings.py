"""Settings for jifen, read from the environment.

With no variables set the project runs on the embedded default: a SQLite file under
the project and Celery tasks executed in-process. Production and CI set
``DATABASE_URL`` (PostgreSQL) and ``CELERY_BROKER_URL`` (Redis).

Variables:
    DJANGO_DEBUG           "1" (default) or "0"
    DJANGO_SECRET_KEY      required when DJANGO_DEBUG=0
    DJANGO_ALLOWED_HOSTS   comma-separated, default "127.0.0.1,localhost"
    DATABASE_URL           e.g. postgres://postgres@127.0.0.1:5432/jifen
    CELERY_BROKER_URL      e.g. redis://127.0.0.1:6379/0
    JIFEN_MEDIA_ROOT       where evidence and documents are stored (outside the web root)
    JIFEN_PUBLIC_BASE_URL  the address the public reaches, printed in QR codes (board, verification)
                           and notifications;
                           default http://127.0.0.1:8000; README "Public base URL"; check W001
    DJANGO_EMAIL_HOST      SMTP server for notifications; unset: e-mail is printed on the console
    DJANGO_EMAIL_PORT, DJANGO_EMAIL_HOST_USER, DJANGO_EMAIL_HOST_PASSWORD, DJANGO_EMAIL_USE_TLS ("1")
    JIFEN_FROM_EMAIL       the sender of notification e-mail, default jifen@localhost
"""
from pathlib import Path
import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0")
    # Development only: never used when DEBUG is off.
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "viewflow",
    "viewflow.workflow",
    # toolkits below the domain apps
    "workdays",
    "documents",
    "workflow",
    "notifications",
    # domain apps, lowest first (each may import only the ones above it in this list)
    "organisations",
    "members",
    "schemes",
    "ledger",
    "reviews",
    "market",
    "appraisals",
    # trying a scheme through the whole chain (imports every domain app; nothing imports it)
    "simulation",
    # what spans the apps
    "portal",
    "health",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # #16: a read request asks for each user's roles once, not once per task or flow
    "portal.middleware.RolesCachedForReadsMiddleware",
]

ROOT_URLCONF = "jifen.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "jifen.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'jifen.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed during a write and halves the fsyncs per commit; documents
    # commit twice each (record, then file hash), which dominated the pipeline on slow disks.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20, init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"

# Evidence files and generated documents live outside any web root and are served
# only through permission-checking views, never by a static/media URL.
PRIVATE_STORAGE_ROOT = Path(os.environ.get("JIFEN_MEDIA_ROOT", BASE_DIR / "var" / "private"))
PUBLIC_BASE_URL = os.environ.get("JIFEN_PUBLIC_BASE_URL", "http://127.0.0.1:8000")

# Ledger anchors (#13 item 9): with a server key, every chain head and filed anchor is signed
# (HMAC-SHA256), so a chain rewritten with database access alone cannot pass verify_ledger.
# Keep the key outside the database and its backups; empty = heads unsigned.
JIFEN_LEDGER_HMAC_KEY = os.environ.get("JIFEN_LEDGER_HMAC_KEY", "")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Upload limits: an evidence file or a roster larger than these is refused with a message.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
JIFEN_ROSTER_MAX_BYTES = 10 * 1024 * 1024
JIFEN_EVIDENCE_MAX_BYTES = 10 * 1024 * 1024

# Notification e-mail: printed on the console on the embedded default, SMTP when a host is set.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = _env_bool("DJANGO_EMAIL_USE_TLS", False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("JIFEN_FROM_EMAIL", "jifen@localhost")

# Celery: in-process by default; a real broker when CELERY_BROKER_URL is set.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or None)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# One schedule for both set-ups: `celery beat` sends it to the broker in production; on the
# embedded default `manage.py run_scheduler` (started by `make run`) runs it in-process.
CELERY_BEAT_SCHEDULE = {
    "fire-workflow-timers": {
        "task": "workflow.tasks.fire_timers",
        "schedule": 60.0,
    },
    "chase-deadlines": {
        "task": "reviews.tasks.chase_deadlines",
        "schedule": 300.0,
    },
}
# beat's own state file, outside the source tree (var/ is ignored by git).
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / "var" / "celerybeat-schedule")

if not DEBUG:
    SECURE_SSL_REDIRECT = _env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
