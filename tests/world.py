"""The shared test world: one small county, the steps of a review round, and small builders.

``build()`` is the world behind the ``county`` fixture (tests/conftest.py)::

    城关镇党委 (town, short name 城关党委)
    └── 社区党总支 (general, 社区总支) ─ reviewer
        ├── 东街社区党支部 (east, 东街党支) ─ secretary, deputy, clerk, self_reviewer,
        │                                    members 张红梅 (login: member_user), 刘志强, 陈小燕, 赵卫东, 孙丽
        └── 西街社区党支部 (west) ─ west_secretary, west_member 周明

Every login's password is ``PASSWORD``. ``declare``, ``open_round``, ``quorate_meeting`` and
``round_in_publicity`` walk the review chain on that world. ``org``, ``user``, ``id_number`` and
``tree`` build the deeper five-level tree of the organisation and member tests.
"""
import datetime
import itertools
import struct
import zlib
from decimal import Decimal
from types import SimpleNamespace
from unittest import mock

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from members.idcard import check_digit
from members.models import Member
from organisations.models import Organisation, OrganisationKind, Role, RoleKind
from reviews.models import MeetingKind, ReporterKind, local_today
from reviews.services import declarations, filing, meeting, rounds
from workflow.tasks import fire_timers

PASSWORD = "world-test-pw-2025"
#: The public objection form's challenge, answered as the test mode accepts (tests/conftest.py).
CAPTCHA = {"captcha_0": "test", "captcha_1": "PASSED"}
#: The members of 东街 in ``build()``; the first one has a login.
EAST_MEMBERS = ("张红梅", "刘志强", "陈小燕", "赵卫东", "孙丽")
D = Decimal
_seq = itertools.count(1)


# -- the county --------------------------------------------------------------------------------

def make_user(username, *roles, name=""):
    """A login with ``PASSWORD``; ``roles`` are ``(RoleKind, organisation)`` pairs."""
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, first_name=name)
    for kind, organisation in roles:
        Role.objects.create(user=user, organisation=organisation, kind=kind)
    return user


def build(east_members=EAST_MEMBERS):
    """The county above; ``east_members=()`` leaves 东街 without members (and ``member_user`` unlinked)."""
    town = Organisation.objects.create(name="城关镇党委", short_name="城关党委", kind=OrganisationKind.COMMITTEE,
                                       code="w-town")
    general = Organisation.objects.create(name="社区党总支", short_name="社区总支",
                                          kind=OrganisationKind.GENERAL_BRANCH, parent=town, code="w-gb")
    east = Organisation.objects.create(name="东街社区党支部", short_name="东街党支", kind=OrganisationKind.BRANCH,
                                       parent=general, code="w-east")
    west = Organisation.objects.create(name="西街社区党支部", kind=OrganisationKind.BRANCH, parent=general,
                                       code="w-west")
    w = SimpleNamespace(town=town, general=general, east=east, west=west)
    w.secretary = make_user("li-secretary", (RoleKind.SECRETARY, east))
    w.deputy = make_user("wang-deputy", (RoleKind.SECRETARY, east))
    w.clerk = make_user("zhao-clerk", (RoleKind.CLERK, east))
    w.west_secretary = make_user("sun-west", (RoleKind.SECRETARY, west))
    w.reviewer = make_user("zhou-reviewer", (RoleKind.REVIEWER, general))
    # A secretary who also holds a reviewer role on their own branch: still may not file or approve it.
    w.self_reviewer = make_user("qian-self", (RoleKind.SECRETARY, east), (RoleKind.REVIEWER, east))
    w.members = [Member.objects.create(organisation=east, name=name, phone=f"1380000{i:04d}")
                 for i, name in enumerate(east_members)]
    w.member_user = make_user("zhang-member")
    if w.members:
        w.members[0].user = w.member_user
        w.members[0].save()
    w.west_member = Member.objects.create(organisation=west, name="周明")
    return w


# -- time ---------------------------------------------------------------------------------------

