"""A task queued through the real broker is executed by a real worker process."""
import time
import uuid

import pytest

from health.models import Heartbeat
from health.tasks import heartbeat, ping


@pytest.mark.worker
def test_ping_round_trip_through_broker(live_worker):
    assert ping.delay().get(timeout=30) == "pong"


@pytest.mark.worker
def test_worker_writes_to_the_test_database(live_worker):
    token = uuid.uuid4().hex
    heartbeat.delay(token).get(timeout=30)
    assert Heartbeat.objects.filter(token=token).count() == 1


@pytest.mark.worker
def test_task_queued_while_worker_is_down_runs_once_after_restart(live_worker):
    live_worker.stop()
    token = uuid.uuid4().hex
    heartbeat.delay(token)
    time.sleep(1)
    assert not Heartbeat.objects.filter(token=token).exists()
    live_worker.start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not Heartbeat.objects.filter(token=token).exists():
        time.sleep(0.2)
    assert Heartbeat.objects.filter(token=token).count() == 1


@pytest.mark.django_db
def test_heartbeat_runs_in_process_without_a_broker(settings):
    token = uuid.uuid4().hex
    heartbeat.delay(token)
    assert Heartbeat.objects.get(token=token).worker
