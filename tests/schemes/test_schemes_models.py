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
