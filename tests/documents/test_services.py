"""request_document: numbering without gaps, rendering after commit, immutability, versions."""
import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from documents import services
from documents.models import DocumentNumberSequence, DocumentStatus, GeneratedDocument, ImmutableDocumentError
from documents.rendering import ContextError

from .conftest import notice_context
from .docx_helpers import load

pytestmark = pytest.mark.django_db


def _request(branch, clerk=None, **kw):
    context = kw.pop("context", None) or notice_context()
    return services.request_document("result_notice", organisation=branch, context=context,
                                     triggered_by=clerk, **kw)


def test_document_is_rendered_after_commit_and_stored_privately(branch, clerk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        doc = _request(branch, clerk, process=41, task=42, subject_key="member:1:2025")
        doc.refresh_from_db()
        assert doc.status == DocumentStatus.PENDING and not doc.file  # nothing before commit
    assert len(callbacks) == 1
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.DONE
    path = Path(doc.file.path)
    assert path.is_file()
    assert path.resolve().is_relative_to(Path(settings.PRIVATE_STORAGE_ROOT).resolve())
    data = path.read_bytes()
    assert doc.sha256 == hashlib.sha256(data).hexdigest() and doc.size == len(data)
    assert (doc.process_id, doc.task_id, doc.triggered_by) == (41, 42, clerk)
    text = "\n".join(p.text for p in load(data).paragraphs)
    assert "东街党支〔2026〕1号" in text and "中共城关镇东街社区支部委员会" in text
    assert "你2025年度积分为92.5分，评定等次为优秀。" in text
    assert doc.context["org_name"] == branch.name and doc.context["doc_number"] == "东街党支〔2026〕1号"


def test_numbers_are_per_organisation_and_year_without_gaps(branch, other_branch):
    numbers = [_request(branch).document_number for _ in range(3)]
    assert numbers == ["东街党支〔2026〕1号", "东街党支〔2026〕2号", "东街党支〔2026〕3号"]
    assert _request(other_branch).document_number == "西街党支〔2026〕1号"
    assert _request(branch, context=notice_context(issue_date="2027-01-04")).document_number == "东街党支〔2027〕1号"
    assert DocumentNumberSequence.objects.get(organisation=branch, year=2026).last_number == 3


def test_rolled_back_request_returns_its_number(branch):
    _request(branch)
    with pytest.raises(RuntimeError, match="the workflow step failed"):
        with transaction.atomic():
            doc = _request(branch)
            assert doc.document_number == "东街党支〔2026〕2号"
            raise RuntimeError("the workflow step failed after asking for its document")
    assert _request(branch).document_number == "东街党支〔2026〕2号"
    assert GeneratedDocument.objects.filter(organisation=branch).count() == 2


def test_missing_key_is_named_and_takes_no_number(branch):
    ctx = notice_context()
    del ctx["grade"]
    with pytest.raises(ContextError) as info:
        _request(branch, context=ctx)
    assert info.value.key == "grade" and "grade" in str(info.value)
    assert "缺少必填数据" in str(info.value)
    assert not DocumentNumberSequence.objects.filter(organisation=branch).exists()
    assert _request(branch).document_number.endswith("〔2026〕1号")


def test_bad_values_are_refused_with_the_key(branch):
    with pytest.raises(ContextError, match="grade"):
        _request(branch, context=notice_context(grade="很好"))
    with pytest.raises(ContextError, match="issue_date"):
        _request(branch, context=notice_context(issue_date="2026-13-01"))
    with pytest.raises(ContextError, match="doc_number"):
        _request(branch, context=notice_context(doc_number="手写〔2026〕9号"))
    with pytest.raises(ContextError, match="member_name"):
        _request(branch, context=notice_context(member_name=object()))


def test_decimal_and_date_values_are_stored_as_json(branch):
    import datetime

    doc = _request(branch, context=notice_context(score=Decimal("88.50"), issue_date=datetime.date(2026, 3, 6)))
    doc.refresh_from_db()
    assert doc.context["score"] == "88.50" and doc.context["issue_date"] == "2026-03-06"


def test_organisation_without_short_name_uses_its_name(committee):
    from organisations.models import Organisation

    org = Organisation.objects.create(name="东街第二支部", kind="branch", code="d2", parent=committee)
    assert _request(org).document_number == "东街第二支部〔2026〕1号"


def test_regenerating_makes_a_new_version_with_the_same_number(branch, clerk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _request(branch, clerk, subject_key="member:7:2025")
    with django_capture_on_commit_callbacks(execute=True):
        second = services.regenerate(first, context=notice_context(score="93", grade="优秀"))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert second.document_number == first.document_number
    assert second.sha256 != first.sha256
    assert first.status == second.status == DocumentStatus.DONE
    # another subject gets the next number, not a reused one
    assert _request(branch, subject_key="member:8:2025").document_number == "东街党支〔2026〕2号"


def test_regenerate_from_stored_context_picks_up_a_renamed_organisation(branch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _request(branch, subject_key="member:9:2025")
    branch.name = "中共城关镇东街社区委员会"
    branch.save()
    with django_capture_on_commit_callbacks(execute=True):
        second = services.regenerate(first)
    second.refresh_from_db()
    assert second.context["org_name"] == second.context["signatory"] == "中共城关镇东街社区委员会"
    assert second.document_number == first.document_number


def test_documents_are_immutable(branch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        doc = _request(branch)
    doc.refresh_from_db()
    doc.context = {**doc.context, "grade": "不合格"}
    with pytest.raises(ImmutableDocumentError):
        doc.save()
    doc.refresh_from_db()
    doc.sha256 = "0" * 64
    with pytest.raises(ImmutableDocumentError):
        doc.save()
    doc.refresh_from_db()
    with pytest.raises(ImmutableDocumentError):
        doc.delete()
    with pytest.raises(ImmutableDocumentError):
        GeneratedDocument.objects.filter(pk=doc.pk).delete()
    with pytest.raises(ImmutableDocumentError):
        GeneratedDocument.objects.filter(pk=doc.pk).update(document_number="x")
    assert GeneratedDocument.objects.get(pk=doc.pk).context["grade"] == "优秀"


def test_tampered_file_is_refused(branch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        doc = _request(branch)
    doc.refresh_from_db()
    assert services.read_verified(doc)[:2] == b"PK"
    Path(doc.file.path).write_bytes(b"PK-not-the-same")
    with pytest.raises(OSError, match="SHA-256"):
        services.read_verified(doc)


def test_a_failing_render_is_recorded_not_lost(branch, django_capture_on_commit_callbacks, monkeypatch):
    from documents import rendering

    def boom(*a, **k):
        raise rendering.DocumentRenderError("模板损坏")

    monkeypatch.setattr(services, "render_template_bytes", boom)
    with django_capture_on_commit_callbacks(execute=True):
        doc = _request(branch)
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.FAILED and "模板损坏" in doc.error
    assert doc.document_number == "东街党支〔2026〕1号"


@pytest.mark.django_db(transaction=True)
def test_allocate_number_requires_a_transaction(branch):
    with pytest.raises(RuntimeError, match=r"inside transaction\.atomic\(\)"):
        services.allocate_number(branch, 2026)


def test_control_characters_are_recorded_on_the_document(branch, django_capture_on_commit_callbacks):
    ctx = dict(_sample_without_system_keys("objection_receipt"), reason="不实\x07加分\x0b请查")
    with django_capture_on_commit_callbacks(execute=True):
        doc = services.request_document("objection_receipt", organisation=branch, context=ctx)
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.DONE
    assert [(n["path"], n["char"]) for n in doc.sanitised] == [("reason", "U+0007"), ("reason", "U+000B")]
    assert doc.context["reason"] == "不实\ufffd加分\n请查"


def test_signatory_can_differ_from_the_issuing_organisation(branch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        doc = _request(branch, context=notice_context(signatory="中共城关镇东街社区委员会（代章）"))
    doc.refresh_from_db()
    text = [p.text for p in load(Path(doc.file.path).read_bytes()).paragraphs]
    assert "中共城关镇东街社区委员会（代章）" in text
    assert "（中共城关镇东街社区委员会（代章）印章）" in text


def _sample_without_system_keys(kind):
    from documents.rendering import sample_context

    ctx = sample_context(kind)
    ctx.pop("org_name", None)
    ctx.pop("doc_number", None)
    return ctx
