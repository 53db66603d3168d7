"""The documents tests' own small world: a committee with two branches under their formal names.

Document text is checked word for word (“中共城关镇东街社区支部委员会”, “东街党支〔2026〕1号”), so
these organisations carry the names a real notice prints, unlike the shared county of tests/world.py.
"""
import pytest
from django.contrib.auth import get_user_model

from organisations.models import Organisation, OrganisationKind, Role, RoleKind


@pytest.fixture
def committee(db):
    return Organisation.objects.create(name="中共城关镇委员会", short_name="城关党委",
                                       kind=OrganisationKind.COMMITTEE, code="chengguan")


@pytest.fixture
def branch(committee):
    return Organisation.objects.create(name="中共城关镇东街社区支部委员会", short_name="东街党支",
                                       kind=OrganisationKind.BRANCH, code="dongjie", parent=committee)


@pytest.fixture
def other_branch(committee):
    return Organisation.objects.create(name="中共城关镇西街社区支部委员会", short_name="西街党支",
                                       kind=OrganisationKind.BRANCH, code="xijie", parent=committee)


@pytest.fixture
def clerk(branch):
    user = get_user_model().objects.create_user("clerk", password="pw-123456-x")
    Role.objects.create(user=user, organisation=branch, kind=RoleKind.CLERK)
    return user


def notice_context(**overrides):
    """A result-notice context as a workflow step would pass it (no org name, no number)."""
    ctx = {"member_name": "张红梅", "year": 2025, "score": "92.5", "grade": "优秀", "issue_date": "2026-01-15",
           "approver_name": "中共城关镇委员会"}
    ctx.update(overrides)
    return ctx