def at(moment):
    """Pretend the clock reads ``moment`` (an aware datetime) for everything called inside."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


def sweep_after(task, after=datetime.timedelta(minutes=1)):
    """The beat sweep (``fire_timers``) run ``after`` the due moment of the timer ``task``.

    Timers ask their domain date again before firing, so a test makes time pass, it does not
    move the timer row.
    """
    task.refresh_from_db()
    with at(task.scheduled + after):
        return fire_timers()


# -- the review chain on that county -----------------------------------------------------------

def previous_quarter(today=None):
    """``(first day, last day)`` of the calendar quarter before ``today`` (default: today in Asia/Shanghai)."""
    today = today or local_today()
    this_quarter = datetime.date(today.year, ((today.month - 1) // 3) * 3 + 1, 1)
    end = this_quarter - datetime.timedelta(days=1)
    return datetime.date(end.year, ((end.month - 1) // 3) * 3 + 1, 1), end


def declare(county, member=None, points="2", occurred_on=None, by="clerk", **extra):
    """A 志愿服务 declaration in the previous quarter; ``by=None`` declares without a login (mass reporter)."""
    member = member or county.members[1]
    by = county.clerk if by == "clerk" else by
    own = by is not None and member.user_id == by.pk
    kwargs = dict(
        member=member, by=by, reporter_kind=ReporterKind.SELF if own else ReporterKind.CLERK,
        component="bonus", rule_item="B-03", rule_item_label="志愿服务", points=points,
        occurred_on=occurred_on or previous_quarter()[0] + datetime.timedelta(days=20),
        description="参加社区防火巡查", place="东街社区",
    )
    kwargs.update(extra)
    return declarations.create_declaration(**kwargs)


def open_round(county, **extra):
    """东街 opens a round over the previous quarter (its secretary)."""
    start, end = previous_quarter()
    kwargs = dict(organisation=county.east, by=county.secretary, period_start=start, period_end=end)
    kwargs.update(extra)
    return rounds.open_round(**kwargs)


def quorate_meeting(county, review_round, held_on=None, by=None, **extra):
    """A committee meeting today at the community centre, recorded by the clerk: 东街's committee on
    record is three (the secretary roles), so 3 are entitled; 2 present, 1 absent (named)."""
    kwargs = dict(kind=MeetingKind.COMMITTEE, held_on=held_on or local_today(), entitled_count=3,
                  attendee_count=2, attendee_names="李建国、赵丽娜", minute_taker="赵丽娜",
                  place="东街社区党群服务中心", absentee_names="孙丽（外出培训，请假）")
    kwargs.update(extra)
    return meeting.record_meeting(review_round, by or county.clerk, **kwargs)


def round_at_higher_review(county):
    """One declaration approved by the branch meeting and reported: the round waits for the reviewer."""
    declare(county, county.members[1], "2")
    review_round = open_round(county)
    quorate_meeting(county, review_round, by=county.secretary)
    meeting.bulk_approve(review_round, county.secretary)
    meeting.submit_to_higher(review_round, county.secretary)
    review_round.refresh_from_db()
    return review_round


def round_in_publicity(county):
    """Two declarations (one with a photo) approved, filed by the reviewer: the publicity is open today."""
    declare(county, county.members[1], "2")
    declare(county, county.members[2], "3", evidence=[photo()])
    review_round = open_round(county)
    quorate_meeting(county, review_round, by=county.secretary)
    meeting.bulk_approve(review_round, county.secretary)
    meeting.submit_to_higher(review_round, county.secretary)
    filing.file_round(review_round, county.reviewer, "同意备案")
    review_round.refresh_from_db()
    return review_round


def png_bytes(colour=(200, 30, 30)):
    """A real 32 × 24 PNG, built without Pillow."""
    width, height = 32, 24
    raw = b"".join(b"\x00" + bytes(colour) * width for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def photo(name="photo.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


# -- the deeper tree of the organisation and member tests --------------------------------------

def org(name, kind=OrganisationKind.BRANCH, parent=None, code=None):
    return Organisation.objects.create(name=name, kind=kind, parent=parent, code=code or f"org-{next(_seq)}")


def user(username, *, role=None, on=None, **extra):
    """A login with ``PASSWORD``, holding ``role`` on ``on`` if given; ``extra`` goes to ``create_user``."""
    u = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    if role:
        Role.objects.create(user=u, organisation=on, kind=role)
    return u


def id_number(birth="19800506", serial=None, region="430521"):
    """A valid 18-digit number; ``serial`` (3 digits) makes it unique, odd = male."""
    serial = serial if serial is not None else next(_seq) % 1000
    first17 = f"{region}{birth}{serial:03d}"
    return first17 + check_digit(first17)


def tree():
    """县委 → 镇党委 → 两个党总支 → 各两个支部."""
    county = org("某县委", OrganisationKind.COMMITTEE, code="county")
    town = org("城关镇党委", OrganisationKind.COMMITTEE, county, code="town")
    gb1 = org("社区党总支", OrganisationKind.GENERAL_BRANCH, town, code="gb1")
    gb2 = org("农村党总支", OrganisationKind.GENERAL_BRANCH, town, code="gb2")
    b1 = org("东街社区党支部", OrganisationKind.BRANCH, gb1, code="dongjie")
    b2 = org("西街社区党支部", OrganisationKind.BRANCH, gb1, code="xijie")
    b3 = org("青石村党支部", OrganisationKind.BRANCH, gb2, code="qingshi")
    b4 = org("柳林村党支部", OrganisationKind.BRANCH, gb2, code="liulin")
    return dict(county=county, town=town, gb1=gb1, gb2=gb2, b1=b1, b2=b2, b3=b3, b4=b4)
