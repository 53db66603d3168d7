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
    JIFEN_STORAGE          "local" (default: the JIFEN_MEDIA_ROOT folder) or "s3" (docs/deploy.md):
                           JIFEN_S3_BUCKET, JIFEN_S3_PREFIX, AWS_S3_ENDPOINT_URL, AWS_S3_REGION_NAME,
                           AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
    JIFEN_STATIC_ROOT      where collectstatic writes (default var/static), served by whitenoise
    JIFEN_PUBLIC_BASE_URL  the address the public reaches, printed in QR codes (board, verification)
                           and notifications;
                           default http://127.0.0.1:8000; README "Public base URL"; check W001
    DJANGO_EMAIL_HOST      SMTP server for notifications; unset: e-mail is printed on the console
    DJANGO_EMAIL_PORT, DJANGO_EMAIL_HOST_USER, DJANGO_EMAIL_HOST_PASSWORD, DJANGO_EMAIL_USE_TLS ("1")
    JIFEN_FROM_EMAIL       the sender of notification e-mail, default jifen@localhost
    JIFEN_STALE_AFTER_SECONDS        a document or bulk job pending this long is queued again
                                     (documents.sweep), default 300
    JIFEN_BROKER_VISIBILITY_TIMEOUT  seconds before Redis hands a dead worker's task to another,
                                     default 3600 (longer than any task)
    JIFEN_OBJECTIONS_PER_CLIENT, JIFEN_OBJECTIONS_PER_DECLARATION  public objection limits (5 an hour
                           per address, 10 a day per item; reviews.refusals)
    JIFEN_LOGIN_LOCKOUT ("0" turns it off), JIFEN_LOGIN_FAILURE_LIMIT (5), JIFEN_LOGIN_COOLOFF_HOURS (0.5)
