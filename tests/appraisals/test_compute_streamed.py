"""An evaluation's first results are stored while the engine scores (``storing.FirstResults``, PostgreSQL):
the rows equal those stored after the computation; a failure or a database error midway leaves no row
and a usable transaction; the results' foreign keys are checked at commit again afterwards."""
import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from appraisals.models import MemberResult
from appraisals.services import compute, evaluations, storing
from members.models import Member
from scoring_engine import engine

from .conftest import add_members, open_for, post


def _rows(ev):
    return sorted(MemberResult.objects.filter(evaluation=ev).values_list(
        "member_id", "total", "grade", "stars", "vetoed", "components", "actions", "cycle_start",
        "scheme_version_number"))


def _excellent_branch(county, n=9, top=100):
    """``n`` members of county-7-3 (篇二): daily 100, appraisal ``top`` − i (at 100, all above 90 and
    优秀 candidates; 15% of 9 is 1 place); at ``top=60`` all 合格, handed over as they are scored."""
    members = add_members(county.east, *[f"党员{i}" for i in range(n)])
    ev = open_for(county, "county-7-3")
    for i, m in enumerate(members):
        post(county.east, m, "daily", 100, datetime.date(2025, 5, 1))
        evaluations.record_appraisal(ev, m, county.clerk, score=str(top - i))
    return ev, members


def test_streamed_rows_equal_the_rows_stored_afterwards(county, monkeypatch):
    monkeypatch.setattr(engine, "SCORED_BATCH", 2)  # several COPYs
    ev, members = _excellent_branch(county)
    assert (storing.FirstResults.open(ev, ev.scheme_version) is not None) == (connection.vendor == "postgresql")
    compute.compute_results(ev, county.clerk)
    streamed = _rows(ev)
    by_member = {row[0]: row for row in streamed}
    # The quota keeps the first place of 优秀 only (held back until the quotas ran, then stored as final).
    assert by_member[members[0].pk][2:7:4] == ("优秀", ["commend"])
    assert [by_member[m.pk][2:7:4] for m in members[1:]] == [("合格", [])] * (len(members) - 1)
    assert compute.verify_results(ev) == []

    MemberResult.objects.filter(evaluation=ev).delete()
    monkeypatch.setattr(storing.FirstResults, "open", classmethod(lambda cls, ev, version: None))
    compute.compute_results(ev, county.clerk)
    assert _rows(ev) == streamed


def test_a_failure_after_the_rows_went_leaves_no_result_and_the_transaction_usable(county, monkeypatch):
    monkeypatch.setattr(engine, "SCORED_BATCH", 2)
    ev, members = _excellent_branch(county, 5, top=60)  # all 合格: handed over (and stored) as scored
    handed = []
    original = storing.FirstResults.scored
    monkeypatch.setattr(storing.FirstResults, "scored", lambda self, items: (handed.append(len(items)),
                                                                             original(self, items)))

    def fail(*args):
        raise RuntimeError("the quotas failed")

    monkeypatch.setattr(engine, "apply_quotas", fail)  # two batches stored by then, the fifth member waiting
    with transaction.atomic():
        with pytest.raises(RuntimeError):
            compute.compute_results(ev, county.clerk)
        assert not MemberResult.objects.filter(evaluation=ev).exists()
        assert Member.objects.filter(pk=members[0].pk).exists()  # the connection still answers
    assert handed == ([2, 2] if connection.vendor == "postgresql" else [])


def _unknown_member_row_accepted(ev):
    """Whether a result row of an unknown member is accepted until commit (the foreign key deferred)."""
    savepoint = transaction.savepoint()
    try:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO appraisals_memberresult (evaluation_id, member_id, cycle_start, total, grade, "
                           "vetoed, components, actions, scheme_version_number, computed_at) VALUES (%s, 999999999, "
                           "%s, 0, '', %s, '{}', '[]', 1, %s)", [ev.pk, ev.cycle_start, False, timezone.now()])
        return True
    except IntegrityError:
        return False
    finally:
        transaction.savepoint_rollback(savepoint)


def test_the_results_foreign_keys_are_checked_at_commit_again_after_a_close(county):
    ev, members = _excellent_branch(county, 3)
    with transaction.atomic():
        compute.compute_results(ev, county.clerk)
        assert _unknown_member_row_accepted(ev)
        assert MemberResult.objects.filter(evaluation=ev).count() == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: the streamed COPY")
def test_a_row_the_database_refuses_undoes_every_row_and_leaves_the_connection_as_it_was(county, monkeypatch):
    monkeypatch.setattr(engine, "SCORED_BATCH", 1)  # a COPY per member: the refusal is read while others go
    ev, members = _excellent_branch(county, 4, top=60)
    original = storing._copy_lines

    def a_member_that_does_not_exist(items, prefix=""):
        for chunk in original(items, prefix):
            yield chunk.replace(f"{prefix}{members[0].pk}\t", f"{prefix}999999999\t")

    monkeypatch.setattr(storing, "_copy_lines", a_member_that_does_not_exist)
    nonblocking = connection.connection.pgconn.nonblocking
    with transaction.atomic():
        with pytest.raises(IntegrityError):
            compute.compute_results(ev, county.clerk)
        assert not MemberResult.objects.filter(evaluation=ev).exists()
        assert _unknown_member_row_accepted(ev)
    assert connection.connection.pgconn.nonblocking == nonblocking
    monkeypatch.setattr(storing, "_copy_lines", original)
    compute.compute_results(ev, county.clerk)
    assert MemberResult.objects.filter(evaluation=ev).count() == 4
