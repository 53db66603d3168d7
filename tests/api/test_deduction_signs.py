"""The API reads a deduction (recorded as 2 under ``deduction``) as it counts: -2, like the notices."""
import datetime
from decimal import Decimal

from ledger import services as ledger
from tests.world import declare, previous_quarter


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()
    return response.json()


def test_balance_of_a_member_with_only_a_deduction_is_negative(client, county, token):
    member = county.members[1]
    start, _end = previous_quarter()
    cycle = datetime.date(start.year, 1, 1)
    ledger.post_entry(organisation=county.east, member=member, component="deduction", points=Decimal("2"),
                      occurred_on=start, cycle_start=cycle, source="test", source_ref="deduction-1")
    clerk = token(county.clerk)

    got = ok(client.get(f"/api/v1/ledger/balances/{member.pk}", {"cycle_start": cycle.isoformat()}, headers=clerk))
    assert Decimal(got["balance"]) == Decimal("-2.00") and got["balance"] == "-2.00"
    assert Decimal(got["components"]["deduction"]) == Decimal("-2.00")
    everything = ok(client.get(f"/api/v1/ledger/balances/{member.pk}", headers=clerk))
    assert Decimal(everything["balance"]) == Decimal("-2.00")


def test_a_deduction_declaration_reads_negative(client, county, token):
    declared = declare(county, points="2", component="deduction", rule_item="K-02", rule_item_label="无故缺席组织生活")
    got = ok(client.get(f"/api/v1/declarations/{declared.pk}", headers=token(county.clerk)))
    assert Decimal(got["points"]) == Decimal("2")  # the recorded magnitude, as stored
    assert Decimal(got["signed_points"]) == Decimal("-2") and got["signed_decided_points"] is None
