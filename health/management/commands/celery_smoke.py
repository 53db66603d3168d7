"""Queue a heartbeat through the real broker and wait for a worker to execute it."""
import time
import uuid

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from health.models import Heartbeat
from health.tasks import heartbeat


class Command(BaseCommand):
    help = "Check that a Celery worker executes a task queued through the broker (needs CELERY_BROKER_URL)."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=60.0)

    def handle(self, *args, timeout, **options):
        if not settings.CELERY_BROKER_URL:
            raise CommandError("CELERY_BROKER_URL is not set: tasks run in-process, there is no worker to check.")
        token = uuid.uuid4().hex
        started = time.monotonic()
        heartbeat.apply_async(args=[token])
        while time.monotonic() - started < timeout:
            row = Heartbeat.objects.filter(token=token).first()
            if row:
                self.stdout.write(
                    f"worker {row.worker} executed the heartbeat in {time.monotonic() - started:.2f}s"
                )
                return
            time.sleep(0.2)
        raise CommandError(f"no worker executed the heartbeat within {timeout:.0f}s (broker {settings.CELERY_BROKER_URL})")
