"""Evidence checked by content, served only to those allowed; the public board; task pages."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reviews import services
from reviews.evidence import sniff_content_type
from reviews.models import Declaration, DeclarationStatus, Evidence, RoundStatus

from .conftest import declare, open_round, quorate_meeting

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
        services.add_evidence(declaration, exe, county.clerk)
    settings.JIFEN_EVIDENCE_MAX_BYTES = 50
    with pytest.raises(ValidationError, match="超过"):
        services.add_evidence(declaration, SimpleUploadedFile("big.pdf", PDF + b"x" * 60), county.clerk)
    with pytest.raises(PermissionDenied):
        services.add_evidence(declaration, SimpleUploadedFile("a.pdf", PDF[:40]), county.west_secretary)
    # A refused declaration with a bad file leaves nothing behind.
    evidence_before, declarations_before = Evidence.objects.count(), Declaration.objects.count()
    with pytest.raises(ValidationError):
        declare(county, evidence=[SimpleUploadedFile("x.txt", b"hello")])
    assert (Evidence.objects.count(), Declaration.objects.count()) == (evidence_before, declarations_before)


def test_evidence_download_only_for_permitted_users(county, client):
    declaration = declare(county, member=county.members[0],
                          evidence=[SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")])
    item = declaration.evidence.get()
    url = reverse("reviews:evidence", args=[item.pk])
    assert client.get(url).status_code == 302  # login first
    client.force_login(county.west_secretary)
    assert client.get(url).status_code == 404
    for user in (county.member_user, county.clerk, county.reviewer):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF


def _filed(county):
    declaration = declare(county, points="3")
    review_round = open_round(county)
    quorate_meeting(county, review_round)
    services.bulk_approve(review_round, county.clerk)
    services.submit_to_higher(review_round, county.secretary)
    services.file_round(review_round, county.reviewer)
    return review_round, declaration


def test_public_board_shows_name_item_points_only(county, client):
    review_round, declaration = _filed(county)
    declaration.description = "身份证号430521198005060011的私密事由"
    declaration.save()
    response = client.get(reverse("reviews:board", args=[review_round.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "刘志强" in body and "志愿服务" in body and "3.00" in body and "东街社区党支部" in body
    assert "430521" not in body and "私密事由" not in body
    assert 'name="viewport"' in body
    assert reverse("flows:lodge_objection", args=[declaration.pk]) in body


def test_anyone_can_object_from_the_board(county, client):
    review_round, declaration = _filed(county)
    url = reverse("flows:lodge_objection", args=[declaration.pk])
    response = client.post(url, {"objector_name": "", "objector_contact": "1", "reason": "x"})
    assert response.status_code == 200 and "请填写异议人姓名" in response.content.decode()
    response = client.post(url, {"objector_name": "赵大伟", "objector_contact": "138", "reason": "不实"})
    assert response.status_code == 302
    objection = declaration.objections.get()
    assert objection.received_by is None and objection.objector_name == "赵大伟"


def test_task_pages_call_the_services(county, client):
    declare(county)
    review_round = open_round(county)
    process = review_round.process
    url = reverse("flows:branch_meeting", args=[process.pk])
    client.force_login(county.west_secretary)
    client.post(url, {"action": "submit"})
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.BRANCH_MEETING
    client.force_login(county.clerk)
    client.post(url, {"action": "record_meeting", "kind": "committee", "held_on": services.local_today().isoformat(),
                      "entitled_count": "5", "attendee_count": "4", "minute_taker": "王芳"})
    client.post(url, {"action": "bulk_approve"})
    assert set(review_round.declarations.values_list("status", flat=True)) == {DeclarationStatus.APPROVED}
    page = client.get(url).content.decode()
    assert "认定" in page
    client.force_login(county.secretary)
    client.post(url, {"action": "submit"})
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.HIGHER_REVIEW
    review_url = reverse("flows:higher_review", args=[process.pk])
    client.force_login(county.reviewer)
    response = client.post(review_url, {"action": "return", "comments": ""}, follow=True)
    assert "退回须填写审查意见" in response.content.decode()
    client.post(review_url, {"action": "file", "comments": "同意"})
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.PUBLICITY


def test_node_view_under_viewflows_wrapper(county, client):
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from flows.flows import ReviewRoundFlow

    declare(county)
    review_round = open_round(county)
    quorate_meeting(county, review_round)
    services.bulk_approve(review_round, county.clerk)
    task = Task.objects.get(process_id=review_round.process.pk, flow_task=ReviewRoundFlow.branch_meeting)
    url = reverse("wf_branch_meeting", args=[review_round.process.pk, task.pk])
    node = ReviewRoundFlow.branch_meeting
    assert node.can_assign(county.secretary, task) and not node.can_assign(county.west_secretary, task)
    assert not node.can_assign(county.clerk, task)  # the secretary reports the round upward
    with task.activation() as activation:
        activation.assign(county.deputy)
    client.force_login(county.secretary)  # not the owner: viewflow refuses
    assert client.post(url, {"action": "submit"}).status_code == 403
    client.force_login(county.deputy)
    response = client.post(url, {"action": "submit"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == STATUS.DONE and task.owner == county.deputy
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.HIGHER_REVIEW
