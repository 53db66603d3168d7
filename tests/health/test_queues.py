"""Celery queues: every task routes to a named queue, and a long document job never shares
the timers' queue (settings.CELERY_TASK_ROUTES, docs/deploy.md)."""
import pytest
from django.conf import settings

from jifen.celery import app

QUEUES = {"timers", "ledger", "notifications", "documents", "default"}


@pytest.fixture(scope="module")
def routes():
    app.loader.import_default_modules()
    names = sorted(n for n in app.tasks if not n.startswith("celery."))
    assert len(names) >= 8  # the registry was filled
    return {name: app.amqp.router.route({}, name)["queue"].name for name in names}


def test_every_task_routes_to_a_declared_queue(routes):
    assert {q.name for q in settings.CELERY_TASK_QUEUES} == QUEUES
    assert settings.CELERY_TASK_DEFAULT_QUEUE == "default"
    assert {name: queue for name, queue in routes.items() if queue not in QUEUES} == {}
    # only the health checks are left on the default queue; everything else is routed on purpose
    assert {name for name, queue in routes.items() if queue == "default"} <= {"health.ping", "health.heartbeat"}


def test_documents_ledger_timers_and_notifications_are_separate(routes):
    assert routes["documents.run_bulk_job"] == routes["documents.render_document"] == "documents"
    assert routes["workflow.tasks.fire_timers"] == routes["reviews.tasks.chase_deadlines"] == "timers"
    assert routes["workflow.tasks.run_queued_handle"] == "ledger"
    assert routes["notifications.tasks.deliver"] == "notifications"
    assert routes["documents.run_bulk_job"] != routes["workflow.tasks.fire_timers"]


def test_a_worker_without_q_consumes_every_queue():
    # `celery -A jifen worker` (make worker, .ci/run's smoke, the live_worker fixture) takes all five
    assert set(app.amqp.queues) == QUEUES
    assert app.amqp.router.route({}, "health.heartbeat")["queue"].name in app.amqp.queues


def test_the_beat_schedule_lands_on_the_timers_queue():
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert app.amqp.router.route({}, entry["task"])["queue"].name == "timers"


def test_a_message_reaches_its_own_queue_only_on_the_real_broker(settings):
    """Publish one task per queue group through the broker with no worker running and count what
    each queue holds: exactly the message routed to it (no copy in the timers' queue)."""
    if not settings.CELERY_BROKER_URL:
        pytest.skip("needs a broker (CELERY_BROKER_URL)")
    from documents.tasks import run_bulk_job
    from workflow.tasks import fire_timers

    def depth(channel, name):
        return app.amqp.queues[name](channel).queue_declare(passive=False).message_count

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with app.connection_for_write() as conn:
            channel = conn.default_channel
            for name in QUEUES:
                app.amqp.queues[name](channel).purge()
            run_bulk_job.apply_async(args=[0])
            run_bulk_job.apply_async(args=[0])
            fire_timers.apply_async()
            counts = {name: depth(channel, name) for name in QUEUES}
            for name in QUEUES:
                app.amqp.queues[name](channel).purge()
    finally:
        app.conf.task_always_eager = previous
    assert counts == {"documents": 2, "timers": 1, "ledger": 0, "notifications": 0, "default": 0}
