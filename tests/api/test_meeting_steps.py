"""The branch meeting screen's two later steps through the API: 纳入本批次 (``POST /rounds/{id}/collect``)
and 更正会议记录 (``POST /rounds/{id}/meeting/correction``), through the same services, so the records,
the process history and the audit trail change as they do from the screen."""
import datetime

import pytest

from api.models import IdempotentResponse
from reviews.models import AuditEntry, MeetingKind, ReviewRoundProcess, local_today
from reviews.services import meeting, withdrawal
from tests import world
from workflow import history
from workflow.models import EventKind, TaskEvent

pytestmark = pytest.mark.django_db


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()
    return response.json()


def refused(response, status, code, field=None):
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["code"], body["field"]) == (code, field), body
    return body


def test_a_late_declaration_is_collected_into_the_round_once_it_is_back_at_its_meeting(client, county, token):
    rr = world.round_at_higher_review(county)
    late = world.declare(county, county.members[3], "4")
    assert late.review_round is None  # reported upward: the round did not take it by itself
    url = f"/api/v1/rounds/{rr.pk}/collect"

    refused(client.post(url, headers=token(county.clerk)), 422, "round_already_submitted")
    withdrawal.withdraw_report(rr, county.secretary, "漏报一项申报")
    refused(client.post(url, headers=token(county.reviewer)), 403, "permission_denied")  # sees it, not branch staff
    refused(client.post(url, headers=token(county.west_secretary)), 404, "not_found")
    late.refresh_from_db()
    assert late.review_round is None

    collected = ok(client.post(url, headers=token(county.clerk)))
    assert [(d["id"], d["review_round_id"], d["status"]) for d in collected] == [(late.pk, rr.pk, "submitted")]
    late.refresh_from_db()
    assert late.review_round == rr
    entry = AuditEntry.objects.get(action="declaration_collected", declaration=late)
    assert entry.actor == county.clerk and entry.after == {"review_round": rr.pk}
    assert ok(client.post(url, headers=token(county.clerk))) == []  # nothing left to collect


def _record(held, **changes):
    body = {"kind": held.kind, "held_on": held.held_on.isoformat(), "entitled_count": held.entitled_count,
            "attendee_count": held.attendee_count, "attendee_names": held.attendee_names,
            "absentee_names": held.absentee_names, "minute_taker": held.minute_taker, "place": held.place,
            "reason": "会议地点记错"}
    body.update(changes)
    return body


def test_the_meeting_is_corrected_in_place_with_its_reason_in_the_history_and_the_audit_trail(client, county, token):
    world.declare(county)
    rr = world.open_round(county)
    held = world.quorate_meeting(county, rr, by=county.secretary, place="西街社区",
                                 held_on=local_today() - datetime.timedelta(days=1))
    meeting.bulk_approve(rr, county.secretary)
    url = f"/api/v1/rounds/{rr.pk}/meeting/correction"
    post = client.post

    refused(post(url, _record(held, reason=" "), content_type="application/json", headers=token(county.secretary)),
            422, "meeting_correction_reason_missing", "reason")
    refused(post(url, _record(held, place=""), content_type="application/json", headers=token(county.secretary)),
            422, "meeting_place_missing", "place")  # checked as a record is
    refused(post(url, _record(held), content_type="application/json", headers=token(county.reviewer)),
            403, "permission_denied")
    refused(post(url, _record(held), content_type="application/json", headers=token(county.west_secretary)),
            404, "not_found")
    assert not AuditEntry.objects.filter(action="meeting_corrected").exists()

    secretary = {**token(county.secretary), "Idempotency-Key": "fix-1"}
    fix = _record(held, place="东街社区党群服务中心", held_on=local_today().isoformat(), attendee_count=3,
                  attendee_names="李建国、赵丽娜、孙丽", absentee_names="", reason="地点、日期记错，孙丽实际到会")
    fixed = ok(post(url, fix, content_type="application/json", headers=secretary))
    assert fixed == {"id": held.pk, "review_pass": 1, "held_on": local_today().isoformat(), "has_quorum": True}
    again = post(url, fix, content_type="application/json", headers=secretary)
    assert again.json() == fixed and again["Idempotent-Replayed"] == "true"
    assert IdempotentResponse.objects.filter(key="fix-1").count() == 1
    held.refresh_from_db()
    assert (held.place, held.held_on, held.attendee_count, held.absentee_names) == (
        "东街社区党群服务中心", local_today(), 3, "")
    assert rr.meetings.count() == 1 and rr.declarations.get().decided_at_meeting_id == held.pk
    entry = AuditEntry.objects.get(action="meeting_corrected")  # once: the retry ran nothing
    assert (entry.before["place"], entry.after["place"]) == ("西街社区", "东街社区党群服务中心")
    assert entry.after["reason"] == "地点、日期记错，孙丽实际到会" and entry.actor == county.secretary
    event = TaskEvent.objects.get(kind=EventKind.CORRECTED)
    assert event.actor == county.secretary and event.process_id == ReviewRoundProcess.objects.get(review_round=rr).pk
    assert history.event_note(event).startswith("地点、日期记错，孙丽实际到会；")
    assert "会议地点：西街社区 → 东街社区党群服务中心" in history.event_note(event)

    meeting.submit_to_higher(rr, county.secretary)
    refused(post(url, _record(held, place="别处"), content_type="application/json", headers=token(county.secretary)),
            422, "meeting_correction_reported")  # withdraw the report first
    held.refresh_from_db()
    assert held.place == "东街社区党群服务中心"


def test_a_round_without_a_meeting_this_pass_has_nothing_to_correct(client, county, token):
    world.declare(county)
    rr = world.open_round(county)
    url = f"/api/v1/rounds/{rr.pk}/meeting/correction"
    body = {"kind": "committee", "held_on": local_today().isoformat(), "minute_taker": "赵丽娜",
            "place": "东街社区党群服务中心", "reason": "漏记"}
    refused(client.post(url, body, content_type="application/json", headers=token(county.reviewer)),
            403, "permission_denied")  # refused before it is told whether there is a meeting
    refused(client.post(url, body, content_type="application/json", headers=token(county.secretary)),
            422, "meeting_not_recorded")
    assert not rr.meetings.exists() and not AuditEntry.objects.filter(action="meeting_corrected").exists()


def test_a_correction_keeps_the_members_ticked_present_while_it_names_the_same_people(client, county, token):
    world.declare(county)
    rr = world.open_round(county)
    present = [m for m in county.members if not m.is_probationary]
    held = meeting.record_meeting(rr, county.clerk, kind=MeetingKind.BRANCH_MEETING, held_on=local_today(),
                                  present_keys=[f"m{m.pk}" for m in present], minute_taker="赵丽娜", place="西街社区")
    assert set(held.attendees.all()) == set(present) and held.attendee_count == len(present)
    url = f"/api/v1/rounds/{rr.pk}/meeting/correction"
    headers = token(county.secretary)

    ok(client.post(url, _record(held, place="东街社区党群服务中心"), content_type="application/json", headers=headers))
    held.refresh_from_db()
    assert held.place == "东街社区党群服务中心" and set(held.attendees.all()) == set(present)

    fewer = present[:-1]
    ok(client.post(url, _record(held, attendee_count=len(fewer), attendee_names="、".join(m.name for m in fewer),
                                absentee_names=f"{present[-1].name}（请假）", reason="有一人实际缺席"),
                   content_type="application/json", headers=headers))
    held.refresh_from_db()
    assert held.attendee_count == len(fewer) and not held.attendees.exists()  # other names: as typed
    assert held.attendee_names == "、".join(m.name for m in fewer)
