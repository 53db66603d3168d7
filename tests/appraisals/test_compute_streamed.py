"""An evaluation's first results are stored while the engine scores (``storing.FirstResults``, PostgreSQL):
the rows equal those stored after the computation, the quotas' revisions included; a refusal or a
database error midway leaves no row and a usable transaction."""
import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from appraisals.models import MemberResult
from appraisals.services import compute, evaluations, storing
from members.models import Member
from scoring_engine import engine

from .conftest import add_members, post


def _open(county, preset):
    from .conftest import make_scheme

    version = make_scheme(county.town, preset)
    return evaluations.open_evaluation(organisation=county.east, by=county.secretary, scheme_version=version)


def _rows(ev):
    return sorted(MemberResult.objects.filter(evaluation=ev).values_list(
        "member_id", "total", "grade", "stars", "vetoed", "components", "actions", "cycle_start",
        "scheme_version_number"))


def _excellent_branch(county, n=9):
    """``n`` members of county-7-3 (篇二) above 90: daily 100, appraisal 100 − i; 15% of 9 is 1 place of 优秀."""
    members = add_members(county.east, *[f"党员{i}" for i in range(n)])
    ev = _open(county, "county-7-3")
    for i, m in enumerate(members):
        post(county.east, m, "daily", 100, datetime.date(2025, 5, 1))
        evaluations.record_appraisal(ev, m, county.clerk, score=str(100 - i))
    return ev, members


def test_streamed_rows_equal_the_rows_stored_afterwards_with_the_quotas_revisions(county, monkeypatch):
    monkeypatch.setattr(engine, "SCORED_BATCH", 2)  # five COPYs, some joined while one is in flight
    ev, members = _excellent_branch(county)
    assert (storing.FirstResults.open(ev, ev.scheme_version) is not None) == (connection.vendor == "postgresql")
    compute.compute_results(ev, county.clerk)
    streamed = _rows(ev)
    by_member = {row[0]: row for row in streamed}
    # Handed over as 优秀 + commend; the quota keeps the first place only: the rest revised in place.
    assert by_member[members[0].pk][2:7:4] == ("优秀", ["commend"])
    assert [by_member[m.pk][2:7:4] for m in members[1:]] == [("合格", [])] * (len(members) - 1)
    assert compute.verify_results(ev) == []

    MemberResult.objects.filter(evaluation=ev).delete()
    monkeypatch.setattr(storing.FirstResults, "open", classmethod(lambda cls, ev, version: None))
    compute.compute_results(ev, county.clerk)
    assert _rows(ev) == streamed


def test_a_failure_after_the_rows_went_leaves_no_result_and_the_transaction_usable(county, monkeypatch):
    monkeypatch.setattr(engine, "SCORED_BATCH", 2)
    ev, members = _excellent_branch(county, 5)
    handed = []
    original = storing.FirstResults.scored
    monkeypatch.setattr(storing.FirstResults, "scored", lambda self, items: (handed.append(len(items)),
                                                                             original(self, items)))

    def fail(*args):
        raise RuntimeError("the quotas failed")

    monkeypatch.setattr(engine, "apply_quotas", fail)  # every member scored (and streamed) by then
    with transaction.atomic():
        with pytest.raises(RuntimeError):
            compute.compute_results(ev, county.clerk)
        assert not MemberResult.objects.filter(evaluation=ev).exists()
        assert Member.objects.filter(pk=members[0].pk).exists()  # the connection still answers
    assert handed == ([2, 2, 1] if connection.vendor == "postgresql" else [])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: the streamed COPY")
def test_a_row_the_database_refuses_undoes_every_row_and_defers_the_keys_again(county, monkeypatch):
    ev, members = _excellent_branch(county, 3)
    original = storing._copy_lines

    def a_member_that_does_not_exist(items, prefix=""):
        for chunk in original(items, prefix):
            yield chunk.replace(f"{prefix}{members[1].pk}\t", f"{prefix}999999999\t")

    monkeypatch.setattr(storing, "_copy_lines", a_member_that_does_not_exist)
    with transaction.atomic():
        with pytest.raises(IntegrityError):
            compute.compute_results(ev, county.clerk)
        assert not MemberResult.objects.filter(evaluation=ev).exists()
        # The results' foreign keys are deferred again: a row of an unknown member is accepted until commit.
        savepoint = transaction.savepoint()
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO appraisals_memberresult (evaluation_id, member_id, cycle_start, total, grade, "
                           "vetoed, components, actions, scheme_version_number, computed_at) VALUES (%s, 999999999, "
                           "%s, 0, '', false, '{}', '[]', 1, now())", [ev.pk, ev.cycle_start])
        transaction.savepoint_rollback(savepoint)
    monkeypatch.setattr(storing, "_copy_lines", original)
    compute.compute_results(ev, county.clerk)
    assert MemberResult.objects.filter(evaluation=ev).count() == 3
