"""A document addressed to a member (GeneratedDocument.member) is that member's to download."""
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from documents import services
from documents.models import DocumentStatus, GeneratedDocument, ImmutableDocumentError
from documents.permissions import can_view
from documents.rendering import ContextError
from members.models import Member

from .conftest import notice_context


@pytest.fixture
def people(branch, other_branch):
    users = get_user_model().objects
    zhang = Member.objects.create(organisation=branch, name="张红梅",
                                  user=users.create_user("zhang", password="pw-zhang-1"))
    liu = Member.objects.create(organisation=branch, name="刘志强",
                                user=users.create_user("liu", password="pw-liu-1"))
    zhou = Member.objects.create(organisation=other_branch, name="周明")
    return zhang, liu, zhou


def _notice(branch, member, **kw):
    return services.request_document("result_notice", organisation=branch, member=member,
                                     context=notice_context(member_name=member.name, **kw),
                                     subject_key=f"member:{member.pk}:2025")


def test_member_sees_own_notice_not_anothers(branch, people, client, django_capture_on_commit_callbacks):
    zhang, liu, _zhou = people
    with django_capture_on_commit_callbacks(execute=True):
        own = _notice(branch, zhang)
        other = _notice(branch, liu, score="75", grade="合格")
    own.refresh_from_db()
    assert own.member == zhang and own.status == DocumentStatus.DONE
    assert can_view(zhang.user, own) and not can_view(zhang.user, other)
    assert can_view(liu.user, other) and not can_view(liu.user, own)
    stranger = get_user_model().objects.create_user("stranger", password="pw-stranger-1")
    assert not can_view(stranger, own)

    client.force_login(zhang.user)
    response = client.get(reverse("documents:download", args=[own.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content)[:2] == b"PK"
    assert client.get(reverse("documents:download", args=[other.pk])).status_code == 403
    page = client.get(reverse("portal:downloads")).content.decode()
    assert reverse("documents:download", args=[own.pk]) in page
    assert reverse("documents:download", args=[other.pk]) not in page


def test_the_addressee_belongs_to_the_issuing_organisation(branch, people):
    _zhang, _liu, zhou = people
    with pytest.raises(ContextError, match="不属于发文组织"):
        _notice(branch, zhou)
    with pytest.raises(ContextError, match="不存在"):
        services.request_document("result_notice", organisation=branch, member=999999, context=notice_context())
    assert not GeneratedDocument.objects.exists()


def test_a_new_version_stays_addressed_to_the_member(branch, people, django_capture_on_commit_callbacks):
    zhang, _liu, _zhou = people
    with django_capture_on_commit_callbacks(execute=True):
        first = _notice(branch, zhang)
        second = services.regenerate(first, context=notice_context(score="93"))
    assert second.version == 2 and second.member_id == zhang.pk
    with pytest.raises(ImmutableDocumentError, match="不能修改"):
        second.member = None
        second.save()


def test_bulk_items_name_their_member(branch, people, clerk, django_capture_on_commit_callbacks):
    zhang, liu, _zhou = people
    items = [{"context": notice_context(member_name=m.name), "subject_key": f"member:{m.pk}:2025", "member": m.pk}
             for m in (zhang, liu)]
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_bulk_job("result_notice", organisation=branch, items=items, triggered_by=clerk)
    docs = {d.member_id: d for d in GeneratedDocument.objects.filter(bulk_job=job)}
    assert set(docs) == {zhang.pk, liu.pk}
    assert can_view(zhang.user, docs[zhang.pk]) and not can_view(zhang.user, docs[liu.pk])
