"""Shared storage: documents, seals, bulk zips and evidence go through the named storages of
``settings.STORAGES`` and never assume a local path.

Every test here swaps both storages for an in-memory one that has no ``path`` (as S3 has none):
a line of code that reached for ``.path``, ``MEDIA_ROOT`` or ``open()`` on a stored file fails.
The last tests run the same round trip against django-storages' S3 backend, configured from the
environment exactly as in production (``JIFEN_STORAGE=s3``), on moto's in-process S3.
"""
import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.files.storage import InMemoryStorage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils._os import safe_join

from documents import chain, pdf, seals, services
from documents.models import BulkStatus, DocumentStatus
from documents.storage import evidence_storage, private_storage
from tests.world import declare

from .conftest import notice_context
from .seal_png import seal_png

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
PDF_BYTES = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"1 0 obj\n" * 4


class PathlessStorage(InMemoryStorage):
    """An in-memory storage that, like S3, has no local path (its own lookups keep working)."""

    def _relative_path(self, name):
        return os.path.relpath(safe_join(self.location, name), self.location)

    def path(self, name):
        raise NotImplementedError(f"PathlessStorage has no local path (asked for {name!r})")


@pytest.fixture
def pathless(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "tests.documents.test_storages.PathlessStorage"},
        "documents": {"BACKEND": "tests.documents.test_storages.PathlessStorage"},
        "evidence": {"BACKEND": "tests.documents.test_storages.PathlessStorage"},
    }
    yield storages
    # the autouse settings fixture restores STORAGES; the proxies forget the in-memory backends


def _stored(alias, name):
    with storages[alias].open(name, "rb") as handle:
        return handle.read()


def test_the_model_fields_follow_the_configured_storages(pathless):
    assert isinstance(storages["documents"], PathlessStorage)
    assert not private_storage().exists("x")  # resolves the lazy proxy
    assert private_storage()._wrapped is storages["documents"]
    assert not evidence_storage().exists("x")
    assert evidence_storage()._wrapped is storages["evidence"]
    assert storages["documents"] is not storages["evidence"]


