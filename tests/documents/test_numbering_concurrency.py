"""发文字号 under concurrency: no twins, no gaps, even with rollbacks (PostgreSQL row locks).

Needs PostgreSQL (``DATABASE_URL``); SQLite serialises writers on the whole file instead.
"""
import threading

import pytest
from django.db import connection, connections, transaction

from documents import services
from documents.models import DocumentNumberSequence, GeneratedDocument
from organisations.models import Organisation, OrganisationKind

from .conftest import notice_context

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")


class Rollback(Exception):
    pass


def test_concurrent_requests_number_without_gaps_or_twins(monkeypatch):
    # Rendering is not what is under test here; keep the threads short.
    monkeypatch.setattr(services, "_enqueue_render", lambda document_id: None)
    org = Organisation.objects.create(name="并发支部", short_name="并发党支", kind=OrganisationKind.BRANCH, code="conc")
    threads, per_thread = 8, 4
    barrier = threading.Barrier(threads)
    errors = []

    def worker(index):
        try:
            barrier.wait(timeout=10)  # all threads race for the first, not yet existing, sequence row
            for n in range(per_thread):
                try:
                    with transaction.atomic():
                        services.request_document("result_notice", organisation=org, context=notice_context())
                        if (index + n) % 3 == 0:
                            raise Rollback  # the workflow step failed: its number must come back
                except Rollback:
                    pass
        except Exception as exc:  # asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=120)
    assert errors == []
    committed = sum(1 for i in range(threads) for n in range(per_thread) if (i + n) % 3 != 0)
    seqs = sorted(GeneratedDocument.objects.filter(organisation=org).values_list("number_seq", flat=True))
    assert seqs == list(range(1, committed + 1))
    assert DocumentNumberSequence.objects.get(organisation=org, year=2026).last_number == committed
