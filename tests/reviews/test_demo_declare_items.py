"""Issue 14 (new-user trial): a member of the demo declares by picking an item of the scheme in
force (a select with the items of each component, in the page's language), as the grid worker
does; an item the scheme does not list is refused with its field and code."""
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from members.demo import build_people
from members.models import Member
from reviews.demo_scheme import build_scheme_in_force
from reviews.errors import ReviewErrorCode as Code
from reviews.models import Declaration, ReporterKind, local_today
from reviews.services import declarations

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_member():
    build_people(io.StringIO())
    build_scheme_in_force(io.StringIO())
    return Member.objects.select_related("user").get(user__username="member_dongjie")


def test_the_demo_member_picks_the_item_from_the_scheme_in_the_page_language(demo_member, client):
    client.force_login(demo_member.user)
    form = client.get(reverse("reviews:declare")).context["form"]
    assert form.fields["item"].widget.input_type == "select"
    choices = {value: label for _group, options in form.fields["item"].choices[1:] for value, label in options}
    assert choices["daily::J-03"] == "志愿服务（3 分）"
    english = client.get(reverse("reviews:declare"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Volunteer service" in english and "Daily conduct points" in english


def test_an_item_not_in_the_scheme_is_refused_with_field_and_code(demo_member, client):
    with pytest.raises(ValidationError) as caught:
        declarations.create_declaration(member=demo_member, by=demo_member.user, reporter_kind=ReporterKind.SELF,
                                         component="daily", rule_item="参加植树", occurred_on=local_today(),
                                         description="植树", points="2")
    assert caught.value.error_dict["rule_item"][0].code == Code.UNKNOWN_ITEM
    client.force_login(demo_member.user)
    response = client.post(reverse("reviews:declare"), {
        "item": "daily::参加植树", "quantity": "1", "occurred_on": local_today().isoformat(), "description": "植树"})
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["item"]] == ["invalid_choice"]
    response = client.post(reverse("reviews:declare"), {
        "item": "daily::J-03", "quantity": "1", "occurred_on": local_today().isoformat(), "description": "社区值守"})
    assert response.status_code == 302
    made = Declaration.objects.get(member=demo_member)
    assert (made.component, made.rule_item, made.points) == ("daily", "J-03", 3)


def test_a_listed_item_reads_in_the_page_language_on_the_declaration(demo_member, client):
    client.force_login(demo_member.user)
    client.post(reverse("reviews:declare"), {
        "item": "daily::J-03", "quantity": "1", "occurred_on": local_today().isoformat(), "description": "社区值守"})
    made = Declaration.objects.get(member=demo_member)
    assert made.rule_item_label == "志愿服务"  # stored as declared, in the scheme's own words
    english = client.get(reverse("reviews:declaration_detail", args=[made.pk]), HTTP_ACCEPT_LANGUAGE="en")
    html = english.content.decode()
    assert "Volunteer service" in html and "志愿服务" not in html