@pytest.mark.urls("tests.documents.urls")
def test_a_document_renders_is_chained_and_downloads_without_a_local_path(
        pathless, branch, clerk, client, django_capture_on_commit_callbacks, django_user_model):
    from organisations.models import Role, RoleKind

    secretary = django_user_model.objects.create_user("sec", password="pw-123456-x", first_name="李建国")
    Role.objects.create(user=secretary, organisation=branch, kind=RoleKind.SECRETARY)
    seal = seals.upload_seal(branch, seal_png(300), secretary)
    assert _stored("documents", seal.image.name) == seal_png(300)

    with django_capture_on_commit_callbacks(execute=True):
        doc = services.request_document("result_notice", organisation=branch, context=notice_context())
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.DONE, doc.error
    data = _stored("documents", doc.file.name)
    assert data[:2] == b"PK" and hashlib.sha256(data).hexdigest() == doc.sha256
    with pytest.raises(NotImplementedError):
        doc.file.path  # noqa: B018 - the storage has no local path, and nothing needed one
    assert services.read_verified(doc) == data
    assert chain.verify_chain(branch).problem is None  # re-reads the issued file through the storage

    client.force_login(clerk)
    response = client.get(reverse("documents:download", args=[doc.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == data
    if pdf.pdf_available():
        response = client.get(reverse("documents:download", args=[doc.pk]) + "?format=pdf")
        assert response.status_code == 200 and b"".join(response.streaming_content)[:5] == b"%PDF-"


@pytest.mark.urls("tests.documents.urls")
def test_a_bulk_zip_is_built_in_a_temporary_folder_and_uploaded(pathless, branch, clerk, client,
                                                                 django_capture_on_commit_callbacks):
    items = [{"context": notice_context(member_name=f"党员{i}"), "subject_key": f"member:{i}:2025"} for i in (1, 2, 3)]
    with_pdf = pdf.pdf_available()
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_bulk_job("result_notice", organisation=branch, items=items, triggered_by=clerk,
                                      with_pdf=with_pdf)
    job.refresh_from_db()
    assert job.status == BulkStatus.DONE and job.done == 3 and not job.pdf_error
    with zipfile.ZipFile(io.BytesIO(_stored("documents", job.zip_file.name))) as archive:
        names = archive.namelist()
    assert sum(n.endswith(".docx") for n in names) == 3
    assert sum(n.endswith(".pdf") for n in names) == (3 if with_pdf else 0)

    client.force_login(clerk)
    response = client.get(reverse("documents:bulk_download", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == _stored("documents", job.zip_file.name)


def test_evidence_uploads_and_downloads_without_a_local_path(pathless, county, client):
    declaration = declare(county, member=county.members[0],
                          evidence=[SimpleUploadedFile("scan.pdf", PDF_BYTES, content_type="application/pdf")])
    item = declaration.evidence.get()
    assert _stored("evidence", item.file.name) == PDF_BYTES
    assert not storages["documents"].exists(item.file.name)  # evidence has its own storage
    client.force_login(county.clerk)
    response = client.get(reverse("reviews:evidence", args=[item.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES


# -- S3, configured from the environment as in production ------------------------------------

S3_ENV = {
    "JIFEN_STORAGE": "s3", "JIFEN_S3_BUCKET": "jifen-test", "JIFEN_S3_PREFIX": "county",
    "AWS_S3_REGION_NAME": "us-east-1", "AWS_S3_ENDPOINT_URL": "",
}


def _settings_storages(env):
    """``settings.STORAGES`` as a fresh process reads it from ``env``."""
    code = "import json, django; django.setup(); from django.conf import settings; print(json.dumps(settings.STORAGES))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                         env={**os.environ, "DJANGO_SETTINGS_MODULE": "jifen.settings", **env})
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_the_embedded_default_is_the_private_folder():
    configured = _settings_storages({"JIFEN_STORAGE": ""})
    assert configured["documents"] == {"BACKEND": "documents.storage.PrivateStorage"}
    assert configured["evidence"]["OPTIONS"] == {"subdir": "evidence"}


def test_jifen_storage_s3_needs_a_bucket_and_rejects_unknown_backends():
    code = "import django; django.setup()"
    for env, message in (({"JIFEN_STORAGE": "s3", "JIFEN_S3_BUCKET": ""}, "JIFEN_S3_BUCKET"),
                         ({"JIFEN_STORAGE": "nfs"}, "'local' or 's3'")):
        run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                             env={**os.environ, "DJANGO_SETTINGS_MODULE": "jifen.settings", **env})
        assert run.returncode != 0 and message in run.stderr


@pytest.fixture
def s3(settings, monkeypatch):
    moto = pytest.importorskip("moto")
    import boto3

    configured = _settings_storages(S3_ENV)
    for alias in ("documents", "evidence"):
        assert configured[alias]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert configured["documents"]["OPTIONS"]["location"] == "county"
    assert configured["evidence"]["OPTIONS"]["location"] == "county/evidence"
    assert configured["documents"]["OPTIONS"]["file_overwrite"] is False
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    with moto.mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="jifen-test")
        settings.STORAGES = {**settings.STORAGES, **{a: configured[a] for a in ("default", "documents", "evidence")}}
        yield boto3.client("s3", region_name="us-east-1")


@pytest.mark.urls("tests.documents.urls")
def test_documents_bulk_zips_and_evidence_on_s3(s3, branch, clerk, county, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        doc = services.request_document("result_notice", organisation=branch, context=notice_context())
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.DONE, doc.error
    body = s3.get_object(Bucket="jifen-test", Key=f"county/{doc.file.name}")["Body"].read()
    assert hashlib.sha256(body).hexdigest() == doc.sha256
    assert services.read_verified(doc) == body

    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_bulk_job("result_notice", organisation=branch, triggered_by=clerk,
                                      items=[{"context": notice_context(member_name="张三")}])
    job.refresh_from_db()
    assert job.status == BulkStatus.DONE
    s3.head_object(Bucket="jifen-test", Key=f"county/{job.zip_file.name}")

    declaration = declare(county, member=county.members[0],
                          evidence=[SimpleUploadedFile("scan.pdf", PDF_BYTES, content_type="application/pdf")])
    item = declaration.evidence.get()
    assert s3.get_object(Bucket="jifen-test", Key=f"county/evidence/{item.file.name}")["Body"].read() == PDF_BYTES
    # the verification of every chain re-reads the issued files from the bucket
    call_command("verify_ledger", stdout=io.StringIO())
