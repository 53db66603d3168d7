"""A small county for the UI tests: 镇党委 → 党总支 → 东街/西街支部, logins for every role."""
import datetime
import io
import itertools
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from members.models import Member
from organisations.models import Organisation, OrganisationKind, Role, RoleKind
from reviews.services import declarations, filing, rounds
from reviews.services import meeting as meeting_service
from reviews.models import MeetingKind, ReporterKind, local_today

PASSWORD = "ui-test-pw-2025"
_seq = itertools.count(1)


def make_user(username, full_name, *roles):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, first_name=full_name)
    for kind, org in roles:
        Role.objects.create(user=user, organisation=org, kind=kind)
    return user


def previous_quarter(today=None):
    today = today or local_today()
    q_start_month = ((today.month - 1) // 3) * 3 + 1
    this_q = datetime.date(today.year, q_start_month, 1)
    end = this_q - datetime.timedelta(days=1)
    start = datetime.date(end.year, ((end.month - 1) // 3) * 3 + 1, 1)
    return start, end


def png_bytes(colour=(200, 30, 30)):
    """A real PNG (a small image) built without Pillow."""
    import struct
    import zlib

    width, height = 32, 24
    raw = b"".join(b"\x00" + bytes(colour) * width for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def photo(name="photo.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def build():
    town = Organisation.objects.create(name="城关镇党委", kind=OrganisationKind.COMMITTEE, code="ui-town")
    general = Organisation.objects.create(
        name="社区党总支", kind=OrganisationKind.GENERAL_BRANCH, parent=town, code="ui-gb")
    east = Organisation.objects.create(
        name="东街社区党支部", kind=OrganisationKind.BRANCH, parent=general, code="ui-east")
    west = Organisation.objects.create(
        name="西街社区党支部", kind=OrganisationKind.BRANCH, parent=general, code="ui-west")
    w = SimpleNamespace(town=town, general=general, east=east, west=west)
    w.secretary = make_user("liang-secretary", "梁红梅", (RoleKind.SECRETARY, east))
    w.clerk = make_user("tang-clerk", "唐丽娜", (RoleKind.CLERK, east))
    w.west_secretary = make_user("han-west", "韩立新", (RoleKind.SECRETARY, west))
    w.reviewer = make_user("gao-reviewer", "高明远", (RoleKind.REVIEWER, general))
    w.members = [
        Member.objects.create(organisation=east, name=n, phone=f"1380000{i:04d}", id_number=None)
        for i, n in enumerate(("张红梅", "刘志强", "陈小燕", "赵卫东", "孙丽"))
    ]
    w.member_user = make_user("zhang-member", "张红梅")
    w.members[0].user = w.member_user
    w.members[0].save()
    w.west_member = Member.objects.create(organisation=west, name="周明")
    return w


def declare(w, member=None, points="2", by=None, **extra):
    member = member or w.members[1]
    start, _end = previous_quarter()
    kwargs = dict(
        member=member, by=by or w.clerk,
        reporter_kind=ReporterKind.SELF if by is not None and member.user_id == by.pk else ReporterKind.CLERK,
        component="发挥作用", rule_item="B-03", rule_item_label="志愿服务", points=points,
        occurred_on=start + datetime.timedelta(days=20), description="参加社区防火巡查", place="东街社区",
    )
    kwargs.update(extra)
    return declarations.create_declaration(**kwargs)


def open_round(w):
    start, end = previous_quarter()
    return rounds.open_round(organisation=w.east, by=w.secretary, period_start=start, period_end=end)


def meeting(w, rr, **extra):
    kwargs = dict(kind=MeetingKind.COMMITTEE, held_on=local_today(), entitled_count=5, attendee_count=3,
                  attendee_names="梁红梅、唐丽娜、赵卫东", minute_taker="唐丽娜")
    kwargs.update(extra)
    return meeting_service.record_meeting(rr, w.secretary, **kwargs)


def round_in_publicity(w):
    """A round filed by the reviewer: its results publicity is open today."""
    declare(w, w.members[1], "2")
    declare(w, w.members[2], "3", evidence=[photo()])
    rr = open_round(w)
    meeting(w, rr)
    meeting_service.bulk_approve(rr, w.secretary)
    meeting_service.submit_to_higher(rr, w.secretary)
    filing.file_round(rr, w.reviewer, "同意备案")
    rr.refresh_from_db()
    return rr


__all__ = ["local_today", "io", "build", "declare", "open_round", "meeting", "round_in_publicity", "photo", "PASSWORD"]
