"""Every portal page renders for the roles that may open it (and refuses the others)."""
import pytest
from django.urls import reverse

from tests import world


@pytest.mark.django_db
def test_pages_render_for_each_role(w, client):
    rr = world.round_in_publicity(w)
    pub = rr.current_publicity()
    d = rr.declarations.first()
    url = {
        "home": reverse("home"), "rounds": reverse("reviews:rounds"),
        "round_detail": reverse("reviews:round_detail", args=[rr.pk]), "dashboard": reverse("portal:dashboard"),
        "downloads": reverse("portal:downloads"), "branch_meeting": reverse("reviews:branch_meeting", args=[rr.pk]),
        "ledger_xlsx": reverse("portal:ledger_xlsx", args=[w.east.pk]), "filing": reverse("reviews:filing", args=[rr.pk]),
        "my_points": reverse("reviews:my_points"), "my_declarations": reverse("reviews:my_declarations"),
        "declare": reverse("reviews:declare"),
    }
    opens = {
        "secretary": ["home", "rounds", "round_detail", "dashboard", "downloads", "branch_meeting", "ledger_xlsx"],
        "reviewer": ["home", "filing", "dashboard"],
        "member": ["home", "my_points", "my_declarations", "declare"],
    }
    # the branch does not file its own round; the reviewer does not hold the branch's meeting; staff
    # without a member record have no member pages; a member sees no staff page; 西街 sees nothing of 东街
    refuses = {
        "secretary": ["filing", "my_points", "my_declarations", "declare"],
        "reviewer": ["branch_meeting", "my_points", "declare"],
        "member": ["rounds", "round_detail", "dashboard", "branch_meeting", "ledger_xlsx", "filing"],
        "west_secretary": ["round_detail", "branch_meeting", "ledger_xlsx", "filing"],
    }
    users = {"secretary": w.secretary, "reviewer": w.reviewer, "member": w.member_user,
             "west_secretary": w.west_secretary}
    for role, user in users.items():
        client.force_login(user)
        got = {name: client.get(url[name]).status_code for name in opens.get(role, []) + refuses[role]}
        expected = {**{name: 200 for name in opens.get(role, [])}, **{name: 403 for name in refuses[role]}}
        assert got == expected, role
    client.logout()
    for name, page in url.items():
        response = client.get(page)
        assert (response.status_code, response["Location"]) == (302, f"/login/?next={page}"), name
    for page in (reverse("public_index"), reverse("public_board", args=[w.east.code]),
                 reverse("public_objection", args=[w.east.code, pub.pk, d.pk])):
        response = client.get(page)
        assert response.status_code == 200, page
