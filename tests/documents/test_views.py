"""Downloads: only users whose roles cover the issuing organisation get the file."""
import io
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from documents import services
from organisations.models import Role, RoleKind

from .conftest import notice_context

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.documents.urls")]


@pytest.fixture
def document(branch, clerk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        doc = services.request_document("result_notice", organisation=branch, context=notice_context())
    doc.refresh_from_db()
    return doc


def _user(name, org=None, kind=RoleKind.SECRETARY):
    user = get_user_model().objects.create_user(name, password="pw-123456-x")
    if org is not None:
        Role.objects.create(user=user, organisation=org, kind=kind)
    return user


def test_branch_staff_and_higher_committee_may_download(client, document, clerk, committee):
    url = reverse("documents:download", args=[document.pk])
    for user in (clerk, _user("reviewer", committee, RoleKind.REVIEWER)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        body = b"".join(response.streaming_content)
        assert body[:2] == b"PK" and len(body) == document.size
        assert "attachment" in response["Content-Disposition"]


def test_others_are_refused(client, document, other_branch):
    url = reverse("documents:download", args=[document.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(_user("neighbour", other_branch))
    assert client.get(url).status_code == 403
    client.force_login(_user("nobody"))
    assert client.get(url).status_code == 403


def test_pending_document_is_not_found(client, branch, clerk):
    doc = services.request_document("result_notice", organisation=branch, context=notice_context())
    client.force_login(clerk)
    assert client.get(reverse("documents:download", args=[doc.pk])).status_code == 404


def test_bulk_progress_and_zip_views(client, branch, clerk, django_capture_on_commit_callbacks):
    items = [{"context": notice_context(member_name=f"党员{i}"), "subject_key": f"m:{i}"} for i in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_bulk_job("result_notice", organisation=branch, items=items, triggered_by=clerk)
    client.force_login(clerk)
    progress = client.get(reverse("documents:bulk_progress", args=[job.pk])).json()
    assert (progress["percent"], progress["done"], progress["total"]) == (100, 3, 3)
    response = client.get(reverse("documents:bulk_download", args=[job.pk]))
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as z:
        assert len(z.namelist()) == 3
