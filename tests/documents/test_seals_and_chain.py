"""Seals (upload, pressing, 用印登记) and the document chain (append, verify, tamper detection)."""
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from docx.oxml.ns import qn

from documents import chain, seals, services
from documents.models import DocumentChainEntry, GeneratedDocument, ImmutableDocumentError, SealUse
from organisations.models import Role, RoleKind

from .conftest import notice_context
from .docx_helpers import load
from .seal_png import seal_png


@pytest.fixture
def secretary(branch, django_user_model):
    user = django_user_model.objects.create_user("sec", password="pw-123456-x", first_name="李建国")
    Role.objects.create(user=user, organisation=branch, kind=RoleKind.SECRETARY)
    return user


def _issue(branch, by=None, **overrides):
    return services.request_document("result_notice", organisation=branch, context=notice_context(**overrides),
                                     triggered_by=by)


@pytest.mark.parametrize("data, code", [
    (b"GIF89a....", "seal_not_png"),
    (seal_png(300, alpha=False), "seal_not_transparent"),
    (seal_png(120), "seal_bad_size"),
])
def test_a_seal_must_be_a_transparent_png_of_a_sensible_size(branch, secretary, data, code):
    with pytest.raises(ValidationError) as caught:
        seals.upload_seal(branch, data, secretary)
    assert [e.code for e in caught.value.error_dict["image"]] == [code]


def test_only_the_secretary_uploads_and_a_new_seal_retires_the_old(branch, secretary, clerk):
    with pytest.raises(PermissionDenied):
        seals.upload_seal(branch, seal_png(300), clerk)
    with pytest.raises(ValidationError) as caught:
        seals.upload_seal(branch, seal_png(300), secretary, diameter_mm=80)
    assert caught.value.error_dict["diameter_mm"][0].code == "seal_bad_diameter"
    first = seals.upload_seal(branch, seal_png(300), secretary)
    second = seals.upload_seal(branch, seal_png(320), secretary, diameter_mm=42)
    first.refresh_from_db()
    assert first.retired_at is not None and seals.current_seal(branch) == second
    assert (second.width_px, second.height_px, second.diameter_mm) == (320, 320, 42)
    with pytest.raises(ImmutableDocumentError):
        first.delete()


def test_a_sealed_notice_carries_the_seal_over_its_signature_and_logs_the_use(
        branch, secretary, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        plain = _issue(branch, by=secretary)
    plain.refresh_from_db()
    doc = load(plain.file.open("rb").read())
    assert any(p.text == f"（{branch.name}印章）" for p in doc.paragraphs)  # no seal yet: the placeholder
    assert not SealUse.objects.exists()

    seal = seals.upload_seal(branch, seal_png(300), secretary)
    with django_capture_on_commit_callbacks(execute=True):
        sealed = _issue(branch, by=secretary, member_name="赵卫东")
    sealed.refresh_from_db()
    assert sealed.seal == seal
    use = SealUse.objects.get()
    assert (use.seal, use.document, use.document_number, use.used_by, use.kind) == (
        seal, sealed, sealed.document_number, secretary, "result_notice")
    doc = load(sealed.file.open("rb").read())
    assert not any("印章" in p.text for p in doc.paragraphs)  # the placeholder gave way
    signature = next(p for p in doc.paragraphs if p.style.name == "GW Signature")
    (anchor,) = signature._p.iter(qn("wp:anchor"))
    blip = next(anchor.iter(qn("a:blip")))
    assert doc.part.related_parts[blip.get(qn("r:embed"))].blob == seal_png(300)
    assert anchor.get("behindDoc") == "0"  # in front of the text: its transparency shows name and date
    extent = anchor.find(qn("wp:extent"))
    assert int(extent.get("cx")) == int(extent.get("cy")) == int(40 / 25.4 * 72 * 12700)
    with pytest.raises(ImmutableDocumentError):
        use.save()
    # a kind without a signature takes no seal
    with django_capture_on_commit_callbacks(execute=True):
        table = services.request_document("summary_table", organisation=branch, context={
            "period": "2025年第一季度", "member_count": 0, "rows": []})
    assert table.seal is None and SealUse.objects.count() == 1


def test_every_rendered_document_enters_the_chain_and_verify_ledger_checks_it(
        branch, other_branch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        docs = [_issue(branch, member_name=f"党员{i}") for i in range(3)] + [_issue(other_branch)]
    entries = list(DocumentChainEntry.objects.filter(organisation=branch).order_by("seq"))
    assert [e.seq for e in entries] == [1, 2, 3]
    assert [e.document_id for e in entries] == [d.pk for d in docs[:3]]
    assert entries[0].prev_hash == chain.GENESIS_HASH and entries[1].prev_hash == entries[0].entry_hash
    for d, e in zip(docs, entries):
        d.refresh_from_db()
        assert e.document_sha256 == d.sha256
    assert all(report.ok for report in chain.verify_all())
    out = io.StringIO()
    call_command("verify_ledger", stdout=out)
    assert "公文哈希链 2 个组织，4 份公文" in out.getvalue()


def _tamper(sql, *params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize("how, problem", [
    ("file", "file"), ("sha", "document"), ("entry", "content"), ("delete_last", "head"),
])
def test_verify_finds_a_changed_file_record_or_chain(branch, django_capture_on_commit_callbacks, how, problem):
    with django_capture_on_commit_callbacks(execute=True):
        docs = [_issue(branch, member_name=f"党员{i}") for i in range(3)]
    target = GeneratedDocument.objects.get(pk=docs[1].pk)
    if how == "file":
        path = target.file.path
        with open(path, "r+b") as handle:
            handle.seek(200)
            handle.write(b"X")
    elif how == "sha":
        _tamper("UPDATE documents_generateddocument SET sha256 = %s WHERE id = %s", "0" * 64, target.pk)
    elif how == "entry":
        _tamper("UPDATE documents_documentchainentry SET document_sha256 = %s WHERE document_id = %s",
                "1" * 64, target.pk)
    else:
        _tamper("DELETE FROM documents_documentchainentry WHERE document_id = %s", docs[2].pk)
    (report,) = chain.verify_all()
    assert not report.ok and report.problem.problem == problem
    with pytest.raises(CommandError, match="公文哈希链校验失败"):
        call_command("verify_ledger", stdout=io.StringIO(), stderr=io.StringIO())
