"""Evidence checked by content, stored privately, served only to those allowed."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reviews.services import declarations
from reviews.evidence import sniff_content_type
from reviews.models import Declaration, Evidence
from tests.world import declare

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"1 0 obj\n" * 4
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 16


@pytest.mark.parametrize("data, expected", [
    (PNG, "image/png"), (JPEG, "image/jpeg"), (PDF, "application/pdf"), (WEBP, "image/webp"),
    (HEIC, "image/heic"), (b"MZ\x90\x00 this is an exe", None), (b"<html><script>", None),
    (b"GIF89a....", None), (b"", None),
])
def test_content_is_sniffed_from_magic_bytes(data, expected):
    assert sniff_content_type(data[:32]) == expected


def test_evidence_is_checked_stored_privately_and_hashed(county, settings, tmp_path):
    upload = SimpleUploadedFile("巡查照片.jpg", PNG, content_type="image/jpeg")  # the name lies; content wins
    declaration = declare(county, evidence=[upload])
    item = declaration.evidence.get()
    assert item.content_type == "image/png"
    assert item.size == len(PNG) and len(item.sha256) == 64
    path = item.file.path
    assert path.startswith(str(settings.PRIVATE_STORAGE_ROOT)) and path.endswith(".png")
    with open(path, "rb") as fh:
        assert fh.read() == PNG

    exe = SimpleUploadedFile("photo.png", b"MZ\x90\x00" + b"\x00" * 40, content_type="image/png")
    with pytest.raises(ValidationError, match="不是可接受的格式"):
        declarations.add_evidence(declaration, exe, county.clerk)
    settings.JIFEN_EVIDENCE_MAX_BYTES = 50
    with pytest.raises(ValidationError, match="超过"):
        declarations.add_evidence(declaration, SimpleUploadedFile("big.pdf", PDF + b"x" * 60), county.clerk)
    with pytest.raises(PermissionDenied):
        declarations.add_evidence(declaration, SimpleUploadedFile("a.pdf", PDF[:40]), county.west_secretary)
    # A refused declaration with a bad file leaves nothing behind.
    evidence_before, declarations_before = Evidence.objects.count(), Declaration.objects.count()
    with pytest.raises(ValidationError, match="不是可接受的格式"):
        declare(county, evidence=[SimpleUploadedFile("x.txt", b"hello")])
    assert (Evidence.objects.count(), Declaration.objects.count()) == (evidence_before, declarations_before)


def test_evidence_download_only_for_permitted_users(county, client):
    declaration = declare(county, member=county.members[0],
                          evidence=[SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")])
    item = declaration.evidence.get()
    url = reverse("reviews:evidence", args=[item.pk])
    assert client.get(url).status_code == 302  # login first
    client.force_login(county.west_secretary)
    assert client.get(url).status_code == 403
    for user in (county.member_user, county.clerk, county.reviewer):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF
