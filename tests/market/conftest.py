"""A village for the points supermarket: 城关镇党委 → 青石村 → two grids, six households, a login per role.

``village_world()`` builds it (the ``village`` fixture): the town's reviewer files the village's
rounds; the village has a secretary, a cashier, a grid worker per grid, and the 钟祥 scheme
(zhongxiang-governance: monthly review, redemption, a violation bars redemption, year-end reset)
for this calendar year. ``earn`` posts points straight into the village's chain, as a final
review round would (the chain walk itself is tested in test_households_chain.py).
"""
import datetime
import uuid
from types import SimpleNamespace

import pytest

from ledger.services import post_entry
from members.models import Member, MemberKind
from organisations.models import Organisation, OrganisationKind, RoleKind
from schemes.models import Scheme
from tests.world import make_user
from workdays.clock import local_today

HOUSEHOLDS = {1: ("王德顺", "李桂英", "张建华"), 2: ("刘玉兰", "陈国强", "杨春花")}


def scheme_for(village, preset="zhongxiang-governance", year=None):
    year = year or local_today().year
    scheme = Scheme.objects.create(organisation=village, name=preset, cycle_start=datetime.date(year, 1, 1),
                                   cycle_end=datetime.date(year, 12, 31))
    scheme.revise(preset_key=preset)
    return scheme


def village_world(preset="zhongxiang-governance"):
    town = Organisation.objects.create(name="城关镇党委", short_name="城关党委", kind=OrganisationKind.COMMITTEE,
                                       code="m-town")
    village = Organisation.objects.create(name="青石村", short_name="青石村", kind=OrganisationKind.VILLAGE,
                                          parent=town, code="m-village")
    grids = {n: Organisation.objects.create(name=f"青石村第{'一二'[n - 1]}网格", kind=OrganisationKind.GRID,
                                            parent=village, code=f"m-grid{n}") for n in (1, 2)}
    w = SimpleNamespace(town=town, village=village, grids=grids)
    w.reviewer = make_user("m-reviewer", (RoleKind.REVIEWER, town), name="高明远")
    w.secretary = make_user("m-secretary", (RoleKind.SECRETARY, village), name="冯长青")
    # The village committee on record (村两委): its meetings are 支委会 (reviews.services.quorum).
    w.committee = [make_user(f"m-committee{n}", (RoleKind.COMMITTEE_MEMBER, village), name=f"村两委委员{n}")
                   for n in (1, 2)]
    w.cashier = make_user("m-cashier", (RoleKind.CASHIER, village), name="周强")
    w.grid_workers = {n: make_user(f"m-grid{n}", (RoleKind.GRID_WORKER, grids[n]), name=f"网格员{n}") for n in (1, 2)}
    w.households = [Member.objects.create(organisation=grids[n], name=name, kind=MemberKind.HOUSEHOLD,
                                          household_size=4)
                    for n, names in HOUSEHOLDS.items() for name in names]
    w.scheme = scheme_for(village, preset) if preset else None
    return w


@pytest.fixture
def village(db):
    return village_world()


def earn(w, household, points, day=None, component="family"):
    """Points for ``household`` in the village's chain, as a posted review round leaves them."""
    day = day or local_today()
    return post_entry(organisation=w.village, member=household, component=component, points=points,
                      occurred_on=day, cycle_start=w.scheme.cycle_start, source="review",
                      source_ref=f"test:{uuid.uuid4().hex[:8]}", recorded_by=w.secretary, note="家庭内外环境整洁")


def key():
    return uuid.uuid4()
