"""Two people deciding the same declaration: the loser is told, never silently overwritten
(issue 13, items 5 and 6), on PostgreSQL and on SQLite (a file database, real threads)."""
import re
import sqlite3
import threading

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from reviews.errors import ReviewErrorCode
from reviews.models import Declaration, DeclarationStatus
from reviews.services import meeting
from tests.world import declare, open_round, quorate_meeting
from workflow.steps import StepConflict


def _decided_round(county):
    d = declare(county, county.members[1], "2")
    rr = open_round(county)
    quorate_meeting(county, rr)
    return rr, Declaration.objects.get(pk=d.pk)


def _token(html, d):
    return re.search(rf'name="token_{d.pk}" value="([0-9a-f]+)"', html).group(1)


def _shown(client, url, d):
    """The hidden fields of ``d``'s row as the page shows them (none on a page without a token)."""
    found = re.search(rf'name="token_{d.pk}" value="([0-9a-f]+)"', client.get(url).content.decode())
    return {f"token_{d.pk}": found.group(1)} if found else {}


@pytest.mark.django_db
def test_a_stale_decision_is_refused_with_the_conflict_code(county):
    rr, d = _decided_round(county)
    shown = meeting.decision_token(d)
    meeting.decide_declaration(d, county.deputy, DeclarationStatus.REJECTED, reason="无佐证", expected=shown)
    with pytest.raises(StepConflict) as caught:
        meeting.decide_declaration(d, county.secretary, DeclarationStatus.ADJUSTED, points="1", reason="减半",
                                   expected=shown)
    [err] = caught.value.error_dict[NON_FIELD_ERRORS]
    assert err.code == ReviewErrorCode.CONFLICT
    d.refresh_from_db()
    assert (d.status, d.decision_reason, d.decided_by) == (DeclarationStatus.REJECTED, "无佐证", county.deputy)


@pytest.mark.django_db
def test_the_meeting_screen_shows_the_conflict_to_the_second_secretary(county, client):
    rr, d = _decided_round(county)
    url = reverse("reviews:branch_meeting", args=[rr.pk])
    deputy = Client()
    deputy.force_login(county.deputy)
    client.force_login(county.secretary)
    page = client.get(url).content.decode()       # both open the page while it is undecided
    deputy_page = deputy.get(url).content.decode()

    response = deputy.post(url, {"action": "decide", f"outcome_{d.pk}": DeclarationStatus.REJECTED,
                                 f"reason_{d.pk}": "无签到记录", f"token_{d.pk}": _token(deputy_page, d)})
    assert response.status_code == 302
    response = client.post(url, {"action": "decide", f"outcome_{d.pk}": DeclarationStatus.APPROVED,
                                 f"token_{d.pk}": _token(page, d)})
    assert response.status_code == 400
    text = response.content.decode()
    assert "您的认定未保存" in text and "wang-deputy" in text
    d.refresh_from_db()
    assert (d.status, d.decision_reason, d.decided_by) == (DeclarationStatus.REJECTED, "无签到记录", county.deputy)


@pytest.mark.django_db
def test_a_returned_round_revised_by_two_keeps_the_first_revision(county, client):
    """On a returned round decided rows are editable again: the stale form must not overwrite."""
    rr, d = _decided_round(county)
    shown = meeting.decision_token(d)
    meeting.decide_declaration(d, county.secretary, DeclarationStatus.APPROVED, expected=shown)
    approved = meeting.decision_token(Declaration.objects.get(pk=d.pk))
    meeting.decide_declaration(d, county.deputy, DeclarationStatus.ADJUSTED, points="1", reason="减半",
                               expected=approved)
    with pytest.raises(StepConflict):
        meeting.decide_declaration(d, county.secretary, DeclarationStatus.REJECTED, reason="不符", expected=approved)
    d.refresh_from_db()
    assert (d.status, str(d.decided_points)) == (DeclarationStatus.ADJUSTED, "1.00")


# -- real threads --------------------------------------------------------------------------------

