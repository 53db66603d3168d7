"""What the read endpoints show: ID numbers masked as on screen, documents downloaded as issued, the caller's tasks."""
import pytest

from members.idcard import mask
from tests.world import declare, id_number, open_round


@pytest.mark.django_db
def test_members_carry_the_masked_id_number_only(client, county, token):
    member = county.members[1]
    member.id_number = id_number()
    member.save()
    body = client.get(f"/api/v1/members/{member.pk}", headers=token(county.clerk))
    assert body.json()["id_number_masked"] == mask(member.id_number) == member.id_number_masked
    assert member.id_number not in body.content.decode()
    listed = client.get("/api/v1/members", headers=token(county.reviewer)).content.decode()
    assert member.id_number not in listed and mask(member.id_number) in listed


@pytest.mark.django_db
def test_a_document_downloads_as_issued_for_those_who_may_see_it(client, county, token,
                                                                 django_capture_on_commit_callbacks):
    from documents.models import DocumentStatus, GeneratedDocument

    with django_capture_on_commit_callbacks(execute=True):
        from tests.world import round_in_publicity
        round_in_publicity(county)
    document = GeneratedDocument.objects.filter(status=DocumentStatus.DONE, organisation=county.east).first()
    listed = client.get("/api/v1/documents", {"kind": document.kind}, headers=token(county.secretary)).json()
    assert document.pk in [d["id"] for d in listed["items"]]
    got = client.get(f"/api/v1/documents/{document.pk}/download", headers=token(county.secretary))
    assert got.status_code == 200 and b"".join(got.streaming_content)[:2] == b"PK"
    assert client.get(f"/api/v1/documents/{document.pk}/download",
                      headers=token(county.west_secretary)).status_code == 404


@pytest.mark.django_db
def test_the_callers_tasks_are_the_inbox_of_the_screens(client, county, token):
    declare(county)
    review_round = open_round(county)
    secretary = client.get("/api/v1/tasks", headers=token(county.secretary)).json()
    assert any(t["process_id"] == review_round.process.pk for t in secretary)
    assert client.get("/api/v1/tasks", headers=token(county.west_secretary)).json() == []


@pytest.mark.django_db
def test_the_tokens_page_is_in_the_users_menu(client, county):
    client.force_login(county.clerk)
    assert 'href="/api/tokens/"' in client.get("/").content.decode()
