"""``manage.py run_scheduler``: the beat schedule run in this process, for the embedded default.

``make run`` starts it beside ``runserver`` and stops it with it. It reads the same
``CELERY_BEAT_SCHEDULE`` as ``celery beat`` (so production and the embedded default sweep the
same tasks at the same intervals), but runs each due task here, synchronously, instead of
sending it to a broker: with no broker there is nothing to send it to. One entry that fails
is logged and tried again at its next turn; the scheduler itself keeps going.

Options: ``--once`` runs every entry once and exits (for cron or a check);
``--parent PID`` stops when that process (the one that started it) is gone: ``make run`` passes
its shell's PID, so a killed ``make`` leaves no scheduler behind.
"""
import logging
import os
import signal
import time

from celery.schedules import maybe_schedule
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection

from jifen.celery import app as celery_app

logger = logging.getLogger(__name__)

#: Longest sleep between two looks at the schedule (and at the parent process), in seconds.
MAX_NAP = 5.0


def _fresh_connections():
    """Drop database connections that are broken or past CONN_MAX_AGE, as a request does.

    Never inside a transaction (a test calls the command inside one): closing there would
    break it.
    """
    if not connection.in_atomic_block:
        close_old_connections()


class _Stop(Exception):
    """Raised by the SIGTERM handler to end the scheduler's sleep."""


class Command(BaseCommand):
    help = "Run CELERY_BEAT_SCHEDULE's tasks in this process (the embedded default's beat)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run every entry once, then exit")
        parser.add_argument("--parent", type=int, metavar="PID",
                            help="exit when this process (the one that started the scheduler) is gone")

    def handle(self, once=False, parent=None, **options):
        celery_app.loader.import_default_modules()
        entries = {
            name: (celery_app.tasks[entry["task"]], maybe_schedule(entry["schedule"], app=celery_app), entry)
            for name, entry in sorted(settings.CELERY_BEAT_SCHEDULE.items())
        }
        for name, (task, schedule, _entry) in entries.items():
            self.stdout.write(f"scheduler: {name} → {task.name} ({schedule})")
        self.stdout.flush()
        state = {"stopping": False, "busy": False}

        def on_term(*_args):
            state["stopping"] = True
            if not state["busy"]:  # asleep: stop now; in a task: stop once it has finished
                raise _Stop

        signal.signal(signal.SIGTERM, on_term)
        last_run, failed = {}, []
        try:
            while not state["stopping"]:
                nap = MAX_NAP
                for name, (task, schedule, entry) in entries.items():
                    if name in last_run:
                        due, wait = schedule.is_due(last_run[name])
                    else:
                        due, wait = True, schedule.remaining_estimate(celery_app.now()).total_seconds()
                    if due:
                        last_run[name] = celery_app.now()
                        state["busy"] = True
                        if not self._run(name, task, entry):
                            failed.append(name)
                        state["busy"] = False
                    nap = min(nap, max(float(wait), 0.5))
                if once or state["stopping"] or (parent and os.getppid() != parent):
                    break
                time.sleep(nap)
        except _Stop:
            pass
        self.stdout.write("scheduler: stopped")
        if once and failed:
            raise CommandError(f"failed: {', '.join(failed)}")

    def _run(self, name, task, entry):
        """Run one entry now; True when it succeeded. Prints the result when it did something."""
        started = time.monotonic()
        _fresh_connections()
        try:
            result = task.apply(args=entry.get("args", ()), kwargs=entry.get("kwargs", {}), throw=True).get()
        except Exception:  # one failed sweep must not stop the next one
            logger.exception("scheduler: %s failed", name)
            self.stderr.write(f"scheduler: {name} failed (see the log); next turn as scheduled")
            return False
        finally:
            _fresh_connections()
        took = time.monotonic() - started
        if result and any(result.values() if isinstance(result, dict) else [result]):
            self.stdout.write(f"scheduler: {name} {result} ({took:.2f}s)")
            self.stdout.flush()
        return True
