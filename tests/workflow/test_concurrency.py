"""Two secretaries completing the same step at the same moment (PostgreSQL, two threads)."""
import threading
import time
from unittest import mock

import pytest
from django.db import connection, connections
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from organisations.models import RoleKind
from reviews.flows import ReviewRoundFlow
from reviews.models import AuditEntry, DeclarationStatus, RoundStatus
from reviews.services import meeting
from tests.world import declare, make_user, open_round, quorate_meeting
from workflow.steps import StepConflict

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


def race(*calls):
    """Run ``calls`` in threads released together; return [(ok, result_or_exception)]."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = (True, call())
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results[index] = (False, exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def slow(func, seconds=0.4):
    def wrapper(*args, **kwargs):
        result = func(*args, **kwargs)
        time.sleep(seconds)  # hold the lock long enough for the other thread to collide
        return result
    return wrapper


@pytest.mark.django_db(transaction=True)
def test_two_secretaries_submit_the_same_round_at_once(county):
    declare(county)
    declare(county, member=county.members[2])
    review_round = open_round(county)
    quorate_meeting(county, review_round)
    meeting.bulk_approve(review_round, county.clerk)

    with mock.patch.object(meeting, "_quorate_meeting", slow(meeting._quorate_meeting)):
        results = race(
            lambda: meeting.submit_to_higher(review_round, county.secretary),
            lambda: meeting.submit_to_higher(review_round, county.deputy),
        )
    outcomes = sorted(ok for ok, _ in results)
    assert outcomes == [False, True], results
    failure = next(r for ok, r in results if not ok)
    assert isinstance(failure, StepConflict)
    assert "他人" in failure.messages[0] or "不在支部会议审核阶段" in failure.messages[0]

    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.HIGHER_REVIEW
    tasks = Task.objects.filter(process_id=review_round.process.pk)
    assert tasks.filter(flow_task=ReviewRoundFlow.branch_meeting, status=STATUS.DONE).count() == 1
    assert tasks.filter(flow_task=ReviewRoundFlow.higher_review).count() == 1
    assert AuditEntry.objects.filter(action="round_submitted").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_people_bulk_approve_the_same_items_at_once(county):
    first = declare(county)
    second = declare(county, member=county.members[2])
    review_round = open_round(county)
    quorate_meeting(county, review_round)
    other_clerk = make_user("another-clerk", (RoleKind.CLERK, county.east))
    ids = [first.pk, second.pk]

    with mock.patch.object(meeting, "_quorate_meeting", slow(meeting._quorate_meeting)):
        results = race(
            lambda: meeting.bulk_approve(review_round, county.clerk, ids),
            lambda: meeting.bulk_approve(review_round, other_clerk, ids),
        )
    assert sorted(ok for ok, _ in results) == [False, True], results
    failure = next(r for ok, r in results if not ok)
    assert isinstance(failure, StepConflict)
    assert AuditEntry.objects.filter(action="declaration_decided").count() == 2
    assert set(review_round.declarations.values_list("status", flat=True)) == {DeclarationStatus.APPROVED}
