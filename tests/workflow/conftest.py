"""A small county for the review-chain tests: 镇党委 → 党总支 → two branches."""
import datetime
import itertools
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model

from members.models import Member
from organisations.models import Organisation, OrganisationKind, Role, RoleKind
from reviews.services import declarations, meeting, rounds
from reviews.models import MeetingKind, ReporterKind, local_today

_seq = itertools.count(1)


def make_user(username, *roles):
    user = get_user_model().objects.create_user(username=username, password="pw-" + username)
    for kind, org in roles:
        Role.objects.create(user=user, organisation=org, kind=kind)
    return user


def previous_quarter(today):
    q_start_month = ((today.month - 1) // 3) * 3 + 1
    this_q = datetime.date(today.year, q_start_month, 1)
    end = this_q - datetime.timedelta(days=1)
    start = datetime.date(end.year, ((end.month - 1) // 3) * 3 + 1, 1)
    return start, end


@pytest.fixture
def county(db):
    town = Organisation.objects.create(name="城关镇党委", kind=OrganisationKind.COMMITTEE, code="t-town")
    general = Organisation.objects.create(name="社区党总支", kind=OrganisationKind.GENERAL_BRANCH, parent=town, code="t-gb")
    east = Organisation.objects.create(name="东街社区党支部", kind=OrganisationKind.BRANCH, parent=general, code="t-east")
    west = Organisation.objects.create(name="西街社区党支部", kind=OrganisationKind.BRANCH, parent=general, code="t-west")
    ns = SimpleNamespace(town=town, general=general, east=east, west=west)
    ns.secretary = make_user("li-secretary", (RoleKind.SECRETARY, east))
    ns.deputy = make_user("wang-deputy", (RoleKind.SECRETARY, east))
    ns.clerk = make_user("zhao-clerk", (RoleKind.CLERK, east))
    ns.west_secretary = make_user("sun-west", (RoleKind.SECRETARY, west))
    ns.reviewer = make_user("zhou-reviewer", (RoleKind.REVIEWER, general))
    # A secretary who also holds a reviewer role on their own branch: still may not file it.
    ns.self_reviewer = make_user("qian-self", (RoleKind.SECRETARY, east), (RoleKind.REVIEWER, east))
    ns.members = []
    for name in ("张红梅", "刘志强", "陈小燕", "赵卫东", "孙丽"):
        ns.members.append(Member.objects.create(organisation=east, name=name))
    ns.member_user = make_user("zhang-member")
    ns.members[0].user = ns.member_user
    ns.members[0].save()
    ns.west_member = Member.objects.create(organisation=west, name="周明")
    return ns


def declare(county, member=None, points="2", occurred_on=None, by="clerk", **extra):
    member = member or county.members[1]
    kwargs = dict(
        member=member,
        by=county.clerk if by == "clerk" else by,
        reporter_kind=ReporterKind.CLERK,
        component="bonus",
        rule_item="B-03",
        rule_item_label="志愿服务",
        points=points,
        occurred_on=occurred_on or previous_quarter(local_today())[0] + datetime.timedelta(days=20),
        description="参加社区防火巡查",
        place="东街社区",
    )
    kwargs.update(extra)
    return declarations.create_declaration(**kwargs)


def open_round(county, **extra):
    start, end = previous_quarter(local_today())
    kwargs = dict(organisation=county.east, by=county.secretary, period_start=start, period_end=end)
    kwargs.update(extra)
    return rounds.open_round(**kwargs)


def quorate_meeting(county, review_round, held_on=None, **extra):
    kwargs = dict(kind=MeetingKind.COMMITTEE, held_on=held_on or local_today(), entitled_count=5,
                  attendee_count=3, attendee_names="李建国、王芳、赵卫东", minute_taker="王芳")
    kwargs.update(extra)
    return meeting.record_meeting(review_round, county.clerk, **kwargs)


D = Decimal
