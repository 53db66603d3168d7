"""Tokens (hashed, scoped, revocable), session auth with CSRF, problem details in the caller's language, Idempotency-Key."""
import hashlib

import pytest
from django.test import Client

from api.models import AccessToken, IdempotentResponse, TokenScope
from tests.world import declare


@pytest.mark.django_db
def test_a_token_is_stored_hashed_scoped_and_revocable(client, county, token):
    token_row, secret = AccessToken.issue(county.clerk, "OA", TokenScope.READ)
    assert token_row.secret_hash == hashlib.sha256(secret.encode()).hexdigest() and secret not in token_row.secret_hash
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/organisations", headers=headers).status_code == 200
    refused = client.post("/api/v1/rounds/1/submit", headers=headers)
    assert refused.status_code == 403 and refused.json()["code"] == "token_read_only"
    assert refused["Content-Type"] == "application/problem+json"
    token_row.revoked_at = token_row.created_at
    token_row.save()
    gone = client.get("/api/v1/organisations", headers=headers)
    assert gone.status_code == 401 and gone.json()["code"] == "not_authenticated"


@pytest.mark.django_db
def test_the_tokens_page_shows_the_secret_once_and_revokes(client, county):
    client.force_login(county.clerk)
    page = client.post("/api/tokens/", {"action": "create", "name": "大屏", "scope": "read"}, follow=True)
    secret = page.context["new_secret"]
    assert secret.startswith("jf_") and secret in page.content.decode()
    assert secret not in client.get("/api/tokens/").content.decode()  # shown once
    row = AccessToken.objects.get(user=county.clerk)
    assert Client().get("/api/v1/members", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    client.post("/api/tokens/", {"action": "revoke", "token": row.pk})
    assert Client().get("/api/v1/members", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


@pytest.mark.django_db
def test_session_writes_need_the_csrf_token(county):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(county.secretary)
    assert browser.get("/api/v1/organisations").status_code == 200
    refused = browser.post("/api/v1/tokens", {"name": "x"}, content_type="application/json")
    assert refused.status_code in (401, 403)
    browser.get("/api/tokens/")  # sets the csrftoken cookie
    csrf = browser.cookies["csrftoken"].value
    made = browser.post("/api/v1/tokens", {"name": "x", "scope": "write"}, content_type="application/json",
                        headers={"X-CSRFToken": csrf})
    assert made.status_code == 201 and made.json()["secret"].startswith("jf_")


@pytest.mark.django_db
@pytest.mark.parametrize("language, detail", [("zh-hans", "请填写积分项目。"), ("en", None)])
def test_a_service_error_is_a_problem_with_its_code_and_field_in_the_language_asked(client, county, token,
                                                                                  language, detail):
    response = client.post("/api/v1/declarations", {
        "member_id": county.members[1].pk, "reporter_kind": "clerk", "component": " ", "rule_item": "B-03",
        "occurred_on": "2026-01-05", "description": "x", "points": "2"},
        headers={**token(county.clerk), "Accept-Language": language})
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["code"], body["field"], body["status"]) == ("component_missing", "component", 422)
    if detail:
        assert body["detail"] == detail
    else:
        assert body["detail"] != "请填写积分项目。" and body["detail"].isascii()


@pytest.mark.django_db
def test_permission_and_missing_objects_are_problems(client, county, token):
    declaration = declare(county)
    west = token(county.west_secretary)
    assert client.get(f"/api/v1/declarations/{declaration.pk}", headers=west).json()["code"] == "not_found"
    rr = client.post("/api/v1/rounds", {"organisation_id": county.east.pk}, content_type="application/json",
                     headers=token(county.clerk))
    assert rr.status_code == 403 and rr.json()["code"] == "permission_denied"
    bad = client.post("/api/v1/rounds", {"organisation_id": "x"}, content_type="application/json",
                      headers=token(county.clerk))
    assert bad.status_code == 422 and bad.json()["field"] == "organisation_id"


@pytest.mark.django_db
def test_a_retried_write_with_the_same_key_returns_the_first_result(client, county, token):
    headers = {**token(county.clerk), "Idempotency-Key": "retry-1"}
    form = {"member_id": county.members[1].pk, "reporter_kind": "clerk", "component": "bonus", "rule_item": "B-03",
            "occurred_on": "2026-01-05", "description": "巡查", "points": "2"}
    first = client.post("/api/v1/declarations", form, headers=headers)
    again = client.post("/api/v1/declarations", form, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert client.get("/api/v1/declarations", headers=headers).json()["count"] == 1
    other_path = client.post("/api/v1/rounds", {"organisation_id": county.east.pk}, content_type="application/json",
                             headers=headers)
    assert other_path.status_code == 422 and other_path.json()["code"] == "idempotency_key_reused"
    # The same key from another user is another key.
    secretary = {**token(county.secretary), "Idempotency-Key": "retry-1"}
    assert client.post("/api/v1/declarations", form, headers=secretary).status_code == 201
    assert IdempotentResponse.objects.count() == 2


@pytest.mark.django_db
def test_the_spec_and_the_docs_are_served_locally(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.") and "/api/v1/declarations" in spec["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()


@pytest.mark.django_db
def test_anonymous_objections_go_through_the_service_and_are_rate_limited_per_ip(client, county):
    from reviews.models import Objection
    from reviews.refusals import RefusedObjection, limits
    from tests.world import round_in_publicity

    review_round = round_in_publicity(county)
    declaration = review_round.current_publicity().declarations.first()
    per_client = limits()["per_client"]
    url = f"/api/v1/declarations/{declaration.pk}/objections"
    missing = client.post(url, {"objector_name": "赵大伟", "objector_contact": " ", "reason": "理由充分的异议"},
                          content_type="application/json")
    assert (missing.status_code, missing.json()["code"], missing.json()["field"]) == (
        422, "objector_contact_missing", "objector_contact")  # the service's own check, as on the web form
    body = {"objector_name": "赵大伟", "objector_contact": "138", "reason": "理由充分的异议 1"}
    assert client.post(url, body, content_type="application/json").status_code == 201
    twin = client.post(url, body, content_type="application/json")  # the web form's duplicate rule
    assert (twin.status_code, twin.json()["code"]) == (422, "objection_duplicate")
    for n in range(2, per_client + 1):
        assert client.post(url, {**body, "reason": f"理由充分的异议 {n}"},
                           content_type="application/json").status_code == 201
    refused = client.post(url, {**body, "reason": "又一条异议"}, content_type="application/json")
    assert (refused.status_code, refused.json()["code"]) == (429, "objection_client_limit")
    assert Objection.objects.filter(declaration=declaration).count() == per_client
    assert set(RefusedObjection.objects.filter(declaration=declaration).values_list("code", flat=True)) == {
        "objector_contact_missing", "objection_duplicate", "objection_client_limit"}  # logged, as from the web form
    other_ip = client.post(url, {"objector_name": "钱多", "objector_contact": "139", "reason": "理由充分的异议"},
                           content_type="application/json", REMOTE_ADDR="10.1.2.3")
    assert other_ip.status_code == 201


@pytest.mark.django_db
def test_a_twin_arriving_while_the_first_call_runs_is_refused_not_run_again(client, county, token):
    from api.idempotency import IN_PROGRESS

    headers = {**token(county.clerk), "Idempotency-Key": "busy-1"}
    IdempotentResponse.objects.create(user=county.clerk, key="busy-1", method="POST", path="/api/v1/declarations",
                                      status=IN_PROGRESS, content_type="", body=b"")
    form = {"member_id": county.members[1].pk, "reporter_kind": "clerk", "component": "bonus", "rule_item": "B-03",
            "occurred_on": "2026-01-05", "description": "巡查", "points": "2"}
    twin = client.post("/api/v1/declarations", form, headers=headers)
    assert twin.status_code == 409 and twin.json()["code"] == "idempotency_in_progress"
    assert client.get("/api/v1/declarations", headers=headers).json()["count"] == 0
    # A refused call (403) is not kept: the key stays free for the corrected retry.
    refused = client.post("/api/v1/rounds", {"organisation_id": county.east.pk}, content_type="application/json",
                          headers={**headers, "Idempotency-Key": "k2"})
    assert refused.status_code == 403 and not IdempotentResponse.objects.filter(key="k2").exists()


@pytest.mark.django_db
def test_control_characters_in_query_filters_are_a_422_not_a_500(client, county, token):
    """PostgreSQL refuses NUL in text: ``?kind=%00`` gave a 500 there (found by the parameter crawl)."""
    for url in ("/api/v1/documents?kind=%00", "/api/v1/rounds?status=%00", "/api/v1/results?organisation_code=%01"):
        response = client.get(url, headers=token(county.secretary))
        assert response.status_code == 422, (url, response.status_code)
        assert response["Content-Type"].startswith("application/problem+json")
