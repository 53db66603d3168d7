"""Who is entitled to a branch meeting, from the records (issue 13), never from what is typed.

A 支部党员大会: the branch's full members on record (active 正式党员 of its subtree). A 支委会: the
committee on record, i.e. the people holding a secretary or committee-member role on the branch
itself; a branch committee has at least :data:`COMMITTEE_MIN` members (党支部委员会由3至5人组成,
a branch with fewer has no committee and reviews at a 党员大会). The typed 应到人数 is the number
on record: it may neither leave anyone out (below the record) nor count people the records do not
hold (above it; register them first).
"""
from typing import NamedTuple

from django.utils.translation import gettext as _

from members.models import Member, MemberKind
from organisations.models import Role, RoleKind

from ..errors import ReviewErrorCode as Code
from ..errors import error
from ..models import Attendance, MeetingKind, attendance
from workdays.wording import join_list

__all__ = ["Attendance", "COMMITTEE_MIN", "Person", "attendance", "check_attendees", "check_entitled",
           "committee_on_record", "entitled_on_record", "entitled_people", "members_on_record"]

COMMITTEE_MIN = 3
COMMITTEE_ROLES = (RoleKind.SECRETARY, RoleKind.COMMITTEE_MEMBER)


class Person(NamedTuple):
    """One person entitled to a meeting: ``key`` for a form (``u<user id>`` for a committee
    role holder, ``m<member id>`` for a member), the name shown, and the member record if any."""

    key: str
    name: str
    member: object


def _full_members(organisation):
    return Member.objects.filter(organisation__path__startswith=organisation.path, is_active=True,
                                 kind=MemberKind.PARTY_MEMBER)


def _committee(organisation):
    """The people holding a secretary or committee-member role on ``organisation``, by name."""
    roles = Role.objects.filter(organisation=organisation, kind__in=COMMITTEE_ROLES).select_related("user")
    users = {r.user_id: r.user for r in roles}
    members = {m.user_id: m for m in Member.objects.filter(user_id__in=users, is_active=True)}
    people = []
    for user_id, user in users.items():
        member = members.get(user_id)
        name = member.name if member is not None else (user.get_full_name() or user.get_username())
        people.append(Person(f"u{user_id}", name, member))
    return sorted(people, key=lambda p: (p.name, p.key))


def entitled_people(organisation, kind):
    """Who is entitled to attend a ``kind`` meeting of ``organisation``, from the records: the
    committee on record for a 支委会, the full members for a 支部党员大会 (the people the
    counts below count)."""
    if kind == MeetingKind.COMMITTEE:
        return _committee(organisation)
    return [Person(f"m{m.pk}", m.name, m) for m in _full_members(organisation).order_by("name", "pk")]


def committee_on_record(organisation):
    """The number of people holding a secretary or committee-member role on ``organisation``."""
    return Role.objects.filter(organisation=organisation, kind__in=COMMITTEE_ROLES).values("user").distinct().count()


def members_on_record(organisation):
    """The active full party members (正式党员) of ``organisation``'s subtree."""
    return _full_members(organisation).count()


def entitled_on_record(organisation, kind):
    return committee_on_record(organisation) if kind == MeetingKind.COMMITTEE else members_on_record(organisation)


def check_entitled(organisation, kind, entitled_count):
    """The entitled count to store: the number on record; a typed ``entitled_count`` must equal it.

    Raises ValidationError: ``committee_not_on_record`` (kind) for a 支委会 without a committee of
    3 on record; ``entitled_below_record`` / ``entitled_above_record`` (entitled_count) for a typed
    number below or above the record.
    """
    on_record = entitled_on_record(organisation, kind)
    if kind == MeetingKind.COMMITTEE and on_record < COMMITTEE_MIN:
        raise error("kind", Code.COMMITTEE_NOT_ON_RECORD,
                    _("“%(org)s”在册的支委只有 %(n)s 人（书记、支委角色），支委会至少 %(min)s 人；"
                      "请召开支部党员大会，或先在组织中登记支委。"), org=organisation, n=on_record, min=COMMITTEE_MIN)
    if entitled_count is None:
        return on_record
    if entitled_count < on_record:
        raise error("entitled_count", Code.ENTITLED_BELOW_RECORD,
                    _("应到人数 %(e)s 少于在册的 %(n)s 人（%(who)s），应到人数按在册人数计。"), e=entitled_count,
                    n=on_record, who=_("支委") if kind == MeetingKind.COMMITTEE else _("正式党员"))
    if entitled_count > on_record:
        raise error("entitled_count", Code.ENTITLED_ABOVE_RECORD,
                    _("应到人数 %(e)s 多于在册的 %(n)s 人（%(who)s）：应到人数按在册人数计，"
                      "名册中没有的人请先登记。"), e=entitled_count,
                    n=on_record, who=_("支委") if kind == MeetingKind.COMMITTEE else _("正式党员"))
    return entitled_count


def check_attendees(organisation, kind, attendees):
    """Raise ``attendee_not_entitled`` (attendees) if a listed member may not attend: not on the
    committee on record (支委会), or not an active full member of the branch (党员大会)."""
    allowed = {p.member.pk for p in entitled_people(organisation, kind) if p.member is not None}
    strangers = [m for m in attendees if m.pk not in allowed]
    if strangers:
        raise error("attendees", Code.ATTENDEE_NOT_ENTITLED,
                    _("%(names)s 不是%(who)s，不能列为%(kind)s的实到人员。"),
                    names=join_list(m.name for m in strangers),
                    who=_("在册支委") if kind == MeetingKind.COMMITTEE else _("本支部在册的正式党员"),
                    kind=MeetingKind(kind).label)
