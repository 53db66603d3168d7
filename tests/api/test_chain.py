"""One score driven through the whole chain with API calls alone: declare → meeting → submit → file →
publicity (an anonymous objection, answered) → the window closes (timers, as the chain tests
make time pass) → the ledger and the balance read back through the API."""
import datetime
from decimal import Decimal

import pytest

from reviews.models import Publicity
from tests.world import at, photo, previous_quarter
from workflow.tasks import fire_timers


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()
    return response.json()


@pytest.mark.django_db(transaction=True)
def test_one_score_walks_the_whole_chain_through_the_api(client, county, token):
    clerk, secretary, reviewer = token(county.clerk), token(county.secretary), token(county.reviewer)
    member = county.members[1]
    start, end = previous_quarter()

    declared = ok(client.post("/api/v1/declarations", {
        "member_id": member.pk, "reporter_kind": "clerk", "component": "bonus", "rule_item": "B-03",
        "rule_item_label": "志愿服务", "occurred_on": (start + datetime.timedelta(days=20)).isoformat(),
        "description": "参加社区防火巡查", "points": "3", "place": "东街社区", "evidence": [photo()],
    }, headers=clerk), 201)
    assert declared["status"] == "submitted" and len(declared["evidence"]) == 1

    rr = ok(client.post("/api/v1/rounds", {"organisation_id": county.east.pk, "period_start": start.isoformat(),
                                           "period_end": end.isoformat()},
                        content_type="application/json", headers=secretary), 201)
    assert rr["status"] == "branch_meeting"
    assert ok(client.get(f"/api/v1/declarations/{declared['id']}", headers=clerk))["review_round_id"] == rr["id"]

    meeting = ok(client.post(f"/api/v1/rounds/{rr['id']}/meeting", {
        "kind": "committee", "held_on": datetime.date.today().isoformat(), "entitled_count": 3,
        "attendee_count": 2, "attendee_names": "李建国、赵丽娜", "minute_taker": "赵丽娜",
        "place": "东街社区党群服务中心", "absentee_names": "孙丽（请假）",
    }, content_type="application/json", headers=secretary), 201)
    assert meeting["has_quorum"]

    approved = ok(client.post(f"/api/v1/rounds/{rr['id']}/bulk-approve", {}, content_type="application/json",
                              headers=secretary))
    assert [d["status"] for d in approved] == ["approved"]
    assert ok(client.post(f"/api/v1/rounds/{rr['id']}/submit", headers=secretary))["status"] == "higher_review"
    filed = ok(client.post(f"/api/v1/rounds/{rr['id']}/filing", {"outcome": "filed", "comments": "同意备案"},
                           content_type="application/json", headers=reviewer))
    assert filed["status"] == "publicity" and len(filed["publicities"]) == 1

    board = ok(client.get("/api/v1/results", {"organisation_code": county.east.code}))
    rows = [row for b in board for row in b["items"]]
    assert [(r["name"], Decimal(r["points"])) for r in rows] == [(member.name, Decimal("3"))]

    objection = ok(client.post(f"/api/v1/declarations/{declared['id']}/objections", {
        "objector_name": "赵大伟", "objector_contact": "13800000000", "reason": "该同志当月只参加了一次巡查。"},
        content_type="application/json"), 201)
    answered = ok(client.post(f"/api/v1/objections/{objection['id']}/answer", {
        "outcome": "dismissed", "reason": "经核实签到记录，三次巡查均有登记。"},
        content_type="application/json", headers=clerk))
    assert answered["outcome"] == "dismissed"

    assert ok(client.get("/api/v1/ledger/entries", {"member_id": member.pk}, headers=clerk))["count"] == 0
    publicity = Publicity.objects.get(pk=filed["publicities"][0]["id"])
    with at(publicity.closes_at + datetime.timedelta(minutes=1)):
        fire_timers()

    assert ok(client.get(f"/api/v1/rounds/{rr['id']}", headers=reviewer))["status"] == "final"
    entries = ok(client.get("/api/v1/ledger/entries", {"member_id": member.pk}, headers=clerk))["items"]
    assert [(e["kind"], Decimal(e["points"])) for e in entries] == [("posted", Decimal("3"))]
    cycle = entries[0]["cycle_start"]
    got = ok(client.get(f"/api/v1/ledger/balances/{member.pk}", {"cycle_start": cycle}, headers=clerk))
    assert Decimal(got["balance"]) == Decimal("3") and Decimal(got["components"]["bonus"]) == Decimal("3")
    kinds = {d["kind"] for d in ok(client.get("/api/v1/documents", {"limit": 100}, headers=secretary))["items"]}
    assert {"meeting_record", "filing_report", "publicity_notice"} <= kinds
