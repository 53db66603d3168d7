"""``manage.py run_scheduler``: the embedded default's beat runs CELERY_BEAT_SCHEDULE in-process."""
import datetime

import pytest
from django.core.management import CommandError, call_command
from viewflow.workflow.models import Task

from reviews.flows import ReviewRoundFlow
from reviews.models import RoundStatus
from tests.world import at, round_in_publicity


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
