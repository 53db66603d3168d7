import datetime

import pytest

from members.models import Member
from organisations.models import Organisation, OrganisationKind

CYCLE = datetime.date(2025, 1, 1)


@pytest.fixture
def tree(db):
    committee = Organisation.objects.create(name="城关镇党委", kind=OrganisationKind.COMMITTEE, code="chengguan")
    branch_a = Organisation.objects.create(
        name="东街社区党支部", kind=OrganisationKind.BRANCH, code="dongjie", parent=committee
    )
    branch_b = Organisation.objects.create(
        name="西街社区党支部", kind=OrganisationKind.BRANCH, code="xijie", parent=committee
    )
    group_a1 = Organisation.objects.create(
        name="东街第一党小组", kind=OrganisationKind.GROUP, code="dongjie-1", parent=branch_a
    )
    members = {
        "zhang": Member.objects.create(organisation=branch_a, name="张三"),
        "li": Member.objects.create(organisation=group_a1, name="李四"),
        "wang": Member.objects.create(organisation=branch_b, name="王五"),
        "zhao": Member.objects.create(organisation=branch_a, name="赵六"),  # no entries
    }
    return {"committee": committee, "a": branch_a, "b": branch_b, "a1": group_a1, **members}


@pytest.fixture
def clerk(db, django_user_model):
    return django_user_model.objects.create_user("clerk", password="pw-long-enough-1")
