"""Trial 5: after an upheld objection changed 3 → 2 points, the objection page said 现认定分值 +2 while the
round page, the member's page and the public board still said +3 with no mark. Every screen reads
``reviews.services.points.points_now``: "+3 → +2（更正，待公示）" until the 更正公示 is issued."""
import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from reviews.models import ObjectionOutcome, Publicity, PublicityKind, local_today
from reviews.services import objections
from reviews.services.points import correction_note, points_now
from tests import world

pytestmark = pytest.mark.django_db


def _upheld(w):
    rr = world.round_in_publicity(w)
    d = rr.declarations.get(member=w.members[2])
    objection = objections.lodge_objection(d, objector_name="王五", objector_contact="139", reason="只参加一次")
    objections.answer_objection(objection, w.secretary, ObjectionOutcome.UPHELD, "核实后按2分计",
                                corrected_points="2")
    objection.refresh_from_db()
    return rr, d, objection


def test_every_page_shows_the_corrected_points_with_their_state(w, client):
    rr, d, objection = _upheld(w)
    now = points_now(d)
    assert (now.decided, now.current, now.corrected, now.published) == (3, 2, True, False)
    assert correction_note(d) == " → +2（更正，待公示）"
    client.force_login(w.secretary)
    pages = {
        "round": reverse("reviews:round_detail", args=[rr.pk]),
        "member": reverse("reviews:declaration_detail", args=[d.pk]),
        "board": reverse("public_board", args=[w.east.code]),
    }
    for name, url in pages.items():
        html = client.get(url).content.decode()
        assert "+3 → +2（更正，待公示）" in html, name
    english = client.get(pages["member"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "+3 → +2 (corrected, to be published)" in english

    # The 更正公示 is issued: the correction is no longer pending; the corrections board marks it 更正.
    today = local_today()
    notice = Publicity.objects.create(review_round=rr, kind=PublicityKind.CORRECTIONS, start_on=today,
                                      end_on=today + datetime.timedelta(days=6))
    notice.declarations.set([d])
    objections.Objection.objects.filter(pk=objection.pk).update(republished_in=notice)
    with translation.override("zh-hans"):
        assert correction_note(d) == " → +2（更正）"
    member = client.get(pages["member"]).content.decode()
    assert "+3 → +2（更正）" in member and "待公示" not in member
    board = client.get(pages["board"]).content.decode()
    assert "待公示" not in board and "原为 +3" in board
