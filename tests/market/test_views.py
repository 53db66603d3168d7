"""The market's screens: catalogue, counter and household code, redeem (twice), receipt, card, bars,
year end, reports with .xlsx, and the grid worker's recording page."""
import io
import uuid

import openpyxl
import pytest

from ledger.models import EntryKind, LedgerEntry
from market.models import Goods, Redemption, RedemptionBar
from market.services import cards, catalogue
from reviews.models import Declaration, ReporterKind
from tests.world import D, make_user, png_bytes
from workdays.clock import local_today

from .conftest import earn


@pytest.fixture
def stocked(village):
    catalogue.add_goods(village=village.village, by=village.secretary, name="洗衣液", price="10", stock=5, unit="瓶")
    earn(village, village.households[0], "25")
    return village


def test_staff_add_goods_and_cash_is_refused_on_the_form(village, login):
    client = login(village.secretary)
    page = client.get("/market/")
    assert page.status_code == 200 and "青石村积分超市" in page.content.decode()
    response = client.post("/market/", {"add-name": "现金", "add-kind": "goods", "add-unit": "元", "add-price": "1",
                                        "add-stock": "1"})
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["name"]] == ["cash_not_allowed"]
    response = client.post("/market/", {"add-name": "毛巾", "add-kind": "goods", "add-unit": "条", "add-price": "6",
                                        "add-stock": "20"})
    assert response.status_code == 302
    assert Goods.objects.get(name="毛巾").stock == 20


