"""Issue 13, item 10: every .xlsx export writes user text as text and survives control characters."""
import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ledger import services as ledger
from market.exports import write_workbook
from members.models import Member
from organisations.models import RoleKind
from safeguards.xlsx import SafeWorkbook
from tests import world

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/x","点我")'
CONTROL = "王\x0b芳"


def _cells(content):
    book = load_workbook(BytesIO(content))
    return [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row if cell.value is not None]


def _assert_safe(content):
    cells = _cells(content)
    assert not [c for c in cells if c.data_type == "f"], "no formula may be written"
    values = [c.value for c in cells]
    assert FORMULA in values, "the name is written as typed, as text"
    assert "王\ufffd芳" in values, "the control character is replaced, the rest kept"
    formula_cell = next(c for c in cells if c.value == FORMULA)
    assert formula_cell.data_type == "s"


@pytest.fixture
def hostile(county):
    for name in (FORMULA, CONTROL):
        member = Member.objects.create(organisation=county.east, name=name, phone="+8613800001111")
        ledger.post_entry(organisation=county.east, member=member, component="发挥作用", points=Decimal("2"),
                          occurred_on=datetime.date(2026, 3, 2), cycle_start=datetime.date(2026, 1, 1),
                          source="review", note="-1 分 @所有人")
    county.town_secretary = world.make_user("town-sec", (RoleKind.SECRETARY, county.town))
    return county


def test_the_ledger_exports_of_the_branch_and_every_organisation_above_it(hostile, client):
    client.force_login(hostile.town_secretary)
    for org in (hostile.east, hostile.general, hostile.town):
        response = client.get(reverse("portal:ledger_xlsx", args=[org.pk]) + "?cycle=2026-01-01")
        assert response.status_code == 200, org
        _assert_safe(response.content)
        notes = [c for c in _cells(response.content) if c.value == "-1 分 @所有人"]
        assert notes and all(c.data_type == "s" for c in notes)


def test_the_roster_exports_of_the_branch_and_every_organisation_above_it(hostile, client):
    client.force_login(hostile.town_secretary)
    for org in (hostile.east, hostile.general, hostile.town):
        response = client.get(reverse("members:export", args=[org.pk, "xlsx"]))
        assert response.status_code == 200, org
        _assert_safe(response.content)
        phones = [c for c in _cells(response.content) if c.value == "+8613800001111"]
        assert phones and all(c.data_type == "s" for c in phones)


def test_the_market_reports_go_through_the_same_writer():
    content = write_workbook([("商品[1]:库存", ["户主", "积分"], [[FORMULA, Decimal("3.5")], [CONTROL, 2]])])
    _assert_safe(content)
    book = load_workbook(BytesIO(content))
    assert book.worksheets[0].title == "商品_1__库存"
    assert book.worksheets[0]["B2"].value == 3.5 and book.worksheets[0]["B2"].data_type == "n"


def test_typed_values_stay_typed_and_long_text_is_cut():
    book = SafeWorkbook()
    sheet = book.sheet("x")
    sheet.append([datetime.date(2026, 1, 2), 7, "+1", "@x", "-2", "x" * 40000])
    ws = load_workbook(BytesIO(book.save())).active
    assert ws["A1"].is_date and ws["B1"].value == 7
    assert [ws[c].data_type for c in ("C1", "D1", "E1")] == ["s", "s", "s"]
    assert ws["C1"].value == "+1" and ws["E1"].value == "-2"
    assert len(ws["F1"].value) == 32767
