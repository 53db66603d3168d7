"""Service errors land beside the field they concern, by field and code, in English as in Chinese."""
import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from portal.views.public import ObjectionForm
from reviews.errors import ReviewErrorCode
from reviews.models import RoundStatus, local_today
from reviews.services import meeting, objections
from reviews.views.declarations import DeclarationForm, _on_item_field, scheme_for
from schemes.models import Scheme
from tests import world
from workflow.forms import apply_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield client


def _codes(form, field):
    return [e.code for e in form.errors.as_data().get(field, [])]


def _scheme(w):
    year = local_today().year
    Scheme.objects.create(organisation=w.general, name="钟祥", cycle_start=datetime.date(year, 1, 1),
                          cycle_end=datetime.date(year, 12, 31)).revise(preset_key="zhongxiang-governance")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_fixed_points_error_sits_on_points_in_both_languages(w, client, language):
    _scheme(w)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(w.member_user)
    data = {"item": "virtue::blood_donation", "points": "8", "quantity": "1",
            "occurred_on": local_today().replace(day=1).isoformat(), "description": "献血"}
    with translation.override(language):
        response = client.post(reverse("reviews:declare"), data)
        form = response.context["form"]
        assert _codes(form, "points") == [ReviewErrorCode.POINTS_FIXED_BY_ITEM]
        assert not form.non_field_errors()
        message = form.errors["points"][0]
    html = response.content.decode()
    if language == "en":
        assert "fixed points of 5.00" in message and "fixed points of 5.00" in html and "固定为" not in html
    else:
        assert "固定为 5.00 分" in message and "固定为 5.00 分" in html
    assert re.search(r'field-error[^>]*>\s*<label for="id_points"', html), "the error sits beside the points field"


def test_scheme_errors_about_the_item_land_on_the_item_choice(w):
    _scheme(w)
    member = w.members[0]
    form = DeclarationForm({"item": "virtue::blood_donation", "quantity": "1", "description": "献血",
                            "occurred_on": local_today().replace(day=1).isoformat()}, scheme=scheme_for(member))
    assert form.is_valid(), form.errors
    with translation.override("en"):
        for component, rule_item, code in (("no_such", "x", ReviewErrorCode.UNKNOWN_COMPONENT),
                                           ("virtue", "no_such", ReviewErrorCode.UNKNOWN_ITEM)):
            with pytest.raises(ValidationError) as caught:
                world.declare(w, member=member, by=w.member_user, component=component, rule_item=rule_item,
                              points=None, occurred_on=local_today().replace(day=1))
            apply_error(form, _on_item_field(form, caught.value))
            assert _codes(form, "item")[-1] == code
        assert "is not in scheme" in form.errors["item"][0] and "is not a rule item of" in form.errors["item"][1]
    assert not form.non_field_errors()


def test_overlapping_round_error_sits_on_period_start(w, english):
    world.open_round(w)
    start, _end = world.previous_quarter()
    english.force_login(w.secretary)
    response = english.post(reverse("reviews:rounds"), {"organisation": w.east.pk, "period_start": start.isoformat()})
    form = response.context["form"]
    assert _codes(form, "period_start") == [ReviewErrorCode.ROUND_OVERLAPS]
    assert "already has a review round overlapping" in form.errors["period_start"][0]


def test_adjusting_to_the_declared_points_marks_the_points_cell(w, english):
    d = world.declare(w, points="2")
    rr = world.open_round(w)
    world.quorate_meeting(w, rr)
    english.force_login(w.secretary)
    response = english.post(reverse("reviews:branch_meeting", args=[rr.pk]),
                            {"action": "decide", f"outcome_{d.pk}": "adjusted", f"points_{d.pk}": "2",
                             f"reason_{d.pk}": "核实"})
    assert response.status_code == 400
    row = next(r for r in response.context["rows"] if r["d"].pk == d.pk)
    assert set(row["errors"]) == {"points"}
    assert "adjusted points equal the declared points" in row["errors"]["points"]


