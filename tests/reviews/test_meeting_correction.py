"""Trial 5: a branch meeting recorded wrongly (attendees, date, place) is corrected before the round
is filed, in the process history and the audit trail; afterwards the record stands."""
import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from documents.models import GeneratedDocument
from reviews.errors import NON_FIELD_ERRORS
from reviews.errors import ReviewErrorCode as Code
from reviews.models import AuditEntry, DeclarationStatus, MeetingKind, ReviewRoundProcess, local_today
from reviews.services import filing, meeting, withdrawal
from reviews.services.meeting_correction import correct_meeting
from tests import world
from workflow import history
from workflow.models import EventKind, TaskEvent

pytestmark = pytest.mark.django_db


def _fix(held, by, **changes):
    values = dict(kind=held.kind, held_on=held.held_on, minute_taker=held.minute_taker, place=held.place,
                  entitled_count=held.entitled_count, attendee_count=held.attendee_count,
                  attendee_names=held.attendee_names, absentee_names=held.absentee_names, reason="会议地点记错")
    values.update(changes)
    return correct_meeting(held, by, **values)


def _code(caught, field=NON_FIELD_ERRORS):
    return caught.value.error_dict[field][0].code


def test_a_wrongly_recorded_meeting_is_corrected_in_place_with_its_reason(w):
    world.declare(w)
    rr = world.open_round(w)
    held = world.quorate_meeting(w, rr, by=w.secretary, place="西街社区", held_on=local_today() - datetime.timedelta(days=1))
    meeting.bulk_approve(rr, w.secretary)
    fixed = _fix(held, w.secretary, place="东街社区党群服务中心", held_on=local_today(), attendee_count=3,
                 attendee_names="李建国、赵丽娜、孙丽", absentee_names="", reason="地点、日期记错，孙丽实际到会")
    assert fixed.pk == held.pk and rr.meetings.count() == 1
    assert (fixed.place, fixed.held_on, fixed.attendee_count, fixed.absentee_names) == (
        "东街社区党群服务中心", local_today(), 3, "")
    assert rr.declarations.get().decided_at_meeting_id == held.pk  # the decisions stay with the meeting
    entry = AuditEntry.objects.get(action="meeting_corrected")
    assert entry.before["place"] == "西街社区" and entry.after["place"] == "东街社区党群服务中心"
    assert entry.after["reason"] == "地点、日期记错，孙丽实际到会" and entry.actor == w.secretary
    process = ReviewRoundProcess.objects.get(review_round=rr)
    event = TaskEvent.objects.get(kind=EventKind.CORRECTED)
    # the reason, then what changed (trial 5: the line said only the reason)
    assert event.actor == w.secretary and history.event_note(event).startswith("地点、日期记错，孙丽实际到会；")
    assert "会议地点：西街社区 → 东街社区党群服务中心" in history.event_note(event)
    assert [r["title"] for r in history.process_history(process) if r["kind"] == EventKind.CORRECTED] == ["更正记录"]
    # The minutes print the corrected record.
    meeting.submit_to_higher(rr, w.secretary)
    minutes = GeneratedDocument.objects.get(kind="meeting_record")
    assert minutes.context["location"] == "东街社区党群服务中心" and minutes.context["absentees"] == "无"


def test_a_correction_is_checked_like_a_record_and_needs_a_reason(w):
    world.declare(w)
    rr = world.open_round(w)
    held = world.quorate_meeting(w, rr, by=w.secretary)
    with pytest.raises(ValidationError) as caught:
        _fix(held, w.secretary, reason=" ")
    assert _code(caught, "reason") == Code.MEETING_CORRECTION_REASON_MISSING
    with pytest.raises(ValidationError) as caught:
        _fix(held, w.secretary, place="")
    assert _code(caught, "place") == Code.MEETING_PLACE_MISSING
    with pytest.raises(ValidationError) as caught:
        _fix(held, w.secretary, entitled_count=5)
    assert _code(caught, "entitled_count") == Code.ENTITLED_ABOVE_RECORD
    meeting.bulk_approve(rr, w.secretary)
    with pytest.raises(ValidationError) as caught:  # decisions were taken: the correction may not void them
        _fix(held, w.secretary, attendee_count=1, attendee_names="李建国",
             absentee_names="赵丽娜（病假）、孙丽（外出培训，请假）")
    assert _code(caught, "attendee_count") == Code.MEETING_CORRECTION_LOSES_QUORUM
    held.refresh_from_db()
    assert held.place == "东街社区党群服务中心" and not AuditEntry.objects.filter(action="meeting_corrected").exists()


