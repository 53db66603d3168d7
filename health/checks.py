"""The readiness checks of ``/readyz`` that django-health-check does not ship.

``Broker``: the Celery broker accepts a connection. On the embedded default (no
``CELERY_BROKER_URL``) tasks run in-process and there is no broker to check.
"""
import dataclasses
import datetime

from django.conf import settings
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from kombu import Connection


@dataclasses.dataclass
class Broker(HealthCheck):
    """Open (and close) one connection to ``settings.CELERY_BROKER_URL``; the URL is never shown."""

    timeout: datetime.timedelta = dataclasses.field(default=datetime.timedelta(seconds=3), repr=False)

    def run(self):
        url = settings.CELERY_BROKER_URL
        if not url:
            return
        seconds = self.timeout.total_seconds()
        try:
            with Connection(url, connect_timeout=seconds, transport_options={"socket_timeout": seconds}) as conn:
                conn.ensure_connection(max_retries=1, timeout=seconds)
        except Exception as exc:  # noqa: BLE001 - any failure to connect means "not ready"
            raise ServiceUnavailable(f"broker unreachable ({type(exc).__name__})") from exc
