"""``manage.py run_scheduler``: the embedded default's beat runs CELERY_BEAT_SCHEDULE in-process."""
import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from viewflow.workflow.models import Task

from reviews.flows import ReviewRoundFlow
from reviews.models import RoundStatus
from tests.world import at, round_in_publicity

ROOT = Path(__file__).resolve().parent.parent.parent


def test_once_runs_the_sweep_and_closes_a_window_whose_end_has_passed(county, capsys):
    review_round = round_in_publicity(county)
    timer = Task.objects.get(process_id=review_round.process.pk, flow_task=ReviewRoundFlow.publicity_window)
    call_command("run_scheduler", "--once")
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.PUBLICITY  # not yet: the window is open
    with at(timer.scheduled + datetime.timedelta(seconds=30)):
        call_command("run_scheduler", "--once")
    review_round.refresh_from_db()
    assert review_round.status != RoundStatus.PUBLICITY
    out = capsys.readouterr().out
    assert "fire-workflow-timers → workflow.tasks.fire_timers" in out
    assert "'timers': 1" in out


def test_a_failing_entry_is_reported_and_does_not_stop_the_others(db, settings, capsys):
    settings.CELERY_BEAT_SCHEDULE = {
        "a-broken": {"task": "health.tasks.nonexistent_never_defined", "schedule": 60.0},
    }
    with pytest.raises(KeyError):
        call_command("run_scheduler", "--once")  # an unknown task name is a configuration error, at start
    settings.CELERY_BEAT_SCHEDULE = {
        "a-fails": {"task": "workflow.tasks.run_queued_handle", "schedule": 60.0, "args": ("not-a-pk",)},
        "b-sweep": {"task": "workflow.tasks.fire_timers", "schedule": 60.0},
    }
    with pytest.raises(CommandError, match="a-fails"):
        call_command("run_scheduler", "--once")
    captured = capsys.readouterr()
    assert "a-fails failed" in captured.err
    assert "b-sweep → workflow.tasks.fire_timers" in captured.out and "scheduler: stopped" in captured.out


def test_sigterm_stops_the_scheduler_at_once_and_it_follows_its_parent(tmp_path):
    """As `make run` stops it: SIGTERM ends the sleep now; with --parent it also ends when orphaned."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}", "DJANGO_LOG_LEVEL": "CRITICAL"}
    process = subprocess.Popen([sys.executable, "manage.py", "run_scheduler"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        header = ""
        while "fire-workflow-timers" not in header and time.monotonic() < deadline:
            header += process.stdout.readline()
        time.sleep(1)  # into its sleep (the first sweep failed on the empty database, and it went on)
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0 and "scheduler: stopped" in out
    assert time.monotonic() - started < 3  # not after its nap
    assert "fire-workflow-timers failed" in err

    # A parent that dies: the scheduler notices within its nap and stops by itself.
    parent = subprocess.Popen(
        ["/bin/sh", "-c", f"{sys.executable} manage.py run_scheduler --parent $$ & echo $!; sleep 2"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    try:
        parent.wait(timeout=30)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _alive(child):
            time.sleep(0.5)
        assert not _alive(child), "the scheduler outlived the process that started it"
    finally:
        if _alive(child):
            os.kill(child, signal.SIGKILL)


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie (exited, not yet reaped by init) counts as gone
        return stat.read().split(")")[-1].split()[0] != "Z"
