"""load_demo: a realistic county, idempotent, stages imported before anything runs."""
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import HttpRequest
from django.test import override_settings

from members.demo import DEMO_PASSWORD, demo_users
from members.idcard import validate_id_number
from members.models import Exclusion, Member, MemberCategory, MemberKind, Transfer
from organisations.models import Organisation, OrganisationKind, Role, RoleKind
from organisations.permissions import can_act_on, can_review
from workdays.clock import local_today

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::UserWarning"),
]
FAST = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


def counts():
    User = get_user_model()
    return {
        "org": Organisation.objects.count(), "member": Member.objects.count(), "user": User.objects.count(),
        "role": Role.objects.count(), "exclusion": Exclusion.objects.count(), "transfer": Transfer.objects.count(),
        "category": MemberCategory.objects.count(),
        "members_state": list(Member.objects.order_by("pk").values_list(
            "pk", "name", "organisation_id", "is_active", "user_id", "updated_at")),
        "passwords": list(User.objects.order_by("pk").values_list("username", "password")),
    }


def load():
    out = io.StringIO()
    call_command("load_demo", force=True, stdout=out)
    return out.getvalue()


@FAST
def test_load_demo_twice_changes_nothing():
    first_out = load()
    first = counts()
    second_out = load()
    assert counts() == first
    assert "未作任何更改" in second_out and "未作任何更改" not in first_out
    assert "| admin | " + DEMO_PASSWORD in first_out


@FAST
def test_demo_county_shape():
    load()
    kinds = lambda k: Organisation.objects.filter(kind=k, code__startswith="demo-").count()  # noqa: E731
    assert kinds(OrganisationKind.GENERAL_BRANCH) == 3
    assert kinds(OrganisationKind.BRANCH) == 12
    assert kinds(OrganisationKind.VILLAGE) == 1 and kinds(OrganisationKind.GRID) == 3
    people = Member.objects.exclude(kind=MemberKind.HOUSEHOLD)
    assert 140 <= people.count() <= 160
    households = Member.objects.filter(kind=MemberKind.HOUSEHOLD)
    assert households.count() == 60
    assert all(h.organisation.kind == OrganisationKind.GRID for h in households)
    used = set(people.values_list("category__code", flat=True))
    assert {"in_service", "rural", "mobile", "retired", "village_cadre", "no_post"} <= used
    assert people.filter(kind=MemberKind.PROBATIONARY).exists() and people.filter(kind=MemberKind.ACTIVIST).exists()
    for number in people.values_list("id_number", flat=True):
        assert validate_id_number(number) == number
    for m in people.exclude(joined_on=None):
        assert m.joined_on.year - m.birth_date.year >= 18
    assert Exclusion.objects.filter(approved_on__isnull=False).count() >= 3
    assert Exclusion.objects.filter(approved_on__isnull=True).exists()
    newcomer = Transfer.objects.get(direction="in").member
    
    assert not newcomer.eligible_for_commendation(local_today())
    assert Member.objects.filter(is_active=False).count() == 1


@FAST
def test_demo_users_log_in_and_hold_their_roles(client):
    load()
    User = get_user_model()
    for username, password, *_ in demo_users():
        # django-axes needs the request to authenticate (its docs: pass one to Client.login)
        assert client.login(request=HttpRequest(), username=username, password=password), username
        client.logout()
    for kind in RoleKind.values:
        assert Role.objects.filter(kind=kind).exists(), kind
    dongjie = Organisation.objects.get(code="demo-dongjie")
    xijie = Organisation.objects.get(code="demo-xijie")
    sec = User.objects.get(username="dongjie_secretary")
    assert can_act_on(sec, dongjie) and not can_act_on(sec, xijie)
    assert can_review(User.objects.get(username="town_reviewer"), dongjie)
    linked = Member.objects.filter(user__username__startswith="member_")
    assert linked.count() == 4
    assert User.objects.get(username="admin").is_superuser


@FAST
def test_unimportable_stage_raises_before_anything_runs(monkeypatch):
    from members.management.commands import load_demo

    monkeypatch.setattr(load_demo, "DEMO_STAGES", ["members.demo.build_people", "reviews.demo.no_such_stage"])
    with pytest.raises(CommandError) as exc:
        call_command("load_demo", force=True, stdout=io.StringIO())
    assert "reviews.demo.no_such_stage" in str(exc.value)
    assert Organisation.objects.count() == 0


def test_refuses_without_force_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG 已关闭"):
        call_command("load_demo", stdout=io.StringIO())
    assert Member.objects.count() == 0
