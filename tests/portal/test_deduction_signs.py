"""A deduction recorded as a positive magnitude (2 points under ``deduction``) shows as -2 wherever
people read it: the round page, the meeting page, the public board, 我的积分 and the ledger export
total, as the printed notices do (the scheme decides the sign: ``reviews.services.points.signed_points``)."""
import datetime
import re
from decimal import Decimal
from io import BytesIO

import openpyxl
from django.core.cache import cache

from ledger import services as ledger
from ledger import signs as ledger_signs
from reviews.services import filing
from reviews.services import meeting as meeting_service
from tests.world import declare, open_round, previous_quarter, quorate_meeting

ABSENT = "无故缺席组织生活"


def _deduction(county, member=None):
    return declare(county, member=member or county.members[1], points="2", component="deduction",
                   rule_item="K-02", rule_item_label=ABSENT)


def _shown(html):
    """The page without its nonce attributes: a CSP nonce is random base64 and may contain "+2"."""
    return re.sub(r'\snonce="[^"]*"', "", html)


def _cells(html):
    """The text of every ``class="num"`` cell."""
    return [c.strip() for c in re.findall(r'<td[^>]*class="num">([^<]*)</td>', html)]


def test_meeting_and_round_pages_show_a_deduction_negative(county, login):
    _deduction(county)
    declare(county, member=county.members[2], points="3")
    review_round = open_round(county)
    quorate_meeting(county, review_round, by=county.secretary)
    client = login(county.secretary)

    page = client.get(f"/rounds/{review_round.pk}/meeting/").content.decode()
    assert sorted(_cells(page)) == ["+3", "-2"]

    meeting_service.bulk_approve(review_round, county.secretary)
    page = client.get(f"/rounds/{review_round.pk}/").content.decode()
    assert sorted(_cells(page)) == ["+3", "-2"]
    assert '认定结果">认定 -2<' in page and '认定结果">认定 +3<' in page
    assert "+2" not in _shown(page)


def test_public_board_shows_a_deduction_negative(county, client):
    cache.clear()
    _deduction(county)
    review_round = open_round(county)
    quorate_meeting(county, review_round, by=county.secretary)
    meeting_service.bulk_approve(review_round, county.secretary)
    meeting_service.submit_to_higher(review_round, county.secretary)
    filing.file_round(review_round, county.reviewer, "同意备案")

    page = client.get(f"/public/{county.east.code}/").content.decode()
    assert ABSENT in page
    assert _cells(page) == ["-2"]
    cache.clear()


def _post_deduction(county, member):
    start, _end = previous_quarter()
    cycle = datetime.date(start.year, 1, 1)
    ledger.post_entry(organisation=county.east, member=member, component="deduction", points=Decimal("2"),
                      occurred_on=start, cycle_start=cycle, source="test", source_ref="deduction-1")
    return cycle


def test_my_points_and_ledger_export_count_a_deduction_negative(county, login):
    member = county.members[0]  # linked to member_user
    cycle = _post_deduction(county, member)
    assert ledger_signs.signed_balance(member, cycle) == Decimal("-2.00")
    assert ledger_signs.signed_component_totals(member, cycle) == {"deduction": Decimal("-2.00")}
    assert ledger.balance(member, cycle) == Decimal("2.00")  # stored as the recorded magnitude, unchanged

    page = login(county.member_user).get("/me/points/", {"cycle": cycle.isoformat()}).content.decode()
    assert _cells(page) == ["-2"]
    assert re.search(r"<strong[^>]*>-2</strong>", page), page

    response = login(county.secretary).get(f"/downloads/ledger/{county.east.pk}.xlsx", {"cycle": cycle.isoformat()})
    assert response.status_code == 200, response
    sheet = openpyxl.load_workbook(BytesIO(response.content)).worksheets[0]
    rows = {r[1]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert Decimal(str(rows[member.name][-1])) == Decimal("-2")
    detail = openpyxl.load_workbook(BytesIO(response.content)).worksheets[1]
    assert [Decimal(str(r[4])) for r in detail.iter_rows(min_row=2, values_only=True)] == [Decimal("-2")]


def test_dashboard_branch_total_counts_a_deduction_negative(county, login):
    from portal.views.dashboard import branch_comparison

    cycle = _post_deduction(county, county.members[1])
    rows = {r["organisation"].pk: r for r in branch_comparison(county.east, cycle)}
    assert rows[county.east.pk]["total"] == Decimal("-2")
    page = login(county.secretary).get("/dashboard/", {"cycle": cycle.isoformat(), "org": county.east.pk})
    assert page.status_code == 200


def test_member_declaration_pages_and_recording_list_show_a_deduction_negative(county, login):
    declared = _deduction(county, member=county.members[0])
    client = login(county.member_user)
    mine = client.get("/me/declarations/").content.decode()
    assert "· -2 分" in mine and "+2" not in _shown(mine)
    detail = client.get(f"/me/declarations/{declared.pk}/").content.decode()
    assert "<dd>-2</dd>" in detail
    recorded = login(county.clerk).get("/record/").content.decode()
    assert "-2</td>" in recorded
