"""Concurrent posts to one organisation's chain serialise on the organisation row lock.

Needs PostgreSQL (``DATABASE_URL``); SQLite has no row locks and serialises writers on the
whole database file instead.
"""
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from ledger.models import LedgerEntry
from ledger.services import NoChange, effective_points, post_correction, post_entry
from ledger.verify import verify_chain
from members.models import Member
from organisations.models import Organisation, OrganisationKind

from .conftest import CYCLE

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")


def _run_in_threads(count, target):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker(index):
        try:
            barrier.wait(timeout=10)
            results.append(target(index))
        except Exception as exc:  # collected and asserted by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def _branch_with_member():
    org = Organisation.objects.create(name="并发支部", kind=OrganisationKind.BRANCH, code="concurrent")
    return org, Member.objects.create(organisation=org, name="并发成员")


def test_concurrent_posts_get_consecutive_seqs_and_a_valid_chain():
    org, member = _branch_with_member()
    threads, per_thread = 8, 5

    def post_many(index):
        for n in range(per_thread):
            post_entry(organisation=org, member=member, component="basic", points=Decimal("1.00"),
                       occurred_on=CYCLE, cycle_start=CYCLE, source="test", source_ref=f"{index}-{n}")
        return index

    results, errors = _run_in_threads(threads, post_many)
    assert errors == []
    assert len(results) == threads
    seqs = list(LedgerEntry.objects.filter(organisation=org).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, threads * per_thread + 1))
    assert verify_chain(org).ok


def test_concurrent_identical_corrections_apply_once():
    org, member = _branch_with_member()
    original = post_entry(organisation=org, member=member, component="basic", points=Decimal("10"),
                          occurred_on=CYCLE, cycle_start=CYCLE, source="test")

    results, errors = _run_in_threads(2, lambda i: post_correction(original, Decimal("7"), "核减3分", None))
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], NoChange)
    assert "相同" in str(errors[0])
    assert effective_points(original) == Decimal("7.00")
    assert verify_chain(org).ok
