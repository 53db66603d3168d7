"""The timer sweep's background steps: a lost message is re-queued; a duplicated one does nothing."""
import datetime

from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from ledger.models import LedgerEntry
from reviews.flows import ReviewRoundFlow
from reviews.models import AuditEntry, RoundStatus
from reviews.services import filing, meeting
from tests.world import declare, open_round, quorate_meeting
from workflow.tasks import fire_timers, requeue_stale_handles, run_queued_handle


def test_lost_posting_message_is_requeued_and_runs_once(county, django_capture_on_commit_callbacks):
    declare(county, occurred_on=datetime.date(2024, 11, 5))
    review_round = open_round(county, period_start=datetime.date(2024, 10, 1), period_end=datetime.date(2024, 12, 31))
    quorate_meeting(county, review_round, held_on=datetime.date(2025, 1, 3))
    meeting.bulk_approve(review_round, county.clerk)
    meeting.submit_to_higher(review_round, county.secretary)
    filing.file_round(review_round, county.reviewer, publicity_start=datetime.date(2025, 1, 6),
                      filed_on=datetime.date(2025, 1, 6))
    with django_capture_on_commit_callbacks(execute=False):
        fire_timers()  # closes the (past) window and queues the posting; the message is "lost"
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.POSTING
    handle = Task.objects.get(process_id=review_round.process.pk, flow_task=ReviewRoundFlow.post_to_ledger)
    assert handle.status == STATUS.NEW

    assert requeue_stale_handles() == 0  # too fresh to be considered lost
    assert requeue_stale_handles(now=timezone.now() + datetime.timedelta(minutes=6)) == 1
    handle.refresh_from_db()
    assert handle.status == STATUS.DONE
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.FINAL
    assert LedgerEntry.objects.count() == 1

    assert run_queued_handle(handle.pk) == "skipped"  # a redelivered message
    assert requeue_stale_handles(now=timezone.now() + datetime.timedelta(hours=1)) == 0
    assert LedgerEntry.objects.count() == 1
    assert AuditEntry.objects.filter(action="round_posted_to_ledger").count() == 1

