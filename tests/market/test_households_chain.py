"""Households go through the review chain unchanged: grid worker records → village audits → publicity
with objections → the village's ledger, exactly as members do; then the counter and the card."""
import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied

from documents.kinds import household_card
from documents.models import GeneratedDocument
from ledger.models import EntryKind, LedgerEntry
from ledger.services import balance, redeemable_balance
from ledger.verify import verify_chain
from market.services import cards, catalogue, redemption
from reviews.models import DeclarationStatus, MeetingKind, ObjectionOutcome, ReporterKind, RoundStatus
from reviews.services import declarations, filing, meeting, objections, rounds
from tests.world import D, photo
from workdays.clock import local_today
from workflow.tasks import fire_timers

from .conftest import key, village_world


def record(w, household, grid, item, **extra):
    kwargs = dict(member=household, by=w.grid_workers[grid], reporter_kind=ReporterKind.GRID_WORKER,
                  component="family", rule_item=item, occurred_on=local_today(), description="入户走访核实",
                  evidence=[photo()])
    kwargs.update(extra)
    return declarations.create_declaration(**kwargs)


def test_grid_worker_records_only_for_their_grid(village):
    first, other_grid = village.households[0], village.households[3]
    declaration = record(village, first, 1, "tidy_home")
    assert declaration.organisation == village.village  # the village reviews its grids' households
    assert declaration.points == D("5.00") and declaration.rule_item_label == "家庭内外环境整洁（当月）"
    assert declaration.evidence.count() == 1
    with pytest.raises(PermissionDenied):
        record(village, other_grid, 1, "tidy_home")


@pytest.mark.django_db(transaction=True)
def test_household_points_walk_the_chain_into_the_villages_ledger_and_out_at_the_counter():
    w = village_world()
    today = local_today()
    a, b = w.households[0], w.households[3]
    first = record(w, a, 1, "waste_sorting")            # 15
    record(w, a, 1, "tidy_home")                        # 5
    disputed = record(w, b, 2, "greening")              # 10
    review_round = rounds.open_round(organisation=w.village, by=w.secretary, period_start=today.replace(day=1))
    # 钟祥 一月一审核、一季一公示 (篇十六 l.1469–1471, issue 10): the quarter's round, met on monthly.
    assert review_round.period_kind == "quarter"
    assert review_round.declarations.count() == 3
    meeting.record_meeting(review_round, w.secretary, kind=MeetingKind.COMMITTEE, held_on=today, entitled_count=3,
                           attendee_count=2, attendee_names="冯长青、村两委委员1", minute_taker="村文书",
                           place="村民委员会会议室", absentee_names="村两委委员2（请假）")
    meeting.bulk_approve(review_round, w.secretary)
    meeting.submit_to_higher(review_round, w.secretary)
    filing.file_round(review_round, w.reviewer, "同意备案")
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.PUBLICITY
    publicity = review_round.current_publicity()
    assert set(publicity.declarations.all()) == set(review_round.declarations.all())
    objection = objections.lodge_objection(disputed, objector_name="村民李某", objector_contact="13900000000",
                                           reason="该户房前屋后没有种植花草。", received_by=w.secretary)
    objections.answer_objection(objection, w.secretary, ObjectionOutcome.UPHELD, "经核实只种了两棵树，按5分计。",
                                corrected_points="5")
    objections.file_explanation(objection, w.reviewer)
    with mock.patch("django.utils.timezone.now", return_value=publicity.closes_at + datetime.timedelta(minutes=1)):
        fire_timers()                                     # the window closes; corrections republished
    review_round.refresh_from_db()
    republication = review_round.current_publicity()
    with mock.patch("django.utils.timezone.now", return_value=republication.closes_at + datetime.timedelta(minutes=1)):
        fire_timers()                                     # … and posted
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.FINAL
    first.refresh_from_db()
    assert first.status == DeclarationStatus.APPROVED

    cycle = review_round.cycle_start
    posted = LedgerEntry.objects.filter(member__in=[a, b]).order_by("seq")
    assert {e.organisation for e in posted} == {w.village}
    assert [(e.member, e.kind, e.points) for e in posted if e.member == b] == [
        (b, EntryKind.POSTED, D("10.00")), (b, EntryKind.CORRECTION, D("-5.00"))]
    assert balance(a, cycle_start=cycle) == D("20.00") and balance(b, cycle_start=cycle) == D("5.00")

    # The counter: 20 points buy two bags of rice at 8.
    rice = catalogue.add_goods(village=w.village, by=w.secretary, name="大米（5斤）", price="8", stock=10, unit="袋")
    done = redemption.redeem(household=a, goods=rice, quantity=2, cashier=w.cashier, key=key())
    assert done.balance_after == D("4.00") and redeemable_balance(a, cycle) == D("4.00")
    assert verify_chain(w.village).ok

    # The 户积分卡 from the ledger: earned lines, the exchange, the running balance.
    document = cards.issue_card(a, by=w.grid_workers[1], cycle_start=cycle)
    assert GeneratedDocument.objects.filter(pk=document.pk, kind="household_card", member=a).exists()
    context = household_card.build_context(a, cycle)
    assert [(e["points"], e["balance"]) for e in context["entries"]] == [("+15", "15"), ("+5", "20"), ("-16", "4")]
    assert context["entries"][-1]["operator"] == "周强" and context["grid"] == "青石村第一网格"
    assert context["village"] == "青石村" and context["balance"] == "4"
    with pytest.raises(PermissionDenied):
        cards.issue_card(a, by=w.cashier)
