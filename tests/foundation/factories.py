"""Small builders shared by the foundation tests."""
import itertools

from django.contrib.auth import get_user_model

from members.idcard import check_digit
from organisations.models import Organisation, OrganisationKind, Role

_seq = itertools.count(1)


def org(name, kind=OrganisationKind.BRANCH, parent=None, code=None):
    return Organisation.objects.create(
        name=name, kind=kind, parent=parent, code=code or f"org-{next(_seq)}"
    )


def user(username, *, role=None, on=None, **extra):
    u = get_user_model().objects.create_user(username=username, password="pw-" + username, **extra)
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
