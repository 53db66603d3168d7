"""The publicity window closes exactly once when the worker was down while it fell due.

Needs PostgreSQL and a broker::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jifen CELERY_BROKER_URL=redis://127.0.0.1:6379/7 \\
        .venv/bin/python -m pytest tests/workflow/test_worker_timer.py
"""
import datetime
import time

import pytest
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from ledger.models import LedgerEntry
from reviews.flows import ReviewRoundFlow
from reviews.models import AuditEntry, RoundStatus
from reviews.services import filing, meeting
from tests.world import declare, open_round, quorate_meeting
from workflow.tasks import fire_timers


def wait_for(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


@pytest.mark.worker
def test_window_closes_once_after_the_worker_restarts(live_worker, county):
    declare(county)
    declare(county, member=county.members[2])
    review_round = open_round(county)
    quorate_meeting(county, review_round)
    meeting.bulk_approve(review_round, county.clerk)
    meeting.submit_to_higher(review_round, county.secretary)
    filing.file_round(review_round, county.reviewer)
    timer = Task.objects.get(process_id=review_round.process.pk, flow_task=ReviewRoundFlow.publicity_window)
    assert timer.status == STATUS.SCHEDULED

    live_worker.stop()
    # Time passes beyond the window while the worker is down; beat keeps ticking into the broker.
    # (The worker is another process, so the window is moved into the past rather than the clock
    # forward; the timer re-checks the window's own date, so both move.)
    publicity = review_round.current_publicity()
    publicity.start_on -= datetime.timedelta(days=10)
    publicity.end_on -= datetime.timedelta(days=10)
    publicity.save(update_fields=["start_on", "end_on"])
    Task.objects.filter(pk=timer.pk).update(scheduled=publicity.closes_at)
    fire_timers.delay()
    fire_timers.delay()
    time.sleep(1)
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.PUBLICITY

    live_worker.start()
    assert wait_for(lambda: ReviewRoundFlow.process_class.objects.filter(
        pk=review_round.process.pk, status=STATUS.DONE).exists()), "the round did not finish"
    fire_timers.delay().get(timeout=30)
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.FINAL
    assert AuditEntry.objects.filter(action="publicity_closed", review_round=review_round).count() == 1
    assert Task.objects.filter(process_id=review_round.process.pk, flow_task=ReviewRoundFlow.close_window).count() == 1
    assert LedgerEntry.objects.filter(organisation=county.east).count() == 2
