"""Issue 13, item 11: who is entitled to a meeting comes from the records, not from what is typed."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from members.models import Member
from organisations.models import Role, RoleKind
from reviews.errors import ReviewErrorCode as Code
from reviews.models import MeetingKind, local_today
from reviews.services import meeting
from tests import world

pytestmark = pytest.mark.django_db

VALUES = dict(held_on=None, minute_taker="赵丽娜", place="东街社区党群服务中心", absentee_names="孙丽（请假）")


def _record(w, rr, **changes):
    values = {**VALUES, "held_on": local_today(), **changes}
    return meeting.record_meeting(rr, w.clerk, **values)


def test_a_committee_meeting_of_one_out_of_one_in_a_branch_of_thirteen_is_refused(w):
    for i in range(8):
        Member.objects.create(organisation=w.west, name=f"西街党员{i}")
    w.west_clerk = world.make_user("west-clerk", (RoleKind.CLERK, w.west))
    w.clerk = w.west_clerk
    rr = world.open_round(w, organisation=w.west, by=w.west_secretary)
    with pytest.raises(ValidationError) as caught:  # one secretary on record: no committee
        _record(w, rr, kind=MeetingKind.COMMITTEE, entitled_count=1, attendee_count=1)
    assert caught.value.error_dict["kind"][0].code == Code.COMMITTEE_NOT_ON_RECORD
    assert not rr.meetings.exists()


def test_the_typed_entitled_number_may_not_be_below_the_record(w):
    rr = world.open_round(w)
    # 东街: three people hold a secretary role on the branch, so three are entitled to its committee.
    with pytest.raises(ValidationError) as caught:
        _record(w, rr, kind=MeetingKind.COMMITTEE, entitled_count=1, attendee_count=1)
    assert caught.value.error_dict["entitled_count"][0].code == Code.ENTITLED_BELOW_RECORD
    # A 党员大会 counts the full members on record (5 in 东街).
    with pytest.raises(ValidationError) as caught:
        _record(w, rr, kind=MeetingKind.BRANCH_MEETING, entitled_count=2, attendee_count=2)
    assert caught.value.error_dict["entitled_count"][0].code == Code.ENTITLED_BELOW_RECORD
    held = _record(w, rr, kind=MeetingKind.BRANCH_MEETING, attendee_count=3)
    assert (held.entitled_count, held.has_quorum) == (5, True)


def test_without_a_typed_number_the_committee_on_record_is_entitled(w):
    rr = world.open_round(w)
    Role.objects.create(user=world.make_user("east-committee"), organisation=w.east, kind=RoleKind.COMMITTEE_MEMBER)
    held = _record(w, rr, kind=MeetingKind.COMMITTEE, attendee_count=2)
    assert (held.entitled_count, held.has_quorum) == (4, False)


def test_the_meeting_screen_proposes_the_number_on_record(w, client):
    rr = world.open_round(w)
    client.force_login(w.secretary)
    page = client.get(reverse("reviews:branch_meeting", args=[rr.pk])).content.decode()
    assert 'name="entitled_count" value="3"' in page


def test_the_typed_entitled_number_may_not_be_above_the_record(w, client):
    """Trial 5: 应到 5 for the committee of 3 on record was accepted; whoever is entitled is on record."""
    rr = world.open_round(w)
    with pytest.raises(ValidationError) as caught:
        _record(w, rr, kind=MeetingKind.COMMITTEE, entitled_count=5, attendee_count=3)
    assert caught.value.error_dict["entitled_count"][0].code == Code.ENTITLED_ABOVE_RECORD
    assert "多于在册的 3 人" in caught.value.error_dict["entitled_count"][0].message % \
        caught.value.error_dict["entitled_count"][0].params
    with pytest.raises(ValidationError) as caught:  # 党员大会: 5 full members on record in 东街
        _record(w, rr, kind=MeetingKind.BRANCH_MEETING, entitled_count=6, attendee_count=4)
    assert caught.value.error_dict["entitled_count"][0].code == Code.ENTITLED_ABOVE_RECORD
    assert not rr.meetings.exists()
    # The meeting page says so beside the field, and its live check does not call it valid.
    client.force_login(w.secretary)
    response = client.post(reverse("reviews:branch_meeting", args=[rr.pk]), {
        "action": "record_meeting", "kind": "committee", "held_on": local_today().isoformat(), "entitled_count": "5",
        "attendees_committee": [f"u{w.secretary.pk}", f"u{w.deputy.pk}", f"u{w.self_reviewer.pk}"],
        "minute_taker": "唐丽娜", "place": "党群服务中心"})
    html = response.content.decode()
    assert response.status_code == 400 and "多于在册的 3 人" in html and not rr.meetings.exists()
    assert "应到人数多于在册人数" in html
