"""Issue 13, item 11: values outside their domain are refused with an error on the field."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reviews.errors import ReviewErrorCode as Code
from reviews.models import Declaration, DeclarationStatus, ReviewRound, local_today
from reviews.services import meeting, rounds
from reviews.services.points import parse_points
from tests import world

pytestmark = pytest.mark.django_db


def _code(caught, field):
    return caught.value.error_dict[field][0].code


@pytest.mark.parametrize("typed", ["1e5", "1E5", "2e0", "-1e2", "NaN", "Infinity", "1e-2"])
def test_exponent_notation_and_non_numbers_are_not_points(typed):
    with pytest.raises(ValidationError) as caught:
        parse_points(typed, field="decided_points", label="调整后的分值")
    assert _code(caught, "decided_points") == Code.POINTS_INVALID


def test_an_adjusted_score_of_1e5_is_refused_on_the_meeting_screen(w, client):
    d = world.declare(w)
    rr = world.open_round(w)
    world.quorate_meeting(w, rr)
    client.force_login(w.secretary)
    url = reverse("reviews:branch_meeting", args=[rr.pk])
    response = client.post(url, {"action": "decide", f"outcome_{d.pk}": "adjusted", f"points_{d.pk}": "1e5",
                                 f"reason_{d.pk}": "核减"})
    assert response.status_code == 400
    d.refresh_from_db()
    assert d.status == DeclarationStatus.SUBMITTED and d.decided_points is None


def test_an_adjusted_score_beyond_the_scheme_item_is_refused(w):
    from reviews.models import ReporterKind
    from reviews.services import declarations
    from schemes.models import Scheme

    year = local_today().year
    Scheme.objects.create(organisation=w.general, name="钟祥", cycle_start=datetime.date(year, 1, 1),
                          cycle_end=datetime.date(year, 12, 31)).revise(preset_key="zhongxiang-governance")
    day = local_today().replace(day=1)
    d = declarations.create_declaration(member=w.members[1], by=w.clerk, reporter_kind=ReporterKind.CLERK,
                                        occurred_on=day, description="献血", component="virtue",
                                        rule_item="blood_donation", quantity=2)
    assert d.points == 10  # fixed 5 points × 2
    rr = rounds.open_round(organisation=w.east, by=w.secretary, period_start=day)
    world.quorate_meeting(w, rr)
    d.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        meeting.decide_declaration(d, w.clerk, DeclarationStatus.ADJUSTED, points="99", reason="多报")  # beyond 5 × 2 (× the fraud multiplier)
    assert _code(caught, "decided_points") == Code.POINTS_OUT_OF_RANGE
    meeting.decide_declaration(d, w.clerk, DeclarationStatus.ADJUSTED, points="5", reason="只献一次")
    assert Declaration.objects.get(pk=d.pk).decided_points == 5


def test_a_reason_of_ten_thousand_characters_is_refused_naming_the_field(w, client):
    d = world.declare(w)
    rr = world.open_round(w)
    world.quorate_meeting(w, rr)
    with pytest.raises(ValidationError) as caught:
        meeting.decide_declaration(d, w.clerk, DeclarationStatus.REJECTED, reason="无" * 10000)
    assert _code(caught, "reason") == Code.DECISION_REASON_TOO_LONG
    client.force_login(w.secretary)
    response = client.post(reverse("reviews:branch_meeting", args=[rr.pk]), {
        "action": "decide", f"outcome_{d.pk}": "rejected", f"reason_{d.pk}": "无" * 10000})
    assert response.status_code == 400
    assert Declaration.objects.get(pk=d.pk).status == DeclarationStatus.SUBMITTED


def test_a_round_period_starting_in_2030_is_refused(w, client):
    with pytest.raises(ValidationError) as caught:
        rounds.open_round(organisation=w.east, by=w.secretary, period_start=datetime.date(2030, 1, 1),
                          period_end=datetime.date(2030, 3, 31))
    assert _code(caught, "period_start") == Code.PERIOD_START_TOO_LATE
    with pytest.raises(ValidationError) as caught:
        rounds.open_round(organisation=w.east, by=w.secretary, period_start=datetime.date(1900, 1, 1),
                          period_end=datetime.date(1900, 3, 31))
    assert _code(caught, "period_start") == Code.PERIOD_START_TOO_EARLY
    client.force_login(w.secretary)
    response = client.post(reverse("reviews:rounds"), {"organisation": w.east.pk, "period_start": "2030-01-01"})
    assert "2030" in response.content.decode() and not ReviewRound.objects.exists()


def test_a_declaration_dated_1900_is_refused(w):
    with pytest.raises(ValidationError) as caught:
        world.declare(w, occurred_on=datetime.date(1900, 1, 1))
    assert _code(caught, "occurred_on") == Code.OCCURRED_ON_TOO_EARLY
    assert not Declaration.objects.exists()
    world.declare(w, occurred_on=local_today() - datetime.timedelta(days=30))  # a recent one still goes in