def test_household_code_opens_a_read_only_page_for_the_cashier(stocked, login):
    household = stocked.households[0]
    code = cards.household_code(household)
    assert cards.household_for_code(code) == household
    assert cards.household_for_code(f"{household.pk}:forged") is None
    client = login(stocked.cashier)
    page = client.get(f"/market/h/{code}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "王德顺" in text and "青石村第一网格" in text and 'id="balance">25<' in text
    assert client.get(f"/market/h/{household.pk}:forged/").status_code == 404
    qr = client.get(f"/market/h/{code}/qr.png")
    assert qr.status_code == 200 and qr.content.startswith(b"\x89PNG")
    assert LedgerEntry.objects.filter(kind=EntryKind.REDEMPTION).count() == 0  # reading changes nothing
    # the counter finds the household by its scanned code (the whole URL) or by name
    found = client.get("/market/counter/", {"q": f"http://testserver/market/h/{code}/"})
    assert found.status_code == 302 and found["Location"] == f"/market/h/{code}/"
    by_name = client.get("/market/counter/", {"q": "德顺"})  # the one household of that name: straight to it
    assert by_name.status_code == 302 and by_name["Location"] == f"/market/h/{code}/"
    stranger = make_user("m-nobody")
    assert login(stranger).get(f"/market/h/{code}/").status_code == 403


def test_redeem_twice_with_the_same_form_makes_one_entry_and_shows_the_receipt(stocked, login):
    household = stocked.households[0]
    code = cards.household_code(household)
    client = login(stocked.cashier)
    goods = Goods.objects.get(name="洗衣液")
    form = {"goods": goods.pk, "quantity": "2", "key": str(uuid.uuid4())}
    first = client.post(f"/market/h/{code}/redeem/", form)
    second = client.post(f"/market/h/{code}/redeem/", form)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Redemption.objects.count() == 1 and LedgerEntry.objects.filter(kind=EntryKind.REDEMPTION).count() == 1
    receipt = client.get(first["Location"])
    text = receipt.content.decode()
    assert "积分超市兑换小票" in text and "洗衣液" in text and 'id="balance-after">5<' in text and "周强" in text
    assert "重复提交" in text
    # not enough left: the error sits on the form, nothing is written
    again = client.post(f"/market/h/{code}/redeem/", {"goods": goods.pk, "quantity": "1", "key": str(uuid.uuid4())})
    assert again.status_code == 200
    assert [e.code for e in again.context["form"].errors.as_data()["__all__"]] == ["insufficient_balance"]
    assert Redemption.objects.count() == 1
    # a grid worker sees the page but has no redeem form and may not post one
    worker = login(stocked.grid_workers[1])
    assert "form" not in worker.get(f"/market/h/{code}/").context
    assert worker.post(f"/market/h/{code}/redeem/", {"goods": goods.pk, "quantity": "1",
                                                     "key": str(uuid.uuid4())}).status_code == 200
    assert Redemption.objects.count() == 1


def test_card_and_code_card(stocked, login):
    household = stocked.households[0]
    client = login(stocked.grid_workers[1])
    response = client.post(f"/market/households/{household.pk}/card/")
    assert response.status_code == 302
    from documents.models import GeneratedDocument
    card = GeneratedDocument.objects.get(kind="household_card", member=household)
    assert card.context["balance"] == "25" and card.context["household_name"] == "王德顺"
    page = client.get(f"/market/households/{household.pk}/code/")
    assert page.status_code == 200 and "家庭积分码" in page.content.decode()
    assert login(stocked.grid_workers[2]).get(f"/market/households/{household.pk}/code/").status_code == 403


def test_bars_and_year_end_pages(stocked, login):
    client = login(stocked.secretary)
    household = stocked.households[1]
    response = client.post(f"/market/bars/?village={stocked.village.pk}", {
        "household": household.pk, "reason": "参与赌博", "start_on": local_today().isoformat(), "end_on": ""})
    assert response.status_code == 302
    bar = RedemptionBar.objects.get(member=household)
    assert "生效中" in client.get("/market/bars/").content.decode()
    assert client.post(f"/market/bars/{bar.pk}/lift/").status_code == 302
    bar.refresh_from_db()
    assert bar.lifted_on == local_today()
    page = client.get("/market/year-end/")
    assert page.status_code == 200 and "年底清零" in page.content.decode() and "周期未结束" in page.content.decode()
    cashier = login(stocked.cashier)  # the cashier sees who may not redeem, but neither records nor lifts bars
    page = cashier.get("/market/bars/")
    assert page.status_code == 200 and "登记标记" not in page.content.decode()
    cashier.post("/market/bars/", {"household": household.pk, "reason": "参与赌博",
                                   "start_on": local_today().isoformat(), "end_on": ""})
    assert RedemptionBar.objects.filter(member=household).count() == 1
    assert cashier.get("/market/year-end/").status_code == 403


def test_reports_and_their_xlsx(stocked, login):
    from market.services import redemption
    redemption.redeem(household=stocked.households[0], goods=Goods.objects.get(name="洗衣液"), quantity=1,
                      cashier=stocked.cashier, key=uuid.uuid4())
    earn(stocked, stocked.households[4], "40")
    client = login(stocked.secretary)
    page = client.get("/market/reports/")
    assert page.status_code == 200
    top = page.context["top"]
    assert [(r.member.name, r.score, r.redeemed, r.left) for r in top[:2]] == [
        ("陈国强", D("40.00"), D("0.00"), D("40.00")), ("王德顺", D("25.00"), D("10.00"), D("15.00"))]
    month = page.context["months"][local_today().month - 1]
    assert (month.redemptions, month.items, month.points, month.restocked) == (1, 1, D("10.00"), 5)
    grids = {g.grid.name: g for g in page.context["grids"]}
    assert (grids["青石村第一网格"].households, grids["青石村第一网格"].score) == (3, D("25.00"))
    xlsx = client.get("/market/reports.xlsx")
    assert xlsx.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["按月兑换与入库", "物品库存", "各网格积分", "积分排名"]
    assert [c.value for c in book["积分排名"][2]][:4] == [1, "陈国强", "青石村第二网格", 40]


def test_export_writes_text_never_formulas():
    from market.exports import write_workbook
    data = write_workbook([("表", ["姓名"], [["=HYPERLINK(\"http://x\")"], ["a\x0bb"]])])
    ws = openpyxl.load_workbook(io.BytesIO(data))["表"]
    assert ws["A2"].data_type == "s" and ws["A2"].value.startswith("=HYPERLINK")
    assert ws["A3"].value == "a\ufffdb"


def test_grid_worker_records_with_evidence_on_the_page(village, login):
    client = login(village.grid_workers[1])
    page = client.get("/market/record/")
    assert page.status_code == 200
    households = list(page.context["form"].fields["household"].queryset)
    assert set(households) == set(village.households[:3])  # only their grid
    from django.core.files.uploadedfile import SimpleUploadedFile
    response = client.post("/market/record/", {
        "household": village.households[0].pk, "item": "family::tidy_home", "quantity": "1",
        "occurred_on": local_today().isoformat(), "place": "", "description": "门前屋后打扫干净",
        "evidence": SimpleUploadedFile("a.png", png_bytes(), content_type="image/png"),
    })
    assert response.status_code == 302
    declaration = Declaration.objects.get()
    assert (declaration.member, declaration.reporter_kind, declaration.points) == (
        village.households[0], ReporterKind.GRID_WORKER, D("5.00"))
    assert declaration.evidence.count() == 1 and declaration.organisation == village.village
    other = client.post("/market/record/", {
        "household": village.households[3].pk, "item": "family::tidy_home", "quantity": "1",
        "occurred_on": local_today().isoformat(), "description": "x"})
    assert other.status_code == 200 and "household" in other.context["form"].errors
    assert login(village.cashier).get("/market/record/").status_code == 403


def test_a_barred_household_shows_its_bar_and_no_redemption_form(stocked, login):
    """Trial 5: a barred household (韦振宇) still got a working-looking redemption form, and the
    refusal said “自 2026-11-25 起”."""
    from market.services import bars, redemption
    from workdays.clock import format_cn_date

    household = stocked.households[0]
    bars.record_bar(member=household, by=stocked.secretary, reason="参与赌博，村民代表会议决定")
    client = login(stocked.cashier)
    text = client.get(f"/market/h/{cards.household_code(household)}/").content.decode()
    day = format_cn_date(local_today())
    assert 'id="barred"' in text and f"该户自{day}起因“参与赌博，村民代表会议决定”不得兑换" in text
    assert "确认兑换" not in text and "/redeem/" not in text
    with pytest.raises(Exception) as refused:
        redemption.redeem(household=household, goods=Goods.objects.get(name="洗衣液"), quantity=1,
                          cashier=stocked.cashier, key=uuid.uuid4())
    message = " ".join(refused.value.messages)
    assert f"{household.name}自{day}起因" in message and local_today().isoformat() not in message


def test_a_search_with_one_result_goes_straight_to_the_household(stocked, login):
    client = login(stocked.cashier)
    one = client.get("/market/counter/", {"q": "德顺"})
    assert one.status_code == 302 and one["Location"] == f"/market/h/{cards.household_code(stocked.households[0])}/"
    none = client.get("/market/counter/", {"q": "查无此人"})
    assert none.status_code == 200
