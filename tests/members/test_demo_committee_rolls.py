"""Trial 5: the demo's 支委 宋国栋 (dongjie_committee) had no member record in 东街, so as 记录人 of a
支部党员大会 he could not be ticked present. A committee member is on both rolls: the 支委会's
(the committee on record) and the 党员大会's (the full members), as the same person."""
import io

import pytest

from members.demo import COMMITTEE_BRANCHES, COMMITTEE_MEMBERS, MEMBER_USERS, build_people
from members.models import Member, MemberKind
from organisations.models import Organisation, OrganisationKind
from reviews.models import MeetingKind
from reviews.services import quorum

pytestmark = pytest.mark.django_db


def test_committee_members_are_on_the_branch_roll_as_the_same_people():
    build_people(io.StringIO())
    for username, (code, *_rest) in COMMITTEE_MEMBERS.items():
        member = Member.objects.get(user__username=username)
        assert (member.organisation.code, member.kind, member.is_active) == (code, MemberKind.PARTY_MEMBER, True)
    song = Member.objects.get(user__username="dongjie_committee")
    assert song.name == "宋国栋"
    for code in COMMITTEE_BRANCHES:
        branch = Organisation.objects.get(code=code)
        if branch.kind != OrganisationKind.BRANCH:
            continue
        committee = quorum.entitled_people(branch, MeetingKind.COMMITTEE)
        meeting = {p.member.pk for p in quorum.entitled_people(branch, MeetingKind.BRANCH_MEETING)}
        assert len(committee) >= quorum.COMMITTEE_MIN, code
        for person in committee:  # every 支委 is one of the branch's full members, the same record
            assert person.member is not None and person.member.pk in meeting, (code, person)
    for username in MEMBER_USERS:  # member logins keep their own records
        assert Member.objects.filter(user__username=username).exists(), username
    assert Member.objects.filter(user__username="member_dongjie").get().user.username == "member_dongjie"