def test_after_the_report_the_report_is_withdrawn_first_and_after_filing_the_record_stands(w):
    rr = world.round_at_higher_review(w)
    held = rr.latest_meeting()
    with pytest.raises(ValidationError) as caught:
        _fix(held, w.secretary)
    assert _code(caught) == Code.MEETING_CORRECTION_REPORTED
    withdrawal.withdraw_report(rr, w.secretary, "会议记录有误")
    _fix(held, w.secretary, place="东街社区党员活动室")
    meeting.submit_to_higher(rr, w.secretary)
    filing.file_round(rr, w.reviewer)
    with pytest.raises(ValidationError) as caught:
        _fix(held, w.secretary, place="别处")
    assert _code(caught) == Code.MEETING_CORRECTION_CLOSED
    held.refresh_from_db()
    assert held.place == "东街社区党员活动室"


def test_the_meeting_screen_offers_the_recorded_values_to_correct(w, client):
    world.declare(w)
    rr = world.open_round(w)
    client.force_login(w.secretary)
    url = reverse("reviews:branch_meeting", args=[rr.pk])
    assert 'id="correction-form"' not in client.get(url).content.decode()  # nothing recorded yet
    present = [w.secretary, w.deputy]
    assert client.post(url, {
        "action": "record_meeting", "kind": "committee", "held_on": local_today().isoformat(), "entitled_count": "3",
        "attendees_committee": [f"u{u.pk}" for u in present], "minute_taker": "唐丽娜", "place": "西街社区",
    }).status_code == 302
    held = rr.meetings.get()
    html = client.get(url).content.decode()
    assert 'id="correction-form"' in html and 'name="fix-place"' in html and 'value="西街社区"' in html
    ticked = set(re.findall(r'name="fix-attendees_committee" value="(u\d+)" id="[^"]+" checked', html))
    assert ticked == {f"u{u.pk}" for u in present}  # who was recorded present, ticked
    response = client.post(url, {
        "action": "correct_meeting", "fix-kind": "committee", "fix-held_on": local_today().isoformat(),
        "fix-entitled_count": "3", "fix-attendees_committee": [f"u{u.pk}" for u in (*present, w.self_reviewer)],
        "fix-minute_taker": "唐丽娜", "fix-place": "东街社区党群服务中心", "fix-reason": ""})
    assert response.status_code == 400 and "这个字段是必填项" in response.content.decode()
    response = client.post(url, {
        "action": "correct_meeting", "fix-kind": "committee", "fix-held_on": local_today().isoformat(),
        "fix-entitled_count": "3", "fix-attendees_committee": [f"u{u.pk}" for u in (*present, w.self_reviewer)],
        "fix-minute_taker": "唐丽娜", "fix-place": "东街社区党群服务中心", "fix-reason": "漏记一名到会支委"})
    assert response.status_code == 302
    held.refresh_from_db()
    assert (held.place, held.attendee_count, held.absentee_names, held.kind) == (
        "东街社区党群服务中心", 3, "", MeetingKind.COMMITTEE)
    assert rr.meetings.count() == 1
    d = rr.declarations.get()
    meeting.decide_declaration(d, w.secretary, DeclarationStatus.APPROVED)


def test_a_long_names_list_is_told_as_the_names_added_and_taken_out():
    """Trial 6: the history cut both long lists at the same place ("…"), so the change itself was lost."""
    from django.utils import translation

    from reviews.services.meeting_correction import change_clauses

    present = "姜杰、宋国栋、薛永福、贺佳怡、金金凤、许庆丰、毛玉兰、汤超"
    before = {"attendee_names": present, "absentee_names": "韩立新（外出务工，请假）、魏宝山（生病住院，请假）、黄文静"}
    after = {"attendee_names": present + "、韩立新", "absentee_names": "魏宝山（生病住院，请假）、黄文静"}
    with translation.override("zh-hans"):
        lines = [msgid % params for msgid, params in change_clauses(before, after)]
    assert lines == ["实到人员名单增加：韩立新", "缺席人员及原因删去：韩立新（外出务工，请假）"], lines
    short = change_clauses({"absentee_names": "魏宝山、黄文静"}, {"absentee_names": "黄文静"})
    assert [(p["before"], p["after"]) for _m, p in short] == [("魏宝山、黄文静", "黄文静")]  # fits: shown whole
    reordered = {"attendee_names": "、".join(reversed(present.split("、"))), "absentee_names": ""}
    assert [p["before"] for _m, p in change_clauses({**before, "absentee_names": ""}, reordered)]  # order only
