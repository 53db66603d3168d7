"""A new user's trial (trial 4): a meeting's absent list is the entitled people on record not ticked present.

Ticked present and listed absent is a contradiction, refused with its field and code; an entitled person
neither ticked nor listed is recorded absent (reason optional), for a 支部党员大会 and a 支委会 alike."""
import pytest
from django.urls import reverse

from reviews.errors import ReviewErrorCode as Code
from reviews.models import BranchMeeting, MeetingKind, local_today
from reviews.services import quorum
from tests import world

pytestmark = pytest.mark.django_db


def _post(client, rr, kind, present, absentees=""):
    return client.post(reverse("reviews:branch_meeting", args=[rr.pk]), {
        "action": "record_meeting", "kind": kind, "held_on": local_today().isoformat(), "entitled_count": "",
        f"attendees_{kind}": [p.key for p in present], "minute_taker": "唐丽娜", "place": "党群服务中心",
        "absentee_names": absentees})


def test_ticked_present_and_listed_absent_is_refused(w, client):
    rr = world.open_round(w)
    client.force_login(w.secretary)
    people = quorum.entitled_people(w.east, MeetingKind.BRANCH_MEETING)
    response = _post(client, rr, "branch_meeting", people[:4], f"{people[0].name}（病假）、{people[4].name}（请假）")
    assert response.status_code == 400
    form = response.context["meeting_form"]
    assert form.has_error("absentee_names", Code.ABSENTEE_ALSO_PRESENT)
    assert not rr.meetings.exists()


@pytest.mark.parametrize("kind", [MeetingKind.BRANCH_MEETING, MeetingKind.COMMITTEE])
def test_entitled_people_not_ticked_are_recorded_absent_with_reasons_optional(w, client, kind):
    rr = world.open_round(w)
    client.force_login(w.secretary)
    people = quorum.entitled_people(w.east, kind)
    present, absent = people[:-2], people[-2:]
    response = _post(client, rr, kind, present, f"{absent[0].name}（外出务工，请假）")
    assert response.status_code == 302, response.content.decode()[:3000]
    held = BranchMeeting.objects.get(review_round=rr)
    assert held.entitled_count == len(people) == quorum.entitled_on_record(w.east, kind)
    assert held.attendee_count == len(present)
    assert held.absentee_names == f"{absent[0].name}（外出务工，请假）、{absent[1].name}"
    assert held.attendee_names == "、".join(p.name for p in present)


def test_free_text_is_a_reason_not_a_name_and_a_correction_starts_from_what_was_typed(w, client):
    """Trial 5: "请假" typed beside the roll was listed as if it were someone absent, and the correction
    form offered the derived names, so ticking one of them present was refused."""
    world.declare(w)
    rr = world.open_round(w)
    client.force_login(w.secretary)
    people = quorum.entitled_people(w.east, MeetingKind.BRANCH_MEETING)
    present, absent = people[:-2], people[-2:]
    assert _post(client, rr, "branch_meeting", present, "请假").status_code == 302
    held = BranchMeeting.objects.get(review_round=rr)
    assert held.absentee_names == f"{absent[0].name}（请假）、{absent[1].name}（请假）"
    assert held.absentee_reasons == "请假"
    url = reverse("reviews:branch_meeting", args=[rr.pk])
    form = client.get(url).context["correction_form"]
    assert form.initial["absentee_names"] == "请假"  # what was typed, not the derived names
    response = client.post(url, {
        "action": "correct_meeting", "fix-kind": "branch_meeting", "fix-held_on": local_today().isoformat(),
        "fix-entitled_count": str(len(people)), "fix-attendees_branch_meeting": [p.key for p in people[:-1]],
        "fix-minute_taker": "唐丽娜", "fix-place": "党群服务中心", "fix-absentee_names": form.initial["absentee_names"],
        "fix-reason": f"{absent[0].name}实际到会"})
    assert response.status_code == 302, response.content.decode()[:2000]
    held.refresh_from_db()
    assert held.absentee_names == f"{absent[1].name}（请假）"
