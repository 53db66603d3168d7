"""gunicorn settings for jifen (`make serve`, the systemd unit in docs/deploy.md).

Every value comes from an environment variable, with a default fit for one web machine of a
county behind nginx. Run: ``gunicorn -c deploy/gunicorn.conf.py jifen.wsgi``.

| variable                    | default             | what                                                     |
|-----------------------------|---------------------|----------------------------------------------------------|
| GUNICORN_BIND               | 127.0.0.1:8000      | address nginx proxies to (several: comma-separated)      |
| GUNICORN_WORKERS            | 2 × cores + 1       | worker processes (each holds one DB connection per thread)|
| GUNICORN_THREADS            | 1                   | threads per worker (>1 switches to the gthread worker)   |
| GUNICORN_TIMEOUT            | 60                  | seconds a request may run before its worker is restarted |
| GUNICORN_GRACEFUL_TIMEOUT   | 30                  | seconds to finish requests on restart / SIGTERM          |
| GUNICORN_KEEPALIVE          | 5                   | seconds an idle keep-alive connection from nginx is kept |
| GUNICORN_MAX_REQUESTS       | 2000                | restart a worker after this many requests (0: never)     |
| GUNICORN_MAX_REQUESTS_JITTER| 200                 | random spread so workers do not restart together         |
| GUNICORN_FORWARDED_ALLOW_IPS| 127.0.0.1           | proxies trusted for X-Forwarded-* (nginx's address)      |
| GUNICORN_ACCESSLOG          | - (stdout)          | access log file; empty: none                             |
| GUNICORN_LOGLEVEL           | info                | error log level                                          |
| GUNICORN_CONTROL_SOCKET     | (off)               | gunicorn's control socket (gunicornc); off by default, so |
|                             |                     | two servers on one machine never share ~/.gunicorn       |

Requests are short: documents are rendered by Celery workers (queue ``documents``), PDFs of one
notice take a fraction of a second, so the timeout guards against a stuck request, not a slow
feature. nginx's ``proxy_read_timeout`` should be a little above ``GUNICORN_TIMEOUT``.
"""
import multiprocessing
import os


def _int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = [b.strip() for b in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",") if b.strip()]
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# The app is loaded in each worker after the fork: database and broker connections are never
# shared between processes.
preload_app = False
# Shared memory for the worker heartbeat files (avoids stalls on slow or disk-backed /tmp).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
proc_name = "jifen"
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket
if not control_socket:
    del control_socket
