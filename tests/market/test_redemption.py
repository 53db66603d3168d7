"""Redemption: one ledger entry of its own kind in the village's chain, after balance, stock and bars are checked."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from documents.kinds import redemption_receipt
from documents.models import GeneratedDocument
from ledger.models import EntryKind, LedgerEntry
from ledger.services import balance, redeemable_balance
from ledger.verify import verify_chain
from market.models import Redemption, StockMove, StockReason
from market.services import bars, catalogue, redemption
from tests.world import D, make_user
from workdays.clock import local_today

from .conftest import earn, key


def codes(exc):
    return {field: [e.code for e in errors] for field, errors in exc.value.error_dict.items()}


@pytest.fixture
def soap(village):
    return catalogue.add_goods(village=village.village, by=village.secretary, name="肥皂", price="5", stock=3, unit="块")


def test_redemption_is_a_negative_entry_of_the_chain_and_leaves_the_score(village, soap):
    household = village.households[0]
    earn(village, household, "20")
    done = redemption.redeem(household=household, goods=soap, quantity=2, cashier=village.cashier, key=key())
    entry = done.entry
    assert (entry.kind, entry.points, entry.organisation, entry.component) == (
        EntryKind.REDEMPTION, D("-10.00"), village.village, "redemption")
    assert entry.source_ref == f"redemption:{done.key}" and entry.recorded_by == village.cashier
    assert done.balance_after == D("10.00") and done.points == D("10.00")
    cycle = village.scheme.cycle_start
    assert redeemable_balance(household, cycle) == D("10.00")
    assert balance(household, cycle_start=cycle) == D("20.00")  # 钟祥: 奖励之后不清零 (the score keeps them)
    soap.refresh_from_db()
    assert soap.stock == 1
    move = StockMove.objects.get(redemption=done)
    assert (move.change, move.stock_after, move.reason) == (-2, 1, StockReason.REDEMPTION)


def test_balance_is_checked(village, soap):
    household = village.households[0]
    earn(village, household, "9")
    with pytest.raises(ValidationError) as exc:
        redemption.redeem(household=household, goods=soap, quantity=2, cashier=village.cashier, key=key())
    assert codes(exc) == {"household": ["insufficient_balance"]}
    assert not LedgerEntry.objects.filter(kind=EntryKind.REDEMPTION).exists()
    # exactly enough is enough
    earn(village, household, "1")
    done = redemption.redeem(household=household, goods=soap, quantity=2, cashier=village.cashier, key=key())
    assert done.balance_after == D("0.00")


def test_stock_and_shelf_are_checked(village, soap):
    household = village.households[0]
    earn(village, household, "100")
    with pytest.raises(ValidationError) as exc:
        redemption.redeem(household=household, goods=soap, quantity=4, cashier=village.cashier, key=key())
    assert codes(exc) == {"goods": ["out_of_stock"]}
    catalogue.update_goods(soap, by=village.secretary, active=False)
    with pytest.raises(ValidationError) as exc:
        redemption.redeem(household=household, goods=soap, quantity=1, cashier=village.cashier, key=key())
    assert codes(exc) == {"goods": ["goods_inactive"]}
    assert redeemable_balance(household, village.scheme.cycle_start) == D("100.00")


def test_a_violation_bars_redemption_but_not_accrual(village, soap):
    household = village.households[0]
    earn(village, household, "30")
    bar = bars.record_bar(member=household, by=village.secretary, reason="参与赌博，村民代表会议决定")
    with pytest.raises(ValidationError) as exc:
        redemption.redeem(household=household, goods=soap, quantity=1, cashier=village.cashier, key=key())
    assert codes(exc) == {"household": ["barred"]}
    earn(village, household, "5")  # accrual goes on
    assert redeemable_balance(household, village.scheme.cycle_start) == D("35.00")
    bars.lift_bar(bar, by=village.secretary, lifted_on=local_today())
    done = redemption.redeem(household=household, goods=soap, quantity=1, cashier=village.cashier, key=key())
    assert done.balance_after == D("30.00")


def test_a_scheme_without_bars_bars_nobody(village, soap):
    """household-grid (浆水乡) names no flag: a recorded violation does not stop the counter."""
    village.scheme.revise(preset_key="household-grid")
    household = village.households[0]
    earn(village, household, "10", component="reward")
    bars.record_bar(member=household, by=village.secretary, reason="违反村规民约")
    assert redemption.redeem(household=household, goods=soap, quantity=1, cashier=village.cashier, key=key())


def test_bar_outside_its_period_does_not_bar(village, soap):
    household = village.households[0]
    earn(village, household, "10")
    today = local_today()
    bars.record_bar(member=household, by=village.secretary, reason="往年处理",
                    start_on=today - datetime.timedelta(days=60), end_on=today - datetime.timedelta(days=1))
    assert redemption.redeem(household=household, goods=soap, quantity=1, cashier=village.cashier, key=key())


def test_double_submit_makes_one_entry(village, soap):
    household = village.households[0]
    earn(village, household, "50")
    form_key = key()
    first = redemption.redeem(household=household, goods=soap, quantity=1, cashier=village.cashier, key=form_key)
    again = redemption.redeem(household=household, goods=soap, quantity=1, cashier=village.cashier, key=str(form_key))
    assert again.pk == first.pk
    assert LedgerEntry.objects.filter(kind=EntryKind.REDEMPTION).count() == 1
    assert Redemption.objects.count() == 1
    soap.refresh_from_db()
    assert soap.stock == 2
    with pytest.raises(ValidationError) as exc:  # the same form key for another exchange
        redemption.redeem(household=household, goods=soap, quantity=2, cashier=village.cashier, key=form_key)
    assert codes(exc) == {"key": ["key_reused"]}
    with pytest.raises(ValidationError) as exc:
        redemption.redeem(household=household, goods=soap, quantity=1, cashier=village.cashier, key="not-a-uuid")
    assert codes(exc) == {"key": ["key_invalid"]}


def test_only_the_cashier_redeems_and_only_for_the_village(village, soap):
    household = village.households[0]
    earn(village, household, "50")
    for user in (village.secretary, village.grid_workers[1]):
        with pytest.raises(PermissionDenied):
            redemption.redeem(household=household, goods=soap, quantity=1, cashier=user, key=key())
    from organisations.models import Organisation, OrganisationKind
    from members.models import Member
    other = Organisation.objects.create(name="柳林村", kind=OrganisationKind.VILLAGE, parent=village.town, code="m-ll")
    outsider = Member.objects.create(organisation=other, name="外村户", kind="household")
    with pytest.raises(ValidationError) as exc:
        redemption.redeem(household=outsider, goods=soap, quantity=1, cashier=village.cashier, key=key())
    assert codes(exc) == {"household": ["household_outside_village"]}


def test_never_cash(village):
    for name in ("现金50元", "微信红包", "超市购物卡"):
        with pytest.raises(ValidationError) as exc:
            catalogue.add_goods(village=village.village, by=village.secretary, name=name, price="50")
        assert codes(exc) == {"name": ["cash_not_allowed"]}
    assert not hasattr(redemption, "pay_out") and not hasattr(catalogue, "cash_out")


def test_without_a_redeeming_scheme_nothing_is_redeemed(village, soap):
    household = village.households[0]
    earn(village, household, "50")
    village.scheme.revise(preset_key="county-7-3")
    with pytest.raises(ValidationError) as exc:
        redemption.redeem(household=household, goods=soap, quantity=1, cashier=village.cashier, key=key())
    assert codes(exc) == {"__all__": ["scheme_does_not_redeem"]}


def test_receipt_names_household_goods_points_balance_cashier_and_time(village, soap):
    household = village.households[0]
    earn(village, household, "12")
    done = redemption.redeem(household=household, goods=soap, quantity=2, cashier=village.cashier, key=key())
    document = GeneratedDocument.objects.get(pk=done.receipt_id)
    assert document.kind == "redemption_receipt" and document.member_id == household.pk
    ctx = redemption_receipt.build_context(done)
    assert ctx["household_name"] == "王德顺" and ctx["grid"] == "青石村第一网格" and ctx["village"] == "青石村"
    assert (ctx["goods"], ctx["quantity"], ctx["points"]) == ("肥皂", "2", "10")
    assert (ctx["balance_before"], ctx["balance_after"]) == ("12", "2")
    assert ctx["cashier"] == "周强" and ctx["redeemed_on"] == local_today().isoformat()
    assert ctx["receipt_no"] == done.number and len(ctx["redeemed_time"]) == 5


def test_verify_ledger_covers_redemptions_and_detects_a_changed_one(village, soap):
    from django.db import connection

    household = village.households[0]
    earn(village, household, "20")
    done = redemption.redeem(household=household, goods=soap, quantity=1, cashier=village.cashier, key=key())
    assert verify_chain(village.village).ok
    call_command("verify_ledger", stdout=open("/dev/null", "w"))
    with connection.cursor() as cursor:  # someone makes the soap cheaper behind the ledger's back
        cursor.execute("UPDATE ledger_ledgerentry SET points = %s WHERE id = %s", ["-1.00", done.entry_id])
    report = verify_chain(village.village)
    assert not report.ok and report.tamper.problem == "content" and report.tamper.entry_id == done.entry_id


def test_ledger_refuses_a_positive_redemption(village):
    from ledger.services import post_entry
    with pytest.raises(ValidationError) as exc:
        post_entry(organisation=village.village, member=village.households[0], component="redemption",
                   points="5", occurred_on=local_today(), cycle_start=village.scheme.cycle_start,
                   source="market", kind=EntryKind.REDEMPTION)
    assert codes(exc) == {"points": ["redemption_not_negative"]}


def test_stranger_is_not_staff(village):
    stranger = make_user("m-stranger")
    with pytest.raises(PermissionDenied):
        catalogue.add_goods(village=village.village, by=stranger, name="毛巾", price="3")
    with pytest.raises(PermissionDenied):
        catalogue.add_goods(village=village.village, by=village.cashier, name="毛巾", price="3")
