"""Trial 5: the objection list showed a quarterly item's points unsigned ("2"); they read as they
move the member's total: ``+2`` (a deduction ``-2``), in the task lists and the objection flow's list."""
import pytest

from reviews.flows import ObjectionFlow
from reviews.models import ObjectionProcess
from reviews.services import objections
from tests import world

pytestmark = pytest.mark.django_db


def test_a_quarterly_objection_names_its_points_signed(w, client):
    rr = world.round_in_publicity(w)
    d = rr.declarations.get(member=w.members[1])
    objection = objections.lodge_objection(d, objector_name="王五", objector_contact="139", reason="与事实不符")
    expected = f"{w.members[1].name} · 志愿服务 · +2"
    assert objection.subject_label == expected
    assert str(ObjectionProcess.objects.get(objection=objection).brief) == expected
    client.force_login(w.secretary)
    for url in ("/tasks/?tab=queue", ObjectionFlow.instance.reverse("index")):
        html = client.get(url).content.decode()
        assert expected in html, url
