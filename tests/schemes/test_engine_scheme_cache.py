"""``SchemeVersion.engine_scheme()`` parses a stored definition once per process, not once per
instance (a page whose rows each load their version), and never serves a stale definition."""
from datetime import date
from decimal import Decimal

import pytest

import scoring_engine
from organisations.models import Organisation, OrganisationKind
from schemes import models as scheme_models
from schemes.models import Scheme, SchemeVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def parses(monkeypatch):
    """The number of times a definition is parsed (the process-wide cache emptied first)."""
    calls = []
    real = scoring_engine.parse_scheme

    def counting(definition):
        calls.append(definition)
        return real(definition)

    monkeypatch.setattr(scoring_engine, "parse_scheme", counting)
    monkeypatch.setattr(scheme_models, "_PARSED", type(scheme_models._PARSED)())
    return calls


@pytest.fixture
def scheme():
    org = Organisation.objects.create(name="春和街道党工委", kind=OrganisationKind.COMMITTEE, code="chunhe")
    return Scheme.objects.create(organisation=org, name="2025年党员积分", cycle_start=date(2025, 1, 1),
                                 cycle_end=date(2025, 12, 31))


def test_each_row_loading_its_version_parses_it_once(scheme, parses):
    version = scheme.revise(preset_key="chunhe-street")
    parses.clear()
    parsed = [SchemeVersion.objects.get(pk=version.pk).engine_scheme() for _ in range(20)]
    assert len(parses) == 1
    assert all(p is parsed[0] for p in parsed)


def test_an_edited_definition_is_parsed_again_and_the_old_one_not_served(scheme, parses):
    version = scheme.revise(preset_key="chunhe-street")
    assert SchemeVersion.objects.get(pk=version.pk).engine_scheme().quotas[0].max_share == Decimal("0.15")
    scheme.revise(preset_key="chunhe-street", overrides={"excellent_share": "0.2"})  # unlocked: in place
    again = SchemeVersion.objects.get(pk=version.pk)
    assert again.engine_scheme().quotas[0].max_share == Decimal("0.2")
    count = len(parses)
    again.definition = dict(again.definition, quotas=[dict(again.definition["quotas"][0], max_share="0.1")])
    assert again.engine_scheme().quotas[0].max_share == Decimal("0.1")  # the instance's own definition
    assert len(parses) == count + 1


def test_the_cache_is_bounded(scheme, parses, monkeypatch):
    monkeypatch.setattr(scheme_models, "_PARSED_MAX", 2)
    version = scheme.revise(preset_key="chunhe-street")
    for share in ("0.1", "0.2", "0.3"):
        scheme.revise(preset_key="chunhe-street", overrides={"excellent_share": share})
        SchemeVersion.objects.get(pk=version.pk).engine_scheme()
    assert len(scheme_models._PARSED) == 2
