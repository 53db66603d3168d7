"""The review chain's screens (rounds, branch meeting, filing, objection answer) through the test client."""
from decimal import Decimal

import pytest
from django.urls import reverse

from reviews.models import DeclarationStatus, ReviewRound, RoundStatus
from reviews.services import meeting, objections
from tests import world

pytestmark = pytest.mark.django_db


def test_meeting_screen_refuses_other_branches(w, client):
    rr = world.open_round(w)
    client.force_login(w.west_secretary)
    assert client.get(reverse("reviews:branch_meeting", args=[rr.pk])).status_code == 403
    client.force_login(w.reviewer)
    assert client.get(reverse("reviews:branch_meeting", args=[rr.pk])).status_code == 403


def test_meeting_without_quorum_keeps_typed_values(w, client):
    for m in w.members[1:3]:
        world.declare(w, m)
    rr = world.open_round(w)
    client.force_login(w.secretary)
    url = reverse("reviews:branch_meeting", args=[rr.pk])
    response = client.post(url, {"action": "record_meeting", "kind": "branch_meeting", "held_on": "", "entitled_count": "3",
                                 "attendees_branch_meeting": [f"m{m.pk}" for m in w.members[:4]],
                                 "minute_taker": "唐丽娜"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "实到 4 人超过了应到人数 3 人" in html
    assert 'value="唐丽娜"' in html
    assert "field-error" in html
    assert not rr.meetings.exists()
    # decisions are refused before a quorate meeting, with the reason
    d = rr.declarations.first()
    response = client.post(url, {"action": "decide", f"outcome_{d.pk}": "approved"})
    assert "尚未记录支部会议" in response.content.decode()


def test_bulk_approve_and_submit(w, client):
    for m in w.members[1:4]:
        world.declare(w, m)
    rr = world.open_round(w)
    world.quorate_meeting(w, rr, by=w.secretary)
    client.force_login(w.secretary)
    url = reverse("reviews:branch_meeting", args=[rr.pk])
    ids = list(rr.declarations.values_list("pk", flat=True))
    response = client.post(url, {"action": "submit"})
    assert "未认定" in response.content.decode()
    response = client.post(url, {"action": "bulk_approve", "selected": ids[:2]})
    assert response.status_code == 302
    last = ids[2]
    response = client.post(url, {"action": "decide", f"outcome_{last}": "rejected", f"reason_{last}": ""})
    assert "须说明理由" in response.content.decode()
    response = client.post(url, {"action": "decide", f"outcome_{last}": "rejected", f"reason_{last}": "无佐证"})
    assert response.status_code == 302
    assert rr.declarations.filter(status=DeclarationStatus.APPROVED).count() == 2
    response = client.post(url, {"action": "submit"})
    assert response.status_code == 302
    rr.refresh_from_db()
    assert rr.status == RoundStatus.HIGHER_REVIEW


def test_filing_return_needs_comments_and_only_reviewers(w, client):
    world.declare(w)
    rr = world.open_round(w)
    world.quorate_meeting(w, rr, by=w.secretary)
    meeting.bulk_approve(rr, w.secretary)
    meeting.submit_to_higher(rr, w.secretary)
    url = reverse("reviews:filing", args=[rr.pk])
    client.force_login(w.secretary)
    assert client.get(url).status_code == 403
    client.force_login(w.reviewer)
    response = client.post(url, {"decision": "return", "comments": ""})
    assert response.status_code == 400 and "退回修改须写明审查意见" in response.content.decode()
    response = client.post(url, {"decision": "return", "comments": "请核实"})
    assert response.status_code == 302
    rr.refresh_from_db()
    assert rr.status == RoundStatus.RETURNED


def test_answer_objection_upheld_needs_points(w, client):
    rr = world.round_in_publicity(w)
    d = rr.declarations.order_by("pk").first()
    objection = objections.lodge_objection(d, objector_name="王五", objector_contact="139", reason="与事实不符")
    url = reverse("reviews:answer_objection", args=[objection.pk])
    client.force_login(w.west_secretary)
    assert client.get(url).status_code == 403
    client.force_login(w.secretary)
    response = client.post(url, {"outcome": "upheld", "reason": "经核实"})
    assert "异议成立须填写更正后的分值" in response.content.decode()
    response = client.post(url, {"outcome": "upheld", "reason": "经核实只巡查一次", "corrected_points": "1"})
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.outcome == "upheld" and objection.corrected_points == Decimal("1")


def test_secretary_opens_a_round_from_the_rounds_page(w, client):
    world.declare(w)
    client.force_login(w.secretary)
    page = client.get(reverse("reviews:rounds")).content.decode()
    assert "发起审核批次" in page and "西街社区党支部" not in page.split("</form>")[0]
    start = world.previous_quarter()[0]
    response = client.post(reverse("reviews:rounds"), {"organisation": w.east.pk, "period_start": start.isoformat()})
    assert response.status_code == 302
    rr = ReviewRound.objects.get(organisation=w.east)
    assert rr.period_start == start and rr.declarations.count() == 1
    response = client.post(reverse("reviews:rounds"), {"organisation": w.east.pk, "period_start": start.isoformat()})
    assert response.status_code == 200 and "重叠" in response.content.decode()
    client.force_login(w.west_secretary)
    response = client.post(reverse("reviews:rounds"), {"organisation": w.east.pk})
    assert response.status_code == 200 and ReviewRound.objects.count() == 1
