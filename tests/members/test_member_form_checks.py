"""Issue 13, item 11: the member edit form refuses what the roster import refuses (one set of checks)."""
import pytest
from django.urls import reverse

from members.forms import MemberForm
from members.models import Member

pytestmark = pytest.mark.django_db


def _data(member, **changes):
    data = {"name": member.name, "gender": "", "birth_date": "1980-05-06", "joined_on": "2005-07-01",
            "kind": member.kind, "category": "", "phone": "13800001111", "household_size": ""}
    data.update(changes)
    return data


@pytest.mark.parametrize("field, value, code", [
    ("birth_date", "2030-01-01", "date_future"),
    ("joined_on", "1900-01-01", "date_too_early"),
    ("joined_on", "1899-12-31", "date_too_early"),
    ("phone", "<script>", "phone_invalid"),
    ("joined_on", "1990-01-01", "joined_under_18"),
    ("name", "  ", "required"),
])
def test_out_of_domain_values_are_refused_on_their_field(county, field, value, code):
    member = county.members[0]
    form = MemberForm(data=_data(member, **{field: value}), instance=member)
    assert not form.is_valid()
    assert code in [e.code for e in form.errors.as_data()[field]]


def test_the_edit_screen_keeps_the_stored_values(county, client):
    member = county.members[0]
    client.force_login(county.secretary)
    response = client.post(reverse("members:edit", args=[member.pk]), _data(member, phone="<script>"))
    assert response.status_code == 200 and "联系电话格式不正确" in response.content.decode()
    assert Member.objects.get(pk=member.pk).phone == member.phone


def test_names_are_stored_normalised(county):
    member = county.members[0]
    form = MemberForm(data=_data(member, name="姜\u3000杰"), instance=member)
    assert form.is_valid(), form.errors
    assert form.save().name == "姜杰"
