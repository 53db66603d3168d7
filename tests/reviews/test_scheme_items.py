"""Declarations are checked against the scheme in force: listed items fill their points in."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from reviews import integration
from reviews.models import ReporterKind, local_today
from reviews.services import declarations, meeting, points, rounds
from schemes.models import Scheme
from tests.world import D


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


def test_rural_scheme_requires_the_guide_to_sign(county):
    _scheme(county.general, "resort-rural")  # [review] rural = true: 篇十六 度假区 l.1293
    start = local_today().replace(month=1, day=1)
    review_round = rounds.open_round(organisation=county.east, by=county.secretary, period_start=start)
    assert review_round.requires_guide_signatory and review_round.publicity_days == 7
    assert (review_round.period_kind, review_round.period_end) == ("quarter", start.replace(month=3, day=31))
    with pytest.raises(ValidationError, match="党建指导员"):
        meeting.record_meeting(review_round, county.clerk, kind="committee", held_on=local_today(),
                               entitled_count=3, attendee_count=2, minute_taker="王芳")


def test_rounds_cover_the_publicity_period_of_the_scheme_in_force(county):
    """钟祥 "一月一审核、一季一公示" (篇十六 l.1469–1471): a quarter's round, reviewed month by month;
    without a scheme, quarterly rounds."""
    start = local_today().replace(month=1, day=1)
    _scheme(county.east, "zhongxiang-governance")
    plain = rounds.open_round(organisation=county.west, by=county.west_secretary, period_start=start)
    assert (plain.period_kind, plain.period_end, plain.requires_guide_signatory) == ("quarter",
                                                                                    start.replace(month=3, day=31),
                                                                                    False)
    quarterly = rounds.open_round(organisation=county.east, by=county.secretary, period_start=start)
    assert (quarterly.period_kind, quarterly.period_end, quarterly.publicity_days) == (
        "quarter", start.replace(month=3, day=31), 7)
    assert integration.review_periods(quarterly) == [
        (start, start.replace(day=31)), (start.replace(month=2), start.replace(month=3, day=1) - datetime.timedelta(days=1)),
        (start.replace(month=3), start.replace(month=3, day=31))]
    settings = integration.scheme_settings(county.east, start)
    assert (settings["period_kind"], settings["publicity_days"], settings["rural"]) == ("quarter", 7, False)
    review = integration.review_settings(county.east, start)
    assert (review.cadence, review.publicity_cadence) == ("monthly", "quarterly")
    assert integration.scheme_settings(county.west, start)["period_kind"] == "quarter"
    assert integration.review_periods(plain) == [(plain.period_start, plain.period_end)]


def test_a_yearly_cadence_opens_a_round_for_the_year(county):
    """非公 评星 once a year (篇十三 l.787–793): one round covers the scheme's year."""
    _scheme(county.east, "star-nonpublic")
    start = local_today().replace(month=1, day=1)
    review_round = rounds.open_round(organisation=county.east, by=county.secretary, period_start=start)
    assert (review_round.period_kind, review_round.period_end) == ("year", start.replace(month=12, day=31))
    assert review_round.period_label == f"{start.year}年度"


def _refusal(county, **extra):
    with pytest.raises(ValidationError) as caught:
        _declare(county, **extra)
    [(field, [error])] = caught.value.error_dict.items()
    return field, error.code


def test_refusals_name_the_field_and_the_code(county):
    _scheme(county.general, "resort-rural")
    assert _refusal(county, component="nonsense", rule_item="x", points="1") == ("component", "unknown_component")
    assert _refusal(county, component="appraisal", rule_item="x", points="1") == ("component", "unknown_component")
    assert _refusal(county, component="contribution", rule_item="x", points="1") == ("rule_item", "unknown_item")
    assert _refusal(county, component="org_life", rule_item="absence", points="3") == ("points",
                                                                                      "points_fixed_by_item")
    assert _refusal(county, component="contribution", rule_item="other") == ("points", "points_required")
    assert _refusal(county, component="contribution", rule_item="other", points="-1") == ("points",
                                                                                         "points_must_be_positive")


def test_a_ranged_item_takes_points_within_its_range(county):
    """度假区 "参与村集体义务劳动和公益活动…加5-10分" (篇十六 l.1279)."""
    _scheme(county.general, "resort-rural")
    declaration = _declare(county, component="contribution", rule_item="public_welfare", points="8")
    assert declaration.points == D("8.00") and declaration.rule_item_label == "参与义务劳动和公益活动、为村公益事业出资出力"
    assert _refusal(county, component="contribution", rule_item="public_welfare", points="12") == (
        "points", "points_out_of_range")
    with pytest.raises(ValidationError, match="应在 10 至 20 分之间"):
        _declare(county, component="contribution", rule_item="public_welfare", points="9", quantity=2)


def test_signed_points_come_from_the_scheme(county):
    """倒扣 deducts the magnitude whatever the sign; a negatively weighted component counts negatively."""
    _scheme(county.general, "resort-rural")
    absence = _declare(county, component="org_life", rule_item="absence")
    assert points.signed_points(absence) == D("-2.00")
    assert points.signed_points(absence, D("-2")) == D("-2")
    welfare = _declare(county, component="contribution", rule_item="public_welfare", points="6")
    assert points.signed_points(welfare) == D("6.00")
    assert integration.signed_points(None, "deduction", D(3)) == D(-3)        # no scheme: the name rule
    assert integration.signed_points(None, "bonus", D(3)) == D(3)
    assert integration.signed_points(absence.scheme_version, "no_such_component", D(3)) == D(3)
