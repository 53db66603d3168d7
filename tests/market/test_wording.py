"""The market's pages read in the page's language: points without trailing zeros (and never ``1E+1``),
dates and times as people write them in Asia/Shanghai, open-ended periods in words."""
import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from market.models import Goods, Redemption
from market.services import bars, cards, catalogue, redemption
from market.units import quantity_text
from workdays.clock import SHANGHAI, format_cn_datetime, format_date_range

from .conftest import earn, key


@pytest.fixture
def stocked(village):
    catalogue.add_goods(village=village.village, by=village.secretary, name="洗衣液", price="10", stock=5, unit="瓶")
    earn(village, village.households[0], "10")
    return village


def test_dates_times_and_periods_in_either_language():
    at = datetime.datetime(2026, 11, 30, 1, 4, tzinfo=datetime.timezone.utc)  # 09:04 in Shanghai
    day, last = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
    with translation.override("en"):
        assert format_cn_datetime(at) == "30 Nov 2026 09:04"
        assert format_date_range(day, last) == "1 Jan 2026 – 31 Dec 2026"
        assert format_date_range(day) == "from 1 Jan 2026"
    with translation.override("zh-hans"):
        assert format_cn_datetime(at.astimezone(SHANGHAI)) == "2026年11月30日 09:04"
        assert format_date_range(day, last) == "2026年1月1日至2026年12月31日"
        assert format_date_range(day) == "2026年1月1日起"


def test_insufficient_balance_names_whole_points(stocked):
    goods = Goods.objects.get(name="洗衣液")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        redemption.redeem(household=stocked.households[0], goods=goods, quantity=2, cashier=stocked.cashier, key=key())
    message = exc.value.error_dict["household"][0].messages[0]
    assert "可兑换积分 10，" in message and "需 20 分" in message and ".00" not in message


def test_household_counter_and_receipt_pages(stocked, login):
    household = stocked.households[0]
    code = cards.household_code(household)
    client = login(stocked.cashier)
    client.cookies["django_language"] = "en"
    page = client.get(f"/market/h/{code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="balance">10<' in page  # Decimal("10.00").normalize() printed 1E+1
    goods = Goods.objects.get(name="洗衣液")
    done = client.post(f"/market/h/{code}/redeem/", {"goods": goods.pk, "quantity": "1", "key": str(uuid.uuid4())},
                       HTTP_ACCEPT_LANGUAGE="en")
    receipt = client.get(done["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    r = Redemption.objects.get()
    local = r.redeemed_at.astimezone(SHANGHAI)
    with translation.override("en"):
        written = format_cn_datetime(r.redeemed_at)
    assert written in receipt and f"{local:%Y-%m-%d %H:%M}" not in receipt
    counter = client.get("/market/counter/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"{local:%Y-%m-%d}" not in counter
    # Trial 5: the unit of goods is English on the English receipt ("× 1瓶" before), Chinese on the Chinese one.
    assert "洗衣液 × 1 bottle<" in receipt and "1瓶" not in receipt
    client.cookies["django_language"] = "zh-hans"
    assert "洗衣液 × 1瓶<" in client.get(done["Location"], HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()


@pytest.mark.parametrize("language, listed, unlisted, latin", [
    ("en", "2 bottles", "2", "2 kg"), ("zh-hans", "2瓶", "2斤", "2 kg")])
def test_a_quantity_reads_with_its_unit_in_the_language(language, listed, unlisted, latin):
    with translation.override(language):
        assert quantity_text(2, "瓶") == listed
        assert quantity_text(2, "斤") == unlisted  # a unit the catalogues do not list: no CJK in English
        assert quantity_text(2, "kg") == latin
        assert quantity_text(1, "") == "1"


def test_an_open_ended_bar_reads_as_a_period(stocked, login):
    household = stocked.households[1]
    start = datetime.date(2026, 11, 25)
    bars.record_bar(member=household, by=stocked.secretary, reason="参与赌博", start_on=start)
    client = login(stocked.secretary)
    client.cookies["django_language"] = "en"
    page = client.get("/market/bars/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "from 25 Nov 2026" in page and "2026-11-25" not in page