@pytest.fixture
def shared_database(transactional_db, tmp_path):
    """Threads that share the test database. SQLite's test database lives in memory, where
    locking is not what a server sees; its content is copied to a file the threads (and this
    test) then use, with the project's OPTIONS (WAL, timeout, transaction mode)."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    path = tmp_path / "race.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    original, original_settings = connections["default"], connections.settings["default"]
    connections.settings["default"] = {**original_settings, "NAME": str(path)}
    connections["default"] = connections.create_connection("default")
    try:
        yield
    finally:
        connections["default"].close()
        connections.settings["default"] = original_settings
        connections["default"] = original


def test_two_secretaries_at_once_one_wins_the_other_is_told(county, monkeypatch, shared_database):
    rr, d = _decided_round(county)
    url = reverse("reviews:branch_meeting", args=[rr.pk])
    users = {"secretary": county.secretary, "deputy": county.deputy}
    clients = {}
    for name, user in users.items():
        clients[name] = Client()
        clients[name].force_login(user)
    posts = {
        "secretary": {"action": "decide", f"outcome_{d.pk}": DeclarationStatus.APPROVED,
                      **_shown(clients["secretary"], url, d)},
        "deputy": {"action": "decide", f"outcome_{d.pk}": DeclarationStatus.REJECTED, f"reason_{d.pk}": "无佐证",
                   **_shown(clients["deputy"], url, d)},
    }
    # Both requests get inside their step before either decides (where the lock lets them).
    barrier = threading.Barrier(2)
    real = meeting._quorate_meeting

    def meet_then_decide(rr):
        try:
            barrier.wait(timeout=3)
        except threading.BrokenBarrierError:
            pass  # the other request waits for the lock this one holds: go on alone
        return real(rr)

    monkeypatch.setattr(meeting, "_quorate_meeting", meet_then_decide)
    results, errors = {}, []

    def submit(name):
        try:
            response = clients[name].post(url, posts[name])
            results[name] = (response.status_code, response.content.decode())
        except Exception as exc:  # noqa: BLE001 - "database is locked" reaching the client is the bug
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(name,)) for name in posts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    codes = sorted(code for code, _text in results.values())
    assert codes == [302, 400], results
    [(loser, (_code, text))] = [(n, r) for n, r in results.items() if r[0] == 400]
    assert "您的认定未保存" in text or "正由他人处理" in text
    winner = ({"secretary", "deputy"} - {loser}).pop()
    d.refresh_from_db()
    assert d.decided_by == users[winner]
    assert d.status == (DeclarationStatus.APPROVED if winner == "secretary" else DeclarationStatus.REJECTED)


def test_sqlite_write_lock_held_too_long_is_the_busy_message_not_a_500(county, shared_database, settings):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's database lock (PostgreSQL locks rows)")
    rr, d = _decided_round(county)
    url = reverse("reviews:branch_meeting", args=[rr.pk])
    client = Client()
    client.force_login(county.secretary)
    shown = _shown(client, url, d)
    connections.settings["default"]["OPTIONS"] = {**connections.settings["default"]["OPTIONS"], "timeout": 0.5}
    connections["default"].close()
    connections["default"] = connections.create_connection("default")
    holder = sqlite3.connect(connections["default"].settings_dict["NAME"], isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another request writing for longer than the timeout
    try:
        response = client.post(url, {"action": "decide", f"outcome_{d.pk}": DeclarationStatus.APPROVED, **shown})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert response.status_code == 400
    assert "正由他人处理" in response.content.decode()
    d.refresh_from_db()
    assert d.status == DeclarationStatus.SUBMITTED


@pytest.mark.django_db
def test_an_objection_answered_meanwhile_tells_the_second_answerer(county, client):
    from reviews.models import ObjectionOutcome
    from reviews.services import filing, objections

    d = declare(county, county.members[1], "2")
    rr = open_round(county)
    quorate_meeting(county, rr)
    meeting.bulk_approve(rr, county.clerk)
    meeting.submit_to_higher(rr, county.secretary)
    filing.file_round(rr, county.reviewer)
    objection = objections.lodge_objection(Declaration.objects.get(pk=d.pk), objector_name="赵大伟",
                                           objector_contact="138", reason="不实")
    url = reverse("reviews:answer_objection", args=[objection.pk])
    client.force_login(county.secretary)
    assert client.get(url).status_code == 200  # the secretary opens the form ...
    objections.answer_objection(objection, county.clerk, ObjectionOutcome.DISMISSED, "经核实申报属实")  # ... the clerk answers
    response = client.post(url, {"outcome": ObjectionOutcome.UPHELD, "corrected_points": "1", "reason": "部分属实"})
    assert response.status_code == 400
    assert "该异议已于" in response.content.decode()
    objection.refresh_from_db()
    assert (objection.outcome, objection.answered_by) == (ObjectionOutcome.DISMISSED, county.clerk)
