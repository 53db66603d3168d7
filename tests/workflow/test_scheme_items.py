"""Declarations are checked against the scheme in force: listed items fill their points in."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from reviews.services import declarations, meeting, rounds
from reviews.models import ReporterKind, local_today
from schemes.models import Scheme

from .conftest import D


def _scheme(org, preset, year=None):
    year = year or local_today().year
    scheme = Scheme.objects.create(organisation=org, name=preset, cycle_start=datetime.date(year, 1, 1),
                                   cycle_end=datetime.date(year, 12, 31))
    return scheme.revise(preset_key=preset)


def _declare(county, **extra):
    kwargs = dict(member=county.members[1], by=county.clerk, reporter_kind=ReporterKind.CLERK,
                  occurred_on=local_today().replace(day=1), description="事由")
    kwargs.update(extra)
    return declarations.create_declaration(**kwargs)


def test_listed_item_fills_in_fixed_points_and_refuses_others(county):
    version = _scheme(county.general, "zhongxiang-governance")  # found through the branch's ancestor
    declaration = _declare(county, component="virtue", rule_item="blood_donation", quantity=2)
    assert declaration.scheme_version == version
    assert declaration.points == D("10.00") and declaration.rule_item_label == "参与义务献血"
    with pytest.raises(ValidationError, match="固定为 5.00 分"):
        _declare(county, component="virtue", rule_item="blood_donation", points="8")
    with pytest.raises(ValidationError, match="不是“公益美德类”的细则条目"):
        _declare(county, component="virtue", rule_item="no_such_item")
    with pytest.raises(ValidationError, match="不在方案"):
        _declare(county, component="nonsense", rule_item="x", points="1")


def test_component_without_a_list_needs_points_of_the_accepted_sign(county):
    _scheme(county.east, "chunhe-street")
    declaration = _declare(county, component="bonus", rule_item="J-03", points="3")
    assert declaration.points == D("3.00")
    with pytest.raises(ValidationError, match="请填写申报分值"):
        _declare(county, component="bonus", rule_item="J-03")
    with pytest.raises(ValidationError, match="只接受正数"):
        _declare(county, component="deduction", rule_item="K-02", points="-2")


def test_without_a_scheme_the_declared_points_are_taken(county):
    declaration = _declare(county, component="bonus", rule_item="J-03", points="2.5")
    assert declaration.scheme_version is None and declaration.points == D("2.50")


def test_rural_scheme_requires_the_guide_to_sign(county, monkeypatch):
    from types import SimpleNamespace

    from reviews import integration

    # The resort-rural preset's version, without depending on the preset's current contents.
    monkeypatch.setattr(integration, "scheme_version_for",
                        lambda org, day: SimpleNamespace(preset_key="resort-rural", definition={}))
    start = local_today().replace(month=1, day=1)
    review_round = rounds.open_round(organisation=county.east, by=county.secretary, period_start=start)
    assert review_round.requires_guide_signatory and review_round.publicity_days == 7
    with pytest.raises(ValidationError, match="党建指导员"):
        meeting.record_meeting(review_round, county.clerk, kind="committee", held_on=local_today(),
                                entitled_count=5, attendee_count=3, minute_taker="王芳")
