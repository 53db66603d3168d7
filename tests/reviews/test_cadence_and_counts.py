"""The scheme's cadence, cycle, publicity days and per-period item counts in the review chain (issue 10)."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from reviews import integration
from reviews.models import DeclarationStatus, ReporterKind
from reviews.services import declarations, meeting, rounds
from reviews.services.publicity import publicity_end
from schemes.models import Scheme
from tests.world import quorate_meeting


def scheme(org, preset, start=datetime.date(2025, 1, 1), overrides=None):
    end = datetime.date(start.year + 1, start.month, start.day) - datetime.timedelta(days=1)
    created = Scheme.objects.create(organisation=org, name=preset, cycle_start=start, cycle_end=end)
    return created.revise(preset_key=preset, overrides=overrides or {})


def declare(county, day, item, component="family", quantity=1):
    return declarations.create_declaration(
        member=county.members[1], by=county.clerk, reporter_kind=ReporterKind.CLERK, component=component,
        rule_item=item, occurred_on=day, description="事由", quantity=quantity)


def refusal(call):
    with pytest.raises(ValidationError) as caught:
        call()
    [(field, [error])] = caught.value.error_dict.items()
    return field, error.code


def test_a_yearly_item_is_declared_once_a_year(county):
    """钟祥 家庭无家暴现象及虐待家人行为，当年积10分 (篇十六 l.1619): a second declaration is refused."""
    scheme(county.general, "zhongxiang-governance")
    first = declare(county, datetime.date(2025, 1, 5), "no_domestic_violence")
    assert refusal(lambda: declare(county, datetime.date(2025, 6, 5), "no_domestic_violence")) == (
        "quantity", "item_period_count_exceeded")
    declarations.withdraw_declaration(first, county.clerk)   # withdrawn: it no longer counts
    declare(county, datetime.date(2025, 6, 5), "no_domestic_violence")


def test_a_monthly_item_is_declared_once_a_month(county):
    """钟祥 家庭内外环境整洁、干净卫生，当月积5分 (篇十六 l.1633)."""
    scheme(county.general, "zhongxiang-governance")
    declare(county, datetime.date(2025, 3, 5), "tidy_home")
    with pytest.raises(ValidationError, match="每月最多计 1 次，本期已申报 1 次"):
        declare(county, datetime.date(2025, 3, 25), "tidy_home")
    declare(county, datetime.date(2025, 4, 2), "tidy_home")
    assert refusal(lambda: declare(county, datetime.date(2025, 5, 2), "tidy_home", quantity=2)) == (
        "quantity", "item_count_exceeded")


def test_rounds_of_a_july_cycle_count_their_periods_from_july(county):
    """篇四 l.143 (起始点为每年的年初或“七一”): a round's period and cycle come from the scheme."""
    scheme(county.general, "chengde-pioneer-index", start=datetime.date(2025, 7, 1))
    rr = rounds.open_round(organisation=county.east, by=county.secretary, period_start=datetime.date(2025, 7, 1))
    assert (rr.cycle_start, rr.period_start, rr.period_end, rr.period_kind) == (
        datetime.date(2025, 7, 1), datetime.date(2025, 7, 1), datetime.date(2025, 9, 30), "quarter")
    settings = integration.scheme_settings(county.east, datetime.date(2026, 2, 10))
    assert integration.round_period(settings, datetime.date(2026, 2, 10)) == (datetime.date(2026, 1, 1),
                                                                              datetime.date(2026, 3, 31))
    assert rounds.period_for(datetime.date(2025, 8, 15), "half_year", datetime.date(2025, 7, 1)) == (
        datetime.date(2025, 7, 1), datetime.date(2025, 12, 31))


def test_a_school_semester_round_holds_two_quarterly_meetings(county):
    """篇十三 学校 l.607, l.621–625: 七一 cycle, quarterly reports, publicity each semester."""
    scheme(county.general, "star-five-school", start=datetime.date(2025, 7, 1))
    rr = rounds.open_round(organisation=county.east, by=county.secretary, period_start=datetime.date(2025, 7, 1))
    assert (rr.period_kind, rr.period_end, rr.period_label) == ("half_year", datetime.date(2025, 12, 31), "2025年下半年")
    assert integration.review_periods(rr) == [(datetime.date(2025, 7, 1), datetime.date(2025, 9, 30)),
                                              (datetime.date(2025, 10, 1), datetime.date(2025, 12, 31))]


def test_publicity_may_last_working_days(county):
    """A scheme may count its publicity in working days: 7 working days from Friday 2025-09-26 are 9-26,
    9-28 (调休), 9-29, 9-30, then after 国庆 10-9, 10-10 and 10-11 (调休): 16 natural days."""
    scheme(county.general, "chunhe-street", overrides={"review": {
        "cadence": "quarterly", "publicity_days": 7, "publicity_days_kind": "working"}})
    rr = rounds.open_round(organisation=county.east, by=county.secretary, period_start=datetime.date(2025, 7, 1))
    assert rr.publicity_working_days and rr.publicity_days == 7
    assert publicity_end(rr, datetime.date(2025, 9, 26)) == datetime.date(2025, 10, 11)
    rr.publicity_working_days = False
    assert publicity_end(rr, datetime.date(2025, 9, 26)) == datetime.date(2025, 10, 2)


def test_several_meetings_decide_one_publicity_periods_declarations(county):
    """A round at the branch meeting takes a new meeting for each review period; all are decided before filing."""
    scheme(county.general, "zhongxiang-governance", start=datetime.date(2024, 1, 1))
    january = declare(county, datetime.date(2024, 1, 5), "education_upgrade")
    rr = rounds.open_round(organisation=county.east, by=county.secretary, period_start=datetime.date(2024, 1, 1))
    quorate_meeting(county, rr, held_on=datetime.date(2024, 2, 1))
    meeting.bulk_approve(rr, county.clerk)
    february = declare(county, datetime.date(2024, 2, 5), "education_upgrade")
    assert february.review_round == rr  # the round is still at its branch meeting: it joins by itself
    assert rounds.collect_declarations(rr, county.clerk) == []
    second = quorate_meeting(county, rr, held_on=datetime.date(2024, 3, 1))
    meeting.bulk_approve(rr, county.clerk)
    january.refresh_from_db()
    february.refresh_from_db()
    assert january.decided_at_meeting != second and february.decided_at_meeting == second
    assert {january.status, february.status} == {DeclarationStatus.APPROVED}
