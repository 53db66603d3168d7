"""The organisation tree and the one subtree permission rule."""
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from organisations.models import Organisation, OrganisationKind, Role, RoleKind
from organisations.permissions import BRANCH_STAFF, can_act_on, can_review, organisations_for, require
from tests.world import org, tree, user

pytestmark = pytest.mark.django_db


def test_paths_are_materialised_from_the_root():
    t = tree()
    assert t["county"].path == f"/{t['county'].pk}/"
    assert t["b1"].path == f"/{t['county'].pk}/{t['town'].pk}/{t['gb1'].pk}/{t['b1'].pk}/"
    assert t["b1"].depth == 3
    assert [o.name for o in t["b1"].ancestors()] == ["某县委", "城关镇党委", "社区党总支"]
    assert set(t["gb1"].subtree()) == {t["gb1"], t["b1"], t["b2"]}
    assert t["b1"].is_within(t["town"]) and not t["town"].is_within(t["b1"])


def test_sibling_with_numeric_prefix_is_not_inside_subtree():
    # "/1/" must not match "/12/": paths end with a slash.
    root = org("根", OrganisationKind.COMMITTEE)
    children = [org(f"支部{i}", parent=root) for i in range(12)]
    first = children[0]
    others = [c for c in children if str(c.pk).startswith(str(first.pk)) and c != first]
    for c in others:
        assert not c.is_within(first)
    assert set(first.subtree()) == {first}


def test_moving_a_subtree_rewrites_every_descendant_path():
    t = tree()
    group = org("东街第一党小组", OrganisationKind.GROUP, t["b1"])
    # Move 社区党总支 (with its branches and group) under 农村党总支.
    gb1 = Organisation.objects.get(pk=t["gb1"].pk)
    gb1.parent = t["gb2"]
    gb1.save()
    b1 = Organisation.objects.get(pk=t["b1"].pk)
    group = Organisation.objects.get(pk=group.pk)
    assert b1.path == f"{t['gb2'].path}{gb1.pk}/{b1.pk}/"
    assert group.path == f"{b1.path}{group.pk}/"
    assert b1.is_within(t["gb2"])
    assert set(t["gb2"].subtree()) >= {gb1, b1, group, t["b3"], t["b4"]}
    # Organisations outside the moved subtree keep their paths.
    assert Organisation.objects.get(pk=t["b3"].pk).path == t["b3"].path


def test_move_with_update_fields_stores_the_new_path():
    t = tree()
    gb1 = Organisation.objects.get(pk=t["gb1"].pk)
    gb1.parent = t["gb2"]
    gb1.save(update_fields=["parent"])
    assert Organisation.objects.get(pk=gb1.pk).path == f"{t['gb2'].path}{gb1.pk}/"
    assert Organisation.objects.get(pk=t["b1"].pk).path == f"{t['gb2'].path}{gb1.pk}/{t['b1'].pk}/"


def test_permissions_follow_a_moved_subtree():
    t = tree()
    reviewer = user("rev", role=RoleKind.REVIEWER, on=t["gb2"])
    assert not can_review(reviewer, t["b1"])
    gb1 = Organisation.objects.get(pk=t["gb1"].pk)
    gb1.parent = t["gb2"]
    gb1.save()
    b1 = Organisation.objects.get(pk=t["b1"].pk)
    assert can_review(reviewer, b1)
    assert b1 in organisations_for(reviewer)


def test_saving_a_stale_instance_after_its_ancestor_moved_keeps_the_right_path():
    t = tree()
    group = org("东街第一党小组", OrganisationKind.GROUP, t["b1"])
    stale_b1 = Organisation.objects.get(pk=t["b1"].pk)  # loaded before the move
    assert stale_b1.parent.path == t["gb1"].path  # parent cached with its old path
    gb1 = Organisation.objects.get(pk=t["gb1"].pk)
    gb1.parent = t["gb2"]
    gb1.save()
    stale_b1.name = "东街社区第一党支部"
    stale_b1.save()
    fresh = Organisation.objects.get(pk=t["b1"].pk)
    assert fresh.path == f"{t['gb2'].path}{gb1.pk}/{fresh.pk}/"
    assert Organisation.objects.get(pk=group.pk).path == f"{fresh.path}{group.pk}/"


