"""Trial 5: the process history of a round showed its start step without the person who opened it,
listed the gate "是否备案" as a step, left out the meeting and the decisions, and a correction said
only its reason. In both languages."""
import re

import pytest

from reviews.flows import ReviewRoundFlow
from reviews.models import MeetingKind
from reviews.services import filing, meeting, meeting_correction
from tests import world
from workflow import history

pytestmark = pytest.mark.django_db


def _rows(process):
    return [(r["title"], r["who"], r["note"]) for r in history.process_history(process)]


def test_the_history_names_the_opener_hides_gates_and_lists_the_meeting_acts(w, client):
    world.declare(w, w.members[1], "2")
    world.declare(w, w.members[2], "3")
    rr = world.open_round(w)
    held = world.quorate_meeting(w, rr, by=w.secretary)
    first = rr.declarations.get(member=w.members[1])
    meeting.decide_declaration(first, w.secretary, "adjusted", points="1", reason="只去一次")
    meeting.bulk_approve(rr, w.secretary)
    meeting_correction.correct_meeting(
        held, w.secretary, reason="地点记错", kind=MeetingKind.COMMITTEE, held_on=held.held_on,
        minute_taker=held.minute_taker, entitled_count=3, attendee_count=2, attendee_names=held.attendee_names,
        absentee_names=held.absentee_names, place="东街社区党员活动室")
    meeting.submit_to_higher(rr, w.secretary)
    filing.file_round(rr, w.reviewer, "同意备案")
    secretary = history.person(w.secretary)
    rows = _rows(rr.process)
    assert rows[0][:2] == ("书记发起审核批次", secretary)
    assert not any(title == "是否备案" for title, _, _ in rows)
    notes = {title: note for title, _, note in rows}
    assert notes["记录会议"] == "支委会，应到 3 人、实到 2 人"
    decided = [note for title, who, note in rows if title == "认定申报"]
    assert decided == [f"{w.members[1].name}：调整认定 +1", f"批量认定 1 项：{w.members[2].name}"]
    assert notes["更正记录"] == "地点记错；会议地点：东街社区党群服务中心 → 东街社区党员活动室"

    client.force_login(w.secretary)
    url = ReviewRoundFlow.instance.reverse("process_detail", args=[rr.process.pk])
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Filed?" not in english
    assert re.search(r"Branch committee meeting, 3 entitled, 2 present", english)
    assert "Meeting place: 东街社区党群服务中心 → 东街社区党员活动室" in english
    chinese = client.get(url).content.decode()
    start = chinese[chinese.index("书记发起审核批次"):][:400]
    assert secretary in start