def test_whole_step_error_sits_at_the_top_of_the_meeting_form(w, english):
    world.declare(w)
    rr = world.open_round(w)
    english.force_login(w.secretary)
    url = reverse("reviews:branch_meeting", args=[rr.pk])
    english.get(url)  # the screen is shown while the round is at its meeting...
    type(rr).objects.filter(pk=rr.pk).update(status=RoundStatus.HIGHER_REVIEW)  # ...and it moves on meanwhile
    data = {"action": "record_meeting", "kind": "committee", "held_on": local_today().isoformat(),
            "entitled_count": "3", "attendees_committee": [f"u{u.pk}" for u in (w.secretary, w.deputy)],
            "minute_taker": "唐丽娜",
            "place": "东街社区党群服务中心", "absentee_names": "孙丽（请假）"}
    form = english.post(url, data).context["meeting_form"]
    assert _codes(form, NON_FIELD_ERRORS) == [ReviewErrorCode.ROUND_NOT_AT_BRANCH_MEETING]
    assert "not at the branch meeting review step" in form.non_field_errors()[0]


def test_corrected_points_equal_to_current_sit_on_corrected_points(w, english):
    rr = world.round_in_publicity(w)
    d = rr.declarations.order_by("pk").first()
    objection = objections.lodge_objection(d, objector_name="王五", objector_contact="139", reason="与事实不符")
    english.force_login(w.secretary)
    response = english.post(reverse("reviews:answer_objection", args=[objection.pk]),
                            {"outcome": "upheld", "reason": "经核实", "corrected_points": str(d.decided_points)})
    form = response.context["form"]
    assert response.status_code == 400
    assert _codes(form, "corrected_points") == [ReviewErrorCode.CORRECTED_POINTS_UNCHANGED]
    assert "corrected points equal the current points" in form.errors["corrected_points"][0]


def test_public_objection_form_places_the_service_error_on_its_field(w):
    rr = world.round_in_publicity(w)
    d = rr.declarations.order_by("pk").first()
    form = ObjectionForm({"objector_name": "王五", "objector_contact": "139", "reason": "与事实不符的情况"})
    assert form.is_valid()
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            objections.lodge_objection(d, objector_name="王五", objector_contact="139", reason="  ")
        apply_error(form, caught.value)
        assert _codes(form, "reason") == [ReviewErrorCode.OBJECTION_REASON_MISSING]
        assert form.errors["reason"] == ["Enter the reason for the objection."]


def test_apply_error_reads_fields_never_the_text(w):
    form = ObjectionForm({"objector_name": "王五", "objector_contact": "139", "reason": "与事实不符的情况"})
    assert form.is_valid()
    # a message naming another field's words still lands by its key
    apply_error(form, ValidationError({"objector_contact": ValidationError("异议理由 reason", code="c1")}))
    apply_error(form, ValidationError({"not_on_this_form": ValidationError("联系方式", code="c2")}))
    apply_error(form, ValidationError({NON_FIELD_ERRORS: ValidationError("理由", code="c3")}))
    apply_error(form, ValidationError("理由", code="c4"))
    apply_error(form, PermissionDenied("理由"))
    assert _codes(form, "objector_contact") == ["c1"]
    assert not form.errors.get("reason")
    assert _codes(form, NON_FIELD_ERRORS) == ["c2", "c3", "c4", None]


def test_meeting_service_codes_in_english(w):
    d = world.declare(w, points="2")
    rr = world.open_round(w)
    world.quorate_meeting(w, rr)
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            meeting.decide_declaration(d, w.secretary, "adjusted", points="2.00", reason="核实")
    errors = caught.value.error_dict
    assert list(errors) == ["decided_points"]
    assert errors["decided_points"][0].code == ReviewErrorCode.DECIDED_POINTS_UNCHANGED
    d.refresh_from_db()
    assert d.decided_points is None and d.points == Decimal("2.00")
