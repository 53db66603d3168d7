"""Every portal page renders for the roles that may open it (and refuses the others)."""
import pytest
from django.urls import reverse
from tests import world


@pytest.mark.django_db
def test_pages_render_for_each_role(w, client):
    rr = world.round_in_publicity(w)
    pub = rr.current_publicity()
    d = rr.declarations.first()
    pages = {
        "secretary": [reverse("home"), reverse("portal:rounds"), reverse("portal:round_detail", args=[rr.pk]),
                      reverse("portal:dashboard"), reverse("portal:downloads"), reverse("portal:branch_meeting", args=[rr.pk]),
                      reverse("portal:ledger_xlsx", args=[w.east.pk])],
        "reviewer": [reverse("home"), reverse("portal:filing", args=[rr.pk]), reverse("portal:dashboard")],
        "member": [reverse("home"), reverse("portal:my_points"), reverse("portal:my_declarations"),
                   reverse("portal:declare")],
    }
    users = {"secretary": w.secretary, "reviewer": w.reviewer, "member": w.member_user}
    for role, urls in pages.items():
        client.force_login(users[role])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (role, url, response.status_code)
    client.logout()
    for url in (reverse("public_index"), reverse("public_board", args=[w.east.code]),
                reverse("public_objection", args=[w.east.code, pub.pk, d.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
