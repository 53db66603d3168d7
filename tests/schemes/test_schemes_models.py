"""Stored schemes: validation on save, versions, and immutability once a cycle has scores."""
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from organisations.models import Organisation, OrganisationKind
from schemes.models import Scheme, SchemeLocked, SchemeVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheme():
    org = Organisation.objects.create(name="春和街道党工委", kind=OrganisationKind.COMMITTEE, code="chunhe")
    return Scheme.objects.create(organisation=org, name="2025年党员积分", cycle_start=date(2025, 1, 1),
                                 cycle_end=date(2025, 12, 31))


def test_revise_stores_a_validated_resolved_definition(scheme):
    version = scheme.revise(preset_key="chunhe-street", overrides={"excellent_share": "0.2"})
    assert version.number == 1
    assert version.definition["quotas"][0]["max_share"] == "0.2"
    assert version.definition["params"]["base_quarter_cap"] == 10
    assert version.engine_scheme().quotas[0].max_share == Decimal("0.2")


def test_invalid_definition_is_rejected_with_the_field(scheme):
    with pytest.raises(ValidationError) as caught:
        scheme.revise(preset_key="county-7-3", overrides={"daily_weight": "0.6"})
    assert "combination.terms[1].weight" in str(caught.value)
    assert not scheme.versions.exists()


def test_unlocked_scheme_is_edited_in_place(scheme):
    first = scheme.revise(preset_key="chunhe-street")
    second = scheme.revise(preset_key="chunhe-street", overrides={"excellent_share": "0.1"})
    assert first.pk == second.pk and second.number == 1
    assert scheme.versions.count() == 1


def test_locked_scheme_gets_a_new_version_and_old_one_is_immutable(scheme):
    first = scheme.revise(preset_key="chunhe-street")
    assert not scheme.is_locked()
    scheme.lock()
    assert scheme.is_locked() and Scheme.objects.get(pk=scheme.pk).is_locked()
    second = scheme.revise(preset_key="chunhe-street", overrides={"excellent_share": "0.1"}, note="调整优秀比例")
    assert (first.number, second.number) == (1, 2)
    assert scheme.current_version() == second
    first.refresh_from_db()
    first.note = "tampered"
    with pytest.raises(SchemeLocked):
        first.save()
    with pytest.raises(SchemeLocked):
        second.delete()
    assert SchemeVersion.objects.get(pk=first.pk).note == ""


def test_results_name_the_version(scheme):
    scheme.revise(preset_key="chunhe-street")
    scheme.lock()
    version = scheme.revise(preset_key="chunhe-street", overrides={"appraisal_weight": "0.3"})
    members = [{"id": "m1"}]
    events = [{"member": "m1", "date": "2025-03-01", "component": "base", "points": 10}]
    result = version.compute(members, events, {"m1": {"score": 50}})
    assert result["scheme_version"] == {"scheme_id": scheme.pk, "number": 2}
    assert result["members"][0]["total"] == 25.0  # 10 + 0.3 × 50


def test_cycle_kind_is_checked():
    org = Organisation.objects.create(name="某支部", kind=OrganisationKind.BRANCH, code="b1")
    s = Scheme(organisation=org, name="x", cycle_kind="july", cycle_start=date(2025, 1, 1), cycle_end=date(2025, 12, 31))
    with pytest.raises(ValidationError) as caught:
        s.full_clean()
    assert "cycle_start" in caught.value.message_dict
    s = Scheme(organisation=org, name="x", cycle_kind="july", cycle_start=date(2024, 7, 1), cycle_end=date(2025, 7, 1))
    with pytest.raises(ValidationError) as caught:
        s.full_clean()
    assert "cycle_end" in caught.value.message_dict
    Scheme(organisation=org, name="x", cycle_kind="july", cycle_start=date(2024, 7, 1),
           cycle_end=date(2025, 6, 30)).full_clean()


@pytest.fixture
def tree():
    county = Organisation.objects.create(name="县委", kind=OrganisationKind.COMMITTEE, code="c")
    town = Organisation.objects.create(name="镇党委", kind=OrganisationKind.COMMITTEE, parent=county, code="c-t")
    branch = Organisation.objects.create(name="东街社区党支部", kind=OrganisationKind.BRANCH, parent=town, code="c-t-b")
    other = Organisation.objects.create(name="西街社区党支部", kind=OrganisationKind.BRANCH, parent=town, code="c-t-o")
    return county, town, branch, other


def _scheme_for(org, name, start, end, preset="chunhe-street"):
    scheme = Scheme.objects.create(organisation=org, name=name, cycle_start=start, cycle_end=end)
    scheme.revise(preset_key=preset)
    return scheme


def test_in_force_is_the_nearest_scheme_up_the_tree_whose_cycle_covers_the_day(tree, django_assert_num_queries):
    county, town, branch, other = tree
    county_2025 = _scheme_for(county, "县", date(2025, 1, 1), date(2025, 12, 31))
    town_2025 = _scheme_for(town, "镇", date(2025, 1, 1), date(2025, 12, 31))
    _scheme_for(other, "西街", date(2025, 1, 1), date(2025, 12, 31))           # a sibling's scheme never applies
    town_july = _scheme_for(town, "镇七一", date(2025, 7, 1), date(2026, 6, 30))
    with django_assert_num_queries(1):
        assert Scheme.objects.in_force(branch, date(2025, 3, 1)) == town_2025
    assert Scheme.objects.in_force(branch, date(2025, 7, 1)) == town_july            # the latest cycle start
    assert Scheme.objects.in_force(town, date(2025, 12, 31)) == town_july
    assert Scheme.objects.in_force(county, date(2025, 12, 31)) == county_2025
    assert Scheme.objects.in_force(branch, date(2026, 7, 1)) is None                 # no cycle covers the day
    branch_own = _scheme_for(branch, "东街", date(2025, 1, 1), date(2025, 12, 31))
    assert Scheme.objects.in_force(branch, date(2025, 3, 1)) == branch_own
    assert Scheme.objects.in_force(Organisation(name="未保存"), date(2025, 3, 1)) is None


def test_the_version_in_force_is_the_current_version_of_the_scheme_in_force(tree):
    county, town, branch, _other = tree
    assert SchemeVersion.objects.in_force(branch, date(2025, 3, 1)) is None
    scheme = Scheme.objects.create(organisation=town, name="镇", cycle_start=date(2025, 1, 1), cycle_end=date(2025, 12, 31))
    assert SchemeVersion.objects.in_force(branch, date(2025, 3, 1)) is None          # no version yet
    first = scheme.revise(preset_key="chunhe-street")
    scheme.lock()
    second = scheme.revise(preset_key="chunhe-street", overrides={"excellent_share": "0.1"})
    version = SchemeVersion.objects.in_force(branch, date(2025, 3, 1))
    assert version == second and version != first and version.scheme == scheme
