"""Issue 14 (new-user trial): who may attend a meeting comes from the records, and whether its
decisions are valid is one rule (``reviews.models.attendance``) shown the same way everywhere:
never a success mark beside an attendance error."""
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from members.models import Member, MemberKind
from reviews.errors import ReviewErrorCode as Code
from reviews.models import Attendance, BranchMeeting, MeetingKind, attendance, local_today
from reviews.services import meeting
from tests import world

pytestmark = pytest.mark.django_db


def _live(html):
    return re.search(r'<p id="quorum-live"[^>]*>(.*?)</p>', html, re.S).group(1)


def test_the_committee_list_is_the_committee_on_record_and_the_members_meeting_lists_full_members(w, client):
    Member.objects.create(organisation=w.east, name="预备甲", kind=MemberKind.PROBATIONARY)
    rr = world.open_round(w)
    client.force_login(w.secretary)
    form = client.get(reverse("reviews:branch_meeting", args=[rr.pk])).context["meeting_form"]
    committee = dict(form.fields["attendees_committee"].choices)
    assert set(committee) == {f"u{u.pk}" for u in (w.secretary, w.deputy, w.self_reviewer)}
    assert not {m.name for m in w.members} & set(committee.values())
    branch = dict(form.fields["attendees_branch_meeting"].choices)
    assert set(branch) == {f"m{m.pk}" for m in w.members}  # the probationary member is not entitled
    assert "预备甲" not in branch.values()


def test_a_member_not_on_the_committee_is_refused_as_a_committee_attendee(w):
    rr = world.open_round(w)
    with pytest.raises(ValidationError) as caught:
        meeting.record_meeting(rr, w.clerk, kind=MeetingKind.COMMITTEE, held_on=local_today(), attendees=w.members[:2],
                               minute_taker="赵丽娜", place="党群服务中心", absentee_names="李某（请假）")
    assert caught.value.error_dict["attendees"][0].code == Code.ATTENDEE_NOT_ENTITLED
    assert not rr.meetings.exists()


def test_more_present_than_entitled_is_never_shown_as_valid(w, client):
    rr = world.open_round(w)
    client.force_login(w.secretary)
    url = reverse("reviews:branch_meeting", args=[rr.pk])
    response = client.post(url, {
        "action": "record_meeting", "kind": "committee", "held_on": local_today().isoformat(), "entitled_count": "3",
        "attendees_committee": [f"u{w.secretary.pk}", f"u{w.deputy.pk}"], "extra_attendee_count": "2",
        "minute_taker": "唐丽娜", "place": "党群服务中心"})
    html = response.content.decode()
    assert response.status_code == 400 and "实到 4 人超过了应到人数 3 人" in html
    live = _live(html)
    assert "✗" in live and "✓" not in live and str(Attendance.VALID.label) not in live


def test_a_recorded_meeting_with_impossible_counts_is_not_valid_anywhere(w, client):
    world.declare(w)
    rr = world.open_round(w)
    held = BranchMeeting.objects.create(review_round=rr, kind=MeetingKind.COMMITTEE, held_on=local_today(),
                                        entitled_count=3, attendee_count=5, minute_taker="唐丽娜")
    assert attendance(3, 5) == Attendance.EXCEEDS and not held.has_quorum
    client.force_login(w.secretary)
    html = client.get(reverse("reviews:branch_meeting", args=[rr.pk])).content.decode()
    recorded = re.search(r'<p class="quorum (\w+)" id="quorum-recorded">(.*?)</p>', html, re.S)
    assert recorded.group(1) == "bad" and "✓" not in recorded.group(2)
    assert str(Attendance.EXCEEDS.label) in recorded.group(2)
    d = rr.declarations.get()
    with pytest.raises(ValidationError) as caught:
        meeting.decide_declaration(d, w.secretary, "approved")
    assert caught.value.error_dict["__all__"][0].code == Code.MEETING_WITHOUT_QUORUM


def test_a_branch_without_a_committee_on_record_is_offered_the_members_meeting_first(w, client):
    rr = world.open_round(w, organisation=w.west, by=w.west_secretary)  # one secretary: no committee
    client.force_login(w.west_secretary)
    url = reverse("reviews:branch_meeting", args=[rr.pk])
    response = client.get(url)
    form = response.context["meeting_form"]
    assert form.initial["kind"] == MeetingKind.BRANCH_MEETING and form.committee_short
    assert 'data-short="1"' in response.content.decode()
    html = client.post(url, {"action": "record_meeting", "kind": "committee", "held_on": local_today().isoformat(),
                             "attendees_committee": [f"u{w.west_secretary.pk}"], "minute_taker": "孙某",
                             "place": "西街党群服务中心"}).content.decode()
    live = _live(html)
    assert "✗" in live and "✓" not in live