def test_cannot_move_an_organisation_below_itself():
    t = tree()
    town = Organisation.objects.get(pk=t["town"].pk)
    town.parent = t["b1"]
    with pytest.raises(ValidationError, match="上级组织不能是本组织或其下级组织"):
        town.full_clean()
    with pytest.raises(ValidationError, match="上级组织不能是本组织或其下级组织"):
        town.save()
    # Nothing changed.
    assert Organisation.objects.get(pk=t["b1"].pk).path == t["b1"].path
    town.parent = town
    with pytest.raises(ValidationError, match="上级组织不能是本组织或其下级组织"):
        town.save()


def test_role_covers_own_subtree_only():
    t = tree()
    sec = user("sec", role=RoleKind.SECRETARY, on=t["b1"])
    assert can_act_on(sec, t["b1"])
    assert can_act_on(sec, t["b1"], BRANCH_STAFF)
    assert not can_act_on(sec, t["b2"])  # sibling
    assert not can_act_on(sec, t["gb1"])  # parent
    assert set(organisations_for(sec)) == {t["b1"]}
    committee = user("com", role=RoleKind.COMMITTEE_MEMBER, on=t["town"])
    assert set(organisations_for(committee)) == {t["town"], t["gb1"], t["gb2"], t["b1"], t["b2"], t["b3"], t["b4"]}
    assert not can_act_on(committee, t["county"])


def test_kinds_filter_and_single_kind_string():
    t = tree()
    clerk = user("clerk", role=RoleKind.CLERK, on=t["b1"])
    assert can_act_on(clerk, t["b1"], BRANCH_STAFF)
    assert not can_act_on(clerk, t["b1"], (RoleKind.SECRETARY,))
    # A bare string means that one kind, not its letters.
    assert can_act_on(clerk, t["b1"], RoleKind.CLERK)
    assert not can_act_on(clerk, t["b1"], "secretary")
    assert list(organisations_for(clerk, "clerk")) == [t["b1"]]
    assert not organisations_for(clerk, "reviewer").exists()


def test_require_names_the_organisation_and_roles():
    t = tree()
    sec = user("sec", role=RoleKind.SECRETARY, on=t["b1"])
    require(sec, t["b1"], BRANCH_STAFF)
    with pytest.raises(PermissionDenied) as exc:
        require(sec, t["b2"], (RoleKind.SECRETARY,))
    assert "西街社区党支部" in str(exc.value) and "书记" in str(exc.value)


def test_anonymous_inactive_and_superuser():
    t = tree()
    assert not can_act_on(AnonymousUser(), t["b1"])
    assert not organisations_for(AnonymousUser()).exists()
    sec = user("sec", role=RoleKind.SECRETARY, on=t["b1"])
    sec.is_active = False
    sec.save()
    assert not can_act_on(sec, t["b1"])
    root = user("root", is_superuser=True)
    assert can_act_on(root, t["b4"]) and can_review(root, t["b4"])
    assert organisations_for(root).count() == Organisation.objects.count()


def test_role_on_deactivated_organisation_grants_nothing():
    t = tree()
    sec = user("sec", role=RoleKind.SECRETARY, on=t["b1"])
    t["b1"].is_active = False
    t["b1"].save()
    assert not can_act_on(sec, t["b1"])


def test_can_review_needs_a_strict_ancestor():
    t = tree()
    rev_branch = user("rb", role=RoleKind.REVIEWER, on=t["b1"])
    assert not can_review(rev_branch, t["b1"])  # cannot file its own round
    rev_town = user("rt", role=RoleKind.REVIEWER, on=t["town"])
    assert can_review(rev_town, t["b1"]) and can_review(rev_town, t["gb2"])
    assert not can_review(rev_town, t["town"]) and not can_review(rev_town, t["county"])
    sec_town = user("st", role=RoleKind.SECRETARY, on=t["town"])
    assert not can_review(sec_town, t["b1"])  # the role kind matters


def test_role_unique_per_user_org_kind():
    from django.db import IntegrityError, transaction

    t = tree()
    u = user("u", role=RoleKind.CLERK, on=t["b1"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Role.objects.create(user=u, organisation=t["b1"], kind=RoleKind.CLERK)