"""
from pathlib import Path
import os

import dj_database_url
from kombu import Exchange, Queue
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
    "safeguards",  # issue 13: control characters refused in every form; the safe .xlsx writer
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
    "health_check",
    # the open REST API (/api/v1/; beside portal, nothing imports it); "ninja" serves its docs' assets locally
    "ninja",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from STATIC_ROOT (or the finders when DEBUG) in gunicorn, no web server needed.
    "whitenoise.middleware.WhiteNoiseMiddleware",
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
    # An empty DATABASE_URL means unset (as for the broker), never a KeyError 'ENGINE' (issue 13).
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{BASE_DIR / 'var' / 'jifen.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed during a write and halves the fsyncs per commit; documents
    # commit twice each (record, then file hash), which dominated the pipeline on slow disks.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20, init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    # Every transaction takes the write lock when it begins (BEGIN IMMEDIATE) and waits up to
    # `timeout` for it: a deferred transaction that read first fails at once with "database is
    # locked" when another writer committed meanwhile; the loser of a race must wait and then
    # see the winner's decision (issue 13, item 6).
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "portal.passwords.MinimumLengthValidator"},  # Django's, with a msgid its zh_Hans translates
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("JIFEN_STATIC_ROOT", BASE_DIR / "var" / "static"))
# whitenoise: with DEBUG (make run, the tests) files come from the apps, looked up per request;
# in production from STATIC_ROOT, collected (`make serve` runs collectstatic) and cached for ever.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEBUG

# Evidence files and generated documents live outside any web root and are served
# only through permission-checking views, never by a static/media URL.
PRIVATE_STORAGE_ROOT = Path(os.environ.get("JIFEN_MEDIA_ROOT", BASE_DIR / "var" / "private"))
PUBLIC_BASE_URL = os.environ.get("JIFEN_PUBLIC_BASE_URL", "http://127.0.0.1:8000")

# -- Storages (docs/deploy.md) ---------------------------------------------------------------
# "documents" (documents, seals, bulk zips) and "evidence" are the named storages the code uses
# (documents.storage). Embedded default: the private folder above. JIFEN_STORAGE=s3: one bucket
# shared by every web and worker machine, the same layout as the folder (evidence/ inside it),
# so `aws s3 sync var/private s3://BUCKET/PREFIX` moves a local installation to S3.
# Static files: whitenoise's compressed, hashed manifest in production (run collectstatic);
# the plain storage with DEBUG, so `make run` and the tests need no collectstatic.
JIFEN_STORAGE = os.environ.get("JIFEN_STORAGE", "local").strip().lower() or "local"
if JIFEN_STORAGE == "s3":
    _bucket = os.environ.get("JIFEN_S3_BUCKET", "")
    if not _bucket:
        raise ImproperlyConfigured("JIFEN_STORAGE=s3 needs JIFEN_S3_BUCKET")
    _prefix = os.environ.get("JIFEN_S3_PREFIX", "").strip("/")

    def _s3(location):
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            "bucket_name": _bucket,
            "location": "/".join(p for p in (_prefix, location) if p),
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,  # MinIO, Ceph, OSS, COS…
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,  # "path" for MinIO
            "default_acl": None,           # the bucket's policy: private
            "querystring_auth": True,      # never a public URL (files are streamed by the views anyway)
            "file_overwrite": False,       # stored files are immutable: a clash gets a new name
        }}
    _private_storages = {"documents": _s3(""), "evidence": _s3("evidence")}
elif JIFEN_STORAGE == "local":
    _private_storages = {
        "documents": {"BACKEND": "documents.storage.PrivateStorage"},
        "evidence": {"BACKEND": "documents.storage.PrivateStorage", "OPTIONS": {"subdir": "evidence"}},
    }
else:
    raise ImproperlyConfigured(f"JIFEN_STORAGE must be 'local' or 's3', not {JIFEN_STORAGE!r}")
STORAGES = {
    "default": _private_storages["documents"],
    **_private_storages,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG
                    else "jifen.staticfiles.StaticFilesStorage"},
}

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
# A worker killed mid-task: its task goes back to the queue (a pool process killed: at once;
# the whole worker: after the broker's visibility timeout), and the documents sweep below
# queues again what is still pending after JIFEN_STALE_AFTER_SECONDS (issue 13).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(os.environ.get("JIFEN_BROKER_VISIBILITY_TIMEOUT", "3600"))}
JIFEN_STALE_AFTER_SECONDS = int(os.environ.get("JIFEN_STALE_AFTER_SECONDS", "300"))
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
    "requeue-stale-documents": {
        "task": "documents.requeue_stale",
        "schedule": 60.0,
    },
}
# beat's own state file, outside the source tree (var/ is ignored by git).
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / "var" / "celerybeat-schedule")
# Queues (docs/deploy.md): a long bulk PDF job on "documents" never delays the timer sweep on
# "timers". A worker started without -Q consumes all five; `make worker QUEUES=…` picks some.
CELERY_TASK_DEFAULT_QUEUE = "default"
# Each queue has its own exchange and routing key, so a message reaches its queue only (on Redis
# and on an AMQP broker alike).
CELERY_TASK_QUEUES = [Queue(name, Exchange(name, type="direct"), routing_key=name)
                      for name in ("timers", "ledger", "notifications", "documents", "default")]
CELERY_TASK_ROUTES = {
    "workflow.tasks.fire_timers": {"queue": "timers"},
    "reviews.tasks.chase_deadlines": {"queue": "timers"},
    # the sweep that finds documents a dead worker left pending must not wait behind them
    "documents.requeue_stale": {"queue": "timers"},
    # the background steps of the flows (QueuedHandle): posting a round to the ledger
    "workflow.tasks.run_queued_handle": {"queue": "ledger"},
    "ledger.*": {"queue": "ledger"},
    "documents.*": {"queue": "documents"},
    "notifications.*": {"queue": "notifications"},
    # webhooks out (api.webhooks): outbound messages, retried with back-off, beside notifications
    "api.tasks.*": {"queue": "notifications"},
    "health.*": {"queue": "default"},
}

if not DEBUG:
    SECURE_SSL_REDIRECT = _env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Load balancers probe over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# -- Abuse and login protection (#13) ---------------------------------------------------------
# django-simple-captcha: the challenge on the public objection form (portal.views.public).
# django-axes: lockout after repeated failed logins, each attempt logged (admin: Axes).
# django-csp: the Content-Security-Policy header on every response.
INSTALLED_APPS += ["captcha", "axes", "csp"]
MIDDLEWARE += ["csp.middleware.CSPMiddleware", "axes.middleware.AxesMiddleware"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first, as django-axes requires
    "django.contrib.auth.backends.ModelBackend",
]
# Public objections: per client (IP) and per declaration, in a sliding window (reviews.refusals).
JIFEN_OBJECTION_LIMITS = {
    "per_client": int(os.environ.get("JIFEN_OBJECTIONS_PER_CLIENT", "5")),
    "client_window_minutes": 60,
    "per_declaration": int(os.environ.get("JIFEN_OBJECTIONS_PER_DECLARATION", "10")),
    "declaration_window_minutes": 24 * 60,
}
CAPTCHA_LENGTH = 4
CAPTCHA_TIMEOUT = 10  # minutes a challenge stays valid
# A challenge an older villager can read on a phone: large letters (the picture is sized from the
# font, about 190×67 pixels; twice that for high-density screens), turned less, without the
# arcs across them. The page shows it 4.25rem high, so large-text mode (长辈版) enlarges it too.
CAPTCHA_FONT_SIZE = 48
CAPTCHA_LETTER_ROTATION = (-15, 15)
CAPTCHA_NOISE_FUNCTIONS = ("captcha.helpers.noise_dots",)
# Logins: AXES_FAILURE_LIMIT wrong passwords for one username from one address lock that pair
# for AXES_COOLOFF_TIME hours; a successful login resets the count.
AXES_ENABLED = _env_bool("JIFEN_LOGIN_LOCKOUT", True)
AXES_FAILURE_LIMIT = int(os.environ.get("JIFEN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("JIFEN_LOGIN_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failed attempt, with its address, in the admin (Axes)
# The policy: everything from this site only; an inline <script> runs only with the response's
# nonce (nonce="{{ request.csp_nonce }}"); inline styles are allowed (templates carry small <style>
# blocks and style attributes); images also as data: URIs (QR codes, charts).
from csp.constants import NONCE  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}
