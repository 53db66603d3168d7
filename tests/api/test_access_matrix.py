"""The access matrix on the demo county: every demo login × every endpoint, against the screens' rule
(``organisations.permissions``). Lists hold only what the rule lets the caller see (no other
branch's data, nothing missing); a write on something the caller cannot see is a 404, on something
they see without the role a 403, and with the role it reaches the service's own checks (here fed
input the service refuses, so nothing changes)."""
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from api.models import AccessToken, TokenScope
from documents.models import GeneratedDocument
from ledger.models import LedgerEntry
from market.models import Goods
from members.models import Member
from organisations.models import Organisation, RoleKind
from organisations.permissions import BRANCH_STAFF, can_act_on, can_review, organisations_for
from reviews.models import Declaration, Objection, ReviewRound, RoundStatus
from schemes.models import Scheme

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore::UserWarning")]


def own_member(user):
    return Member.objects.filter(user=user).first()


def expected_lists(user):
    """What the screens' rule lets ``user`` see, per list endpoint, as sets of ids."""
    orgs = set(organisations_for(user).values_list("pk", flat=True))
    active = set(organisations_for(user).filter(is_active=True).values_list("pk", flat=True))
    own = own_member(user)
    members = {m.pk for m in Member.objects.all() if m.organisation_id in active or (own and m.pk == own.pk)}
    return {
        "organisations": active,
        "members": members,
        "rounds": set(ReviewRound.objects.filter(organisation__in=orgs).values_list("pk", flat=True)),
        "declarations": {d.pk for d in Declaration.objects.select_related("member")
                         if d.organisation_id in orgs or d.declared_by_id == user.pk or d.member.user_id == user.pk},
        "ledger/entries": set(LedgerEntry.objects.filter(member__in=members).values_list("pk", flat=True)),
        "documents": {d.pk for d in GeneratedDocument.objects.select_related("member")
                      if d.organisation_id in orgs or d.triggered_by_id == user.pk
                      or (d.member_id and d.member.user_id == user.pk)},
        "schemes": set(Scheme.objects.filter(organisation__in=orgs).values_list("pk", flat=True)),
    }


def fetch_all(client, headers, name):
    ids, offset = set(), 0
    while True:
        response = client.get(f"/api/v1/{name}", {"limit": 500, "offset": offset}, headers=headers)
        assert response.status_code == 200, (name, response.content)
        body = response.json()
        ids |= {item["id"] for item in body["items"]}
        offset += 500
        if offset >= body["count"]:
            return ids


def outcome(status):
    return {404: "hidden", 403: "forbidden"}.get(status, "reached" if status in (409, 422) else status)


def test_every_demo_login_sees_exactly_its_subtree_and_writes_only_with_its_role(client):
    call_command("load_demo", force=True, stdout=io.StringIO())
    users = list(get_user_model().objects.filter(is_active=True).order_by("username"))
    assert len(users) >= 20
    xijie_round = ReviewRound.objects.get(organisation__code="demo-xijie", status=RoundStatus.BRANCH_MEETING)
    xijie_declaration = xijie_round.declarations.order_by("pk").first()
    dongjie_round = ReviewRound.objects.get(organisation__code="demo-dongjie", status=RoundStatus.PUBLICITY)
    objection = Objection.objects.filter(answered_on__isnull=True).select_related("declaration__organisation").first()
    village = Organisation.objects.get(code="demo-qingshi-cun")
    goods = Goods.objects.filter(organisation=village).first()
    household = Member.objects.filter(organisation__path__startswith=village.path).exclude(organisation=village).first()
    xijie_member = Member.objects.filter(organisation__code="demo-xijie").first()
    seen_hidden = seen_forbidden = seen_reached = 0

    for user in users:
        _token, secret = AccessToken.issue(user, "matrix", TokenScope.WRITE)
        headers = {"Authorization": f"Bearer {secret}"}
        for name, ids in expected_lists(user).items():
            assert fetch_all(client, headers, name) == ids, (user.username, name)

        def visible(org):
            return can_act_on(user, org)

        def expect(seen_org, allowed):
            return "hidden" if not seen_org else ("reached" if allowed else "forbidden")

        declaration_seen = (visible(xijie_declaration.organisation) or xijie_declaration.declared_by_id == user.pk
                            or xijie_declaration.member.user_id == user.pk)
        cases = [
            ("declare", client.post("/api/v1/declarations", {
                "member_id": xijie_member.pk, "reporter_kind": "clerk", "component": " ", "rule_item": "x",
                "occurred_on": "2026-01-05", "description": "x", "points": "1"}, headers=headers),
             expect(visible(xijie_member.organisation) or xijie_member.user_id == user.pk,
                    can_act_on(user, xijie_member.organisation, BRANCH_STAFF))),
            ("decide", client.post(f"/api/v1/declarations/{xijie_declaration.pk}/decision", {"outcome": "bogus"},
                                   content_type="application/json", headers=headers),
             expect(declaration_seen, can_act_on(user, xijie_round.organisation, BRANCH_STAFF))),
            ("collect", client.post(f"/api/v1/rounds/{dongjie_round.pk}/collect", headers=headers),
             expect(visible(dongjie_round.organisation), can_act_on(user, dongjie_round.organisation, BRANCH_STAFF))),
            ("correct", client.post(f"/api/v1/rounds/{dongjie_round.pk}/meeting/correction", {
                "kind": "branch_meeting", "held_on": "2026-01-05", "minute_taker": "x", "place": "x", "reason": " "},
                content_type="application/json", headers=headers),
             expect(visible(dongjie_round.organisation), can_act_on(user, dongjie_round.organisation, BRANCH_STAFF))),
            ("submit", client.post(f"/api/v1/rounds/{dongjie_round.pk}/submit", headers=headers),
             expect(visible(dongjie_round.organisation),
                    can_act_on(user, dongjie_round.organisation, (RoleKind.SECRETARY,)))),
            ("return", client.post(f"/api/v1/rounds/{xijie_round.pk}/filing", {"outcome": "returned", "comments": ""},
                                   content_type="application/json", headers=headers),
             expect(visible(xijie_round.organisation), can_review(user, xijie_round.organisation))),
            ("answer", client.post(f"/api/v1/objections/{objection.pk}/answer", {"outcome": "bogus", "reason": "x"},
                                   content_type="application/json", headers=headers),
             expect(visible(objection.declaration.organisation),
                    can_act_on(user, objection.declaration.organisation, BRANCH_STAFF))),
            ("redeem", client.post("/api/v1/market/redemptions", {
                "household_id": household.pk, "goods_id": goods.pk, "quantity": 1, "key": "not-a-uuid"},
                content_type="application/json", headers=headers),
             expect(visible(village), can_act_on(user, village, (RoleKind.CASHIER,)))),
        ]
        for label, response, wanted in cases:
            got = outcome(response.status_code)
            assert got == wanted, (user.username, label, response.status_code, response.content.decode()[:300])
            seen_hidden += got == "hidden"
            seen_forbidden += got == "forbidden"
            seen_reached += got == "reached"
    # The matrix exercised each kind of answer (a matrix of all-404s would prove nothing).
    assert seen_hidden and seen_forbidden and seen_reached
