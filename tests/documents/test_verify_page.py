"""The public verification page (/verify/<id or 发文字号>/), the seal page, and the public base URL check."""
import pytest
from django.core.checks import run_checks
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents import links, services
from organisations.models import Role, RoleKind

from .conftest import notice_context
from .docx_helpers import load
from .seal_png import seal_png

@pytest.fixture
def issued(branch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = services.request_document("result_notice", organisation=branch, context=notice_context())
    document.refresh_from_db()
    return document


def test_the_issued_file_carries_the_address_of_its_verification_page(issued, settings):
    doc = load(issued.file.open("rb").read())
    url = links.verify_url(issued.pk)
    assert url == settings.PUBLIC_BASE_URL.rstrip("/") + f"/verify/{issued.pk}/"
    assert any(url in p.text for p in doc.paragraphs)


def test_anyone_sees_issuer_kind_date_and_that_the_file_matches(client, issued):
    for key in (issued.pk, issued.document_number):
        response = client.get(reverse("verify", args=[key]))
        page = response.content.decode()
        assert response.status_code == 200
        assert issued.organisation.name in page and "年度评定结果通知" in page and "2026年1月15日" in page
        assert issued.sha256 in page and "存档文件与签发时记录的哈希一致" in page
    assert client.get(reverse("verify", args=["999999"])).status_code == 404


def test_a_changed_file_shows_as_not_matching(client, issued):
    with open(issued.file.path, "r+b") as handle:
        handle.seek(100)
        handle.write(b"Z")
    page = client.get(reverse("verify", args=[issued.pk])).content.decode()
    assert "核验未通过" in page and "公文文件已被改动" in page


def test_uploading_a_copy_checks_it_byte_for_byte(client, issued):
    data = issued.file.open("rb").read()
    page = client.post(reverse("verify", args=[issued.pk]),
                       {"file": SimpleUploadedFile("copy.docx", data)}).content.decode()
    assert "原件，与存档一致" in page
    page = client.post(reverse("verify", args=[issued.pk]),
                       {"file": SimpleUploadedFile("copy.docx", data + b" ")}).content.decode()
    assert "系统没有签发过与该文件一致的公文" in page
    # without a key, the hash finds the document
    page = client.post(reverse("verify_upload"), {"file": SimpleUploadedFile("x.docx", data)}).content.decode()
    assert issued.organisation.name in page and "原件，与存档一致" in page
    assert client.post(reverse("verify_upload"), {}).status_code == 400


def test_a_genuine_copy_of_another_document_is_named_not_called_altered(client, branch, issued,
                                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        other = services.request_document("result_notice", organisation=branch,
                                          context={**notice_context(), "member_name": "另一位党员"})
    other.refresh_from_db()
    assert other.sha256 != issued.sha256
    page = client.post(reverse("verify", args=[issued.pk]),
                       {"file": SimpleUploadedFile("other.docx", other.file.open("rb").read())}).content.decode()
    assert 'id="upload-other"' in page and other.document_number in page and "年度评定结果通知" in page
    assert reverse("verify", args=[other.pk]) in page
    assert "可能被修改" not in page and "原件，与存档一致" not in page


def test_the_seal_page_shows_the_log_and_takes_an_upload_from_the_secretary(client, branch, clerk, django_user_model,
                                                                               django_capture_on_commit_callbacks):
    url = reverse("documents:seal", args=[branch.code])
    client.force_login(clerk)
    assert "尚未上传印章" in client.get(url).content.decode()
    assert client.post(url, {"image": SimpleUploadedFile("s.png", seal_png(300)), "diameter_mm": "40"}).status_code == 403
    secretary = django_user_model.objects.create_user("sec", password="pw-123456-x")
    Role.objects.create(user=secretary, organisation=branch, kind=RoleKind.SECRETARY)
    client.force_login(secretary)
    bad = client.post(url, {"image": SimpleUploadedFile("s.png", seal_png(300, alpha=False)), "diameter_mm": "40"})
    assert bad.status_code == 400 and "透明背景" in bad.content.decode()
    ok = client.post(url, {"image": SimpleUploadedFile("s.png", seal_png(300)), "diameter_mm": "40"})
    assert ok.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        document = services.request_document("result_notice", organisation=branch, context=notice_context(),
                                              triggered_by=secretary)
    page = client.get(url).content.decode()
    assert document.document_number in page and "年度评定结果通知" in page
    image = client.get(reverse("documents:seal_image", args=[document.seal_id]))
    assert b"".join(image.streaming_content) == seal_png(300)


def _w001(settings, url, debug):
    settings.PUBLIC_BASE_URL, settings.DEBUG = url, debug
    return [m.id for m in run_checks() if m.id == "documents.W001"]


def test_check_warns_about_a_loopback_public_base_url_in_production(settings):
    assert _w001(settings, "http://127.0.0.1:8000", True) == []
    for url in ("http://127.0.0.1:8000", "http://localhost:8000/", "http://[::1]/", "http://0.0.0.0", "jifen.org"):
        assert _w001(settings, url, False) == ["documents.W001"], url
    assert _w001(settings, "https://jifen.example.org", False) == []
