"""The walk's rows, looked at before the rollback: cadence, cycles, publicity, awards (issue 10, items 3–5).

Each test builds the throw-away world and walks it inside the test's own transaction
(``simulation.world``, ``simulation.rounds``, ``simulation.year_end``), so the rounds,
meetings, publicities, ledger entries and documents the chain made can be inspected.
"""
import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest

from documents.models import GeneratedDocument
from ledger.models import LedgerEntry
from reviews.models import BranchMeeting, Publicity, ReviewRound
from scoring_engine.cycle import parse_cycle
from simulation.clock import Clock
from simulation.rounds import RoundWalk
from simulation.world import World
from simulation.year_end import run_year_end

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def scenario(name):
    return json.loads((ROOT / "docs" / "scenarios" / f"{name}.json").read_text(encoding="utf-8"), parse_float=Decimal)


def walk(data, year_end=False):
    cycle = parse_cycle(data["cycle"], None)
    with Clock(cycle.start) as clock:
        world = World(data, cycle)
        world.load_history(data.get("history"))
        done = RoundWalk(world, clock, data.get("events") or []).run()
        evaluation = run_year_end(world, clock, data) if year_end else None
    return world, done, evaluation


def test_monthly_review_quarterly_publicity_publishes_the_quarters_declarations_together():
    """钟祥 一月一审核、一季一公示 (篇十六 l.1469–1471): one round per quarter, a meeting per month."""
    world, done, _ = walk(scenario("zhongxiang-governance-limits"))
    rounds = ReviewRound.objects.filter(organisation__in=world.branches.values()).order_by("period_start")
    assert {(r.period_kind, r.period_start.month, r.period_end.month) for r in rounds} == {
        ("quarter", 1, 3), ("quarter", 4, 6), ("quarter", 7, 9), ("quarter", 10, 12)}
    first = rounds.get(period_start=datetime.date(2025, 1, 1))
    months = sorted(m.held_on for m in BranchMeeting.objects.filter(review_round=first))
    assert months == [datetime.date(2025, 2, 1), datetime.date(2025, 3, 1), datetime.date(2025, 4, 1)]
    [publicity] = Publicity.objects.filter(review_round=first)
    published = sorted(d.occurred_on.month for d in publicity.declarations.all())
    assert published == sorted(d.occurred_on.month for d in first.declarations.all()) and set(published) == {1, 2, 3}
    assert publicity.start_on == datetime.date(2025, 4, 1) and publicity.days == 7
    assert all(r.status == "final" for r in done)


def test_household_grid_reviews_monthly_and_publishes_quarterly():
    """浆水乡 一月一审核、一季一公示 (篇十六 l.1239)."""
    world, done, _ = walk(scenario("household-grid-quarter"))
    assert {r.period_kind for r in done} == {"quarter"}
    q1 = next(r for r in done if r.period_start == datetime.date(2025, 1, 1))
    assert q1.meetings.count() == 3 and q1.publicities.count() == 1


def test_a_cycle_from_july_first_works_end_to_end():
    """篇四 l.143 and 篇十三 学校 l.607: a cycle from 七一; quarters (and semesters) counted from July."""
    world, done, evaluation = walk(scenario("star-five-school-july-cycle"), year_end=True)
    starts = sorted({(r.period_start, r.period_end, r.period_kind) for r in done})
    assert starts[0] == (datetime.date(2025, 7, 1), datetime.date(2025, 12, 31), "half_year")
    assert {r.cycle_start for r in done} == {datetime.date(2025, 7, 1)}
    assert set(LedgerEntry.objects.filter(member__in=world.members.values()).values_list("cycle_start", flat=True)) == {
        datetime.date(2025, 7, 1)}
    first = next(r for r in done if r.period_start == datetime.date(2025, 7, 1))
    assert sorted(m.held_on for m in first.meetings.all()) == [datetime.date(2025, 10, 1), datetime.date(2026, 1, 1)]
    assert evaluation.cycle_start == datetime.date(2025, 7, 1) and evaluation.status == "concluded"
    totals = {m.member.name: m.total for m in evaluation.results.select_related("member")}
    assert totals["甲"] == Decimal("96.00")  # 20 + 18 + 19 + 20 + 19: the events of the July cycle were found


def test_chengde_july_cycle_keeps_its_points():
    """篇四 l.143: 起始点为每年的年初或“七一” — the year end finds the ledger entries of a 七一 cycle."""
    world, done, evaluation = walk(scenario("chengde-pioneer-index-probationary"), year_end=True)
    assert {r.cycle_start for r in done} == {datetime.date(2024, 7, 1)}
    m1 = evaluation.results.get(member=world.members["m1"])
    assert m1.components["daily"] == "92.00" and m1.components["reward"] == "9.00"


def test_half_yearly_publicity():
    """东塘 每季度汇总、每半年通报公示 (篇十六 l.1779): two rounds a year, a meeting per quarter."""
    world, done, _ = walk(scenario("dongtang-categories-half-year"))
    assert sorted((r.period_kind, r.period_start.month) for r in done) == [("half_year", 1), ("half_year", 7)]
    assert [r.meetings.count() for r in sorted(done, key=lambda r: r.period_start)] == [2, 2]


def test_yearly_publicity():
    """篇十 积分结果每年向党员大会通报、公示 (l.317): one round for the year."""
    world, done, _ = walk(scenario("street-three-classes-year"))
    assert sorted({(r.period_kind, r.period_start, r.period_end) for r in done}) == [
        ("year", datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))] * 1
    assert {r.period_label for r in done} == {"2025年度"}


def test_star_certificates_go_only_to_the_members_the_scheme_awards():
    """篇十五 l.1189: a one-star member is 不合格 and gets no star certificate; two stars and up do."""
    world, done, evaluation = walk(scenario("dagaowei-village-stars"), year_end=True)
    certified = set(GeneratedDocument.objects.filter(kind="star_certificate", process_id=evaluation.process.pk)
                    .values_list("member__name", flat=True))
    stars = {r.member.name: r.stars for r in evaluation.results.select_related("member")}
    assert certified == {name for name, n in stars.items() if n >= 2} and stars["流动预备丙"] == 1
    result = evaluation.results.get(member=world.members["p1"])
    assert (result.awards(), result.earns("certificate")) == ((), False)


def test_the_oilfield_closes_a_year_with_per_star_appraisals():
    """篇十三 作业区: five stars appraised each quarter (self/masses/leadership per star, l.697); Q4 closes the year."""
    world, done, evaluation = walk(scenario("star-oilfield-quarterly-year-end"), year_end=True)
    grades = {r.member.name: (r.stars, r.grade) for r in evaluation.results.select_related("member")}
    assert grades == {"明星甲": (5, "年度明星党员"), "较差乙": (0, "不合格"), "否决丙": (0, "不合格"), "一般丁": (4, "")}
    inputs = {i.member.name: i for i in evaluation.inputs.select_related("member")}
    assert inputs["一般丁"].method == "components" and len(inputs["一般丁"].components) == 5


def test_the_nonpublic_year_closes_with_one_appraisal_per_star():
    """篇十三 非公 每颗星总分值为10分 (l.783): no longer "该方案有多个评议部分" at year end."""
    world, done, evaluation = walk(scenario("star-nonpublic-quotas"), year_end=True)
    assert evaluation.status == "concluded" and evaluation.results.count() == 10
