"""The seams between the flows, the portal, documents, schemes and the ledger.

* a flow task opened from viewflow's own URLs under /workflow/ is the portal's screen;
* who may see a flow's pages is the organisation tree (``has_view_permission``).
"""
import pytest
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from reviews.flows import ObjectionFlow, ReviewRoundFlow
from reviews.models import RoundStatus
from reviews.services import meeting, objections
from reviews.services import filing as filing_service
from tests.world import declare, make_user, open_round, quorate_meeting


@pytest.fixture(autouse=True)
def _site_urls_loaded():
    """viewflow links nodes to their flow (for ``node.reverse``) when the URLconf is built."""
    from django.urls import get_resolver

    get_resolver().url_patterns


def _task(process, node):
    return Task.objects.get(process_id=process.pk, flow_task=node, status__in=(STATUS.NEW, STATUS.ASSIGNED))


def _templates(response):
    return [t.name for t in response.templates]


def _filed_round(county):
    declare(county, points="3")
    review_round = open_round(county)
    quorate_meeting(county, review_round)
    meeting.bulk_approve(review_round, county.clerk)
    meeting.submit_to_higher(review_round, county.secretary)
    filing_service.file_round(review_round, county.reviewer)
    return review_round


# -- 1. the flow's task pages are the portal's screens ------------------------------------------


def test_branch_meeting_task_from_viewflow_lands_on_the_portal_meeting_screen(county, client):
    declare(county)
    review_round = open_round(county)
    process = review_round.process
    task = _task(process, ReviewRoundFlow.branch_meeting)
    node = ReviewRoundFlow.branch_meeting
    index = node.reverse("index", args=[process.pk, task.pk])
    assert index.startswith("/workflow/")

    client.force_login(county.secretary)
    # Unassigned: viewflow offers "assign"; after assigning, the task index leads to the screen.
    response = client.get(index)
    assert response.status_code == 302 and response.url == node.reverse("assign", args=[process.pk, task.pk])
    assert client.post(response.url).status_code == 302
    task.refresh_from_db()
    assert task.owner == county.secretary and task.status == STATUS.ASSIGNED
    response = client.get(index, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == node.reverse("execute", args=[process.pk, task.pk])
    assert "reviews/branch_meeting.html" in _templates(response)
    assert review_round.organisation.name in response.content.decode()

    # Another branch's secretary: no screen, no task detail, no execution.
    client.force_login(county.west_secretary)
    assert client.get(node.reverse("execute", args=[process.pk, task.pk])).status_code == 403
    assert client.get(node.reverse("detail", args=[process.pk, task.pk])).status_code == 403
    response = client.get(index)
    assert response.status_code == 302 and "/workflow/" not in response.url


def test_submitting_through_the_viewflow_url_completes_the_task_once(county, client):
    declare(county)
    review_round = open_round(county)
    quorate_meeting(county, review_round)
    meeting.bulk_approve(review_round, county.clerk)
    process = review_round.process
    task = _task(process, ReviewRoundFlow.branch_meeting)
    with task.activation() as activation:
        activation.assign(county.deputy)
    url = ReviewRoundFlow.branch_meeting.reverse("execute", args=[process.pk, task.pk])
    client.force_login(county.secretary)  # not the owner: viewflow refuses
    assert client.post(url, {"action": "submit"}).status_code == 403
    client.force_login(county.deputy)
    response = client.post(url, {"action": "submit"})
    assert response.status_code == 302 and response.url == reverse("reviews:round_detail", args=[review_round.pk])
    task.refresh_from_db()
    review_round.refresh_from_db()
    assert task.status == STATUS.DONE and task.owner == county.deputy
    assert review_round.status == RoundStatus.HIGHER_REVIEW


def test_higher_review_task_is_the_portal_filing_screen(county, client):
    declare(county)
    review_round = open_round(county)
    quorate_meeting(county, review_round)
    meeting.bulk_approve(review_round, county.clerk)
    meeting.submit_to_higher(review_round, county.secretary)
    process = review_round.process
    task = _task(process, ReviewRoundFlow.higher_review)
    node = ReviewRoundFlow.higher_review
    # the general branch has one reviewer: the task is theirs from the start (workflow.assignment)
    assert task.status == STATUS.ASSIGNED and task.owner == county.reviewer
    url = node.reverse("execute", args=[process.pk, task.pk])
    client.force_login(county.reviewer)
    response = client.get(url)
    assert response.status_code == 200 and "reviews/filing.html" in _templates(response)
    response = client.post(url, {"decision": "return", "comments": ""})
    assert response.status_code == 400 and "退回修改须写明审查意见" in response.content.decode()
    response = client.post(url, {"decision": "file", "comments": "同意"})
    assert response.status_code == 302
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.PUBLICITY
    # The branch's own secretary holds no reviewer role above it: the screen refuses.
    client.force_login(county.self_reviewer)
    assert client.get(node.reverse("detail", args=[process.pk, task.pk])).status_code == 200  # may look
    assert client.get(url).status_code == 403  # may not act


def test_objection_tasks_are_the_portal_objection_screens(county, client):
    review_round = _filed_round(county)
    declaration = review_round.declarations.get()
    objection = objections.lodge_objection(declaration, objector_name="赵大伟", objector_contact="138", reason="不实")
    process = objection.process
    answer = _task(process, ObjectionFlow.answer)
    with answer.activation() as activation:
        activation.assign(county.clerk)
    url = ObjectionFlow.answer.reverse("execute", args=[process.pk, answer.pk])
    client.force_login(county.west_secretary)
    assert client.get(url).status_code == 403
    client.force_login(county.clerk)
    response = client.get(url)
    assert response.status_code == 200 and "reviews/answer_objection.html" in _templates(response)
    response = client.post(url, {"outcome": "dismissed", "reason": "经核实属实"})
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.is_answered

    filing = _task(process, ObjectionFlow.file_explanation)
    node = ObjectionFlow.file_explanation
    client.force_login(county.reviewer)
    response = client.get(node.reverse("index", args=[process.pk, filing.pk]))
    # assigned on creation to the one reviewer above 东街: straight to the screen
    assert response.url == node.reverse("execute", args=[process.pk, filing.pk])
    response = client.get(node.reverse("index", args=[process.pk, filing.pk]), follow=True)
    assert "reviews/objection_review.html" in _templates(response)
    response = client.post(node.reverse("execute", args=[process.pk, filing.pk]), {"action": "file_explanation"})
    assert response.status_code == 302
    objection.refresh_from_db()
    filing.refresh_from_db()
    assert objection.explanation_filed_on is not None and filing.status == STATUS.DONE


def test_portal_task_links_point_at_the_portal_screens(county):
    from portal.site import task_url

    review_round = _filed_round(county)
    objection = objections.lodge_objection(review_round.declarations.get(), objector_name="赵大伟",
                                           objector_contact="138", reason="不实")
    answer = _task(objection.process, ObjectionFlow.answer)
    assert task_url(answer) == reverse("reviews:answer_objection", args=[objection.pk])
    objections.answer_objection(objection, county.clerk, "dismissed", "经核实属实")
    filing = _task(objection.process, ObjectionFlow.file_explanation)
    assert task_url(filing) == reverse("reviews:objection_review", args=[objection.pk])


def test_objection_review_screen_supervises_an_overdue_answer(county, client):
    import datetime

    from workflow.tasks import fire_timers

    from .test_objections import NATIONAL_DAY_ROUND, filed_round

    _round, declaration = filed_round(county, publicity_start=datetime.date(2025, 9, 26), **NATIONAL_DAY_ROUND)
    objection = objections.lodge_objection(
        declaration, objector_name="赵大伟", objector_contact="138", reason="不实",
        received_on=datetime.date(2025, 9, 28), received_by=county.clerk)
    url = reverse("reviews:objection_review", args=[objection.pk])
    client.force_login(county.clerk)
    assert client.get(url).status_code == 403  # the branch does not supervise itself
    client.force_login(county.reviewer)
    page = client.get(url).content.decode()
    assert "记录督办意见" not in page and "没有需要上级处理的事项" in page
    fire_timers()  # the answer deadline passed long ago: escalated to the higher committee
    assert "记录督办意见" in client.get(url).content.decode()
    response = client.post(url, {"action": "supervise", "note": ""})
    assert response.status_code == 400 and 'id="id_note_error"' in response.content.decode()
    response = client.post(url, {"action": "supervise", "note": "请三日内答复"})
    assert response.status_code == 302
    supervise = Task.objects.get(process_id=objection.process.pk, flow_task=ObjectionFlow.supervise_overdue)
    assert supervise.status == STATUS.DONE and supervise.owner == county.reviewer


# -- 2. has_view_permission by the organisation tree ---------------------------------------------


@pytest.mark.parametrize("flow_class", [ReviewRoundFlow, ObjectionFlow])
def test_has_view_permission_follows_the_tree(county, flow_class):
    from django.contrib.auth.models import AnonymousUser

    review_round = _filed_round(county)
    objection = objections.lodge_objection(review_round.declarations.get(), objector_name="赵大伟",
                                           objector_contact="138", reason="不实")
    process = review_round.process if flow_class is ReviewRoundFlow else objection.process
    flow = flow_class.instance
    nobody = make_user("no-role")
    root = make_user("root")
    root.is_superuser = True
    root.save()
    for user in (county.secretary, county.clerk, county.reviewer, county.west_secretary, root):
        assert flow.has_view_permission(user)
    for user in (nobody, county.member_user, AnonymousUser()):
        assert not flow.has_view_permission(user)
    for user in (county.secretary, county.clerk, county.reviewer, county.self_reviewer, root):
        assert flow.has_view_permission(user, process)
    # the base Process row (as viewflow's task views pass it) is coerced to the flow's process
    from viewflow.workflow.models import Process

    assert flow.has_view_permission(county.reviewer, Process.objects.get(pk=process.pk))
    for user in (county.west_secretary, nobody, county.member_user):
        assert not flow.has_view_permission(user, process)
    county.secretary.is_active = False
    county.secretary.save()
    assert not flow.has_view_permission(county.secretary, process)


def test_viewflow_process_and_task_detail_pages_open_for_tree_roles(county, client):
    review_round = _filed_round(county)
    process = review_round.process
    flow = ReviewRoundFlow.instance
    detail = flow.reverse("process_detail", args=[process.pk])
    done = Task.objects.filter(process_id=process.pk, flow_task=ReviewRoundFlow.branch_meeting).get()
    task_detail = ReviewRoundFlow.branch_meeting.reverse("detail", args=[process.pk, done.pk])
    for user in (county.clerk, county.reviewer):
        client.force_login(user)
        assert client.get(detail).status_code == 200
        assert client.get(task_detail).status_code == 200
    client.force_login(county.west_secretary)
    assert client.get(detail).status_code == 403
    assert client.get(task_detail).status_code == 403
    chart = flow.reverse("process_chart", args=[process.pk])
    assert client.get(chart).status_code == 403
    client.force_login(county.clerk)
    assert client.get(chart).status_code == 200


# -- 3. a document that fails to render does not undo or break the step ------------------------


def _ready_to_submit(county):
    declare(county)
    review_round = open_round(county)
    quorate_meeting(county, review_round)
    meeting.bulk_approve(review_round, county.clerk)
    return review_round


@pytest.mark.django_db(transaction=True)
def test_render_failure_inside_a_step_keeps_the_step_and_marks_the_document(county, client, monkeypatch, caplog):
    """Real commits (no test transaction): the document renders in on_commit, as in production."""
    from documents import services as documents
    from documents.models import DocumentStatus, GeneratedDocument, ImmutableDocumentError

    review_round = _ready_to_submit(county)

    def broken(*args, **kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(documents, "render_template_bytes", broken)
    client.force_login(county.secretary)
    response = client.post(reverse("reviews:branch_meeting", args=[review_round.pk]), {"action": "submit"})
    assert response.status_code == 302  # not a 500
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.HIGHER_REVIEW  # the step is committed
    record = GeneratedDocument.objects.get(process_id=review_round.process.pk, kind="meeting_record")
    assert record.status == DocumentStatus.FAILED and "RuntimeError: 磁盘已满" in record.error
    assert not record.file and not record.sha256
    assert "rendering document" in caplog.text

    # The round page shows it failed, with the error and a retry button for the branch staff.
    page = client.get(reverse("reviews:round_detail", args=[review_round.pk])).content.decode()
    assert "生成失败" in page and "磁盘已满" in page and reverse("documents:retry", args=[record.pk]) in page
    client.force_login(county.reviewer)  # may see, may not re-issue the branch's document
    page = client.get(reverse("reviews:round_detail", args=[review_round.pk])).content.decode()
    assert "生成失败" in page and reverse("documents:retry", args=[record.pk]) not in page
    assert client.post(reverse("documents:retry", args=[record.pk])).status_code == 403

    # The outcome is set once: the failed record stays failed.
    with pytest.raises(ImmutableDocumentError, match="不能修改"):
        record.status = DocumentStatus.DONE
        record.save()
    assert GeneratedDocument.objects.filter(pk=record.pk).update(status=DocumentStatus.DONE) == 0

    # Fixed: retry makes a new version with the same number.
    monkeypatch.undo()
    client.force_login(county.clerk)
    back = reverse("reviews:round_detail", args=[review_round.pk])
    response = client.post(reverse("documents:retry", args=[record.pk]), {"next": back})
    assert response.status_code == 302 and response.url == back
    again = GeneratedDocument.objects.get(process_id=review_round.process.pk, kind="meeting_record", version=2)
    assert again.status == DocumentStatus.DONE and again.document_number == record.document_number
    assert again.sha256 and again.file
    record.refresh_from_db()
    assert record.status == DocumentStatus.FAILED  # the failed version is kept as it was
    # A second retry of the same failed version is refused with a reason.
    response = client.post(reverse("documents:retry", args=[record.pk]), {"next": back}, follow=True)
    assert "已重新生成为第 2 版" in response.content.decode()
    assert GeneratedDocument.objects.filter(kind="meeting_record").count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_broker_failure_marks_the_document_failed_not_the_step(county, monkeypatch):
    from documents import tasks
    from documents.models import DocumentStatus, GeneratedDocument

    review_round = _ready_to_submit(county)

    def no_broker(*args, **kwargs):
        raise ConnectionError("redis unreachable")

    monkeypatch.setattr(tasks.render_document, "delay", no_broker)
    meeting.submit_to_higher(review_round, county.secretary)
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.HIGHER_REVIEW
    record = GeneratedDocument.objects.get(process_id=review_round.process.pk, kind="meeting_record")
    assert record.status == DocumentStatus.FAILED and "redis unreachable" in record.error
    assert "排队生成失败" in record.error


# -- 5. posting scores locks the scheme; entries name the scheme version -----------------------


def test_posting_locks_the_scheme_and_entries_name_its_version(county, django_capture_on_commit_callbacks):
    import datetime
    from decimal import Decimal

    from ledger.models import LedgerEntry
    from schemes.models import Scheme, SchemeLocked
    from workflow.tasks import fire_timers

    scheme = Scheme.objects.create(organisation=county.east, name="春和街道", cycle_start=datetime.date(2024, 1, 1),
                                   cycle_end=datetime.date(2024, 12, 31))
    version = scheme.revise(preset_key="chunhe-street")
    scheme.revise(preset_key="chunhe-street", note="unlocked: edited in place")
    assert scheme.versions.count() == 1
    declaration = declare(county, occurred_on=datetime.date(2024, 11, 5), rule_item="J-03", points="3")
    corrected = declare(county, member=county.members[2], occurred_on=datetime.date(2024, 11, 6),
                        rule_item="J-03", points="4")
    assert declaration.scheme_version == version and corrected.scheme_version == version
    review_round = open_round(county, period_start=datetime.date(2024, 10, 1), period_end=datetime.date(2024, 12, 31))
    quorate_meeting(county, review_round, held_on=datetime.date(2025, 1, 3))
    meeting.bulk_approve(review_round, county.clerk)
    meeting.submit_to_higher(review_round, county.secretary)
    filing_service.file_round(review_round, county.reviewer, publicity_start=datetime.date(2025, 1, 6),
                              filed_on=datetime.date(2025, 1, 6))
    objection = objections.lodge_objection(corrected, objector_name="赵大伟", objector_contact="138", reason="不实",
                                           received_on=datetime.date(2025, 1, 8), received_by=county.clerk)
    objections.answer_objection(objection, county.clerk, "upheld", "核实为2分", corrected_points="2",
                                answered_on=datetime.date(2025, 1, 9))
    scheme.refresh_from_db()
    assert not scheme.is_locked()  # nothing posted yet
    with django_capture_on_commit_callbacks(execute=True):
        fire_timers()  # the window closed long ago: corrections republished
    from .test_walk import at

    with at(review_round.current_publicity().closes_at + datetime.timedelta(minutes=1)):
        with django_capture_on_commit_callbacks(execute=True):
            fire_timers()  # the republication window closed too: scores are posted
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.FINAL

    scheme.refresh_from_db()
    assert scheme.is_locked()
    ref = f"/scheme:{scheme.pk}:v1"
    entries = list(LedgerEntry.objects.filter(organisation=county.east).order_by("seq"))
    assert [(e.member_id, e.points, e.kind) for e in entries] == [
        (county.members[1].pk, Decimal("3.00"), "posted"),
        (county.members[2].pk, Decimal("4.00"), "posted"),
        (county.members[2].pk, Decimal("-2.00"), "correction"),
    ]
    assert entries[0].source_ref == f"review-round:{review_round.pk}/declaration:{declaration.pk}{ref}"
    assert entries[2].source_ref == f"review-round:{review_round.pk}/objection:{objection.pk}{ref}"
    assert entries[2].source == "objection"

    # Locked: editing makes version 2; version 1, which the entries cite, stays as it was.
    before = dict(version.definition)
    second = scheme.revise(preset_key="chunhe-street", note="after posting")
    assert second.number == 2
    version.refresh_from_db()
    assert version.definition == before
    version.note = "tamper"
    with pytest.raises(SchemeLocked):
        version.save()

    # The member's page still finds the declaration behind each entry.
    from reviews.views.declarations import declaration_for_entry

    assert declaration_for_entry(entries[0]) == declaration
    assert declaration_for_entry(entries[2]) == corrected


def test_posting_without_a_scheme_names_none(county, django_capture_on_commit_callbacks):
    import datetime

    from ledger.models import LedgerEntry
    from workflow.tasks import fire_timers

    declaration = declare(county, occurred_on=datetime.date(2024, 11, 5))
    assert declaration.scheme_version is None
    review_round = open_round(county, period_start=datetime.date(2024, 10, 1), period_end=datetime.date(2024, 12, 31))
    quorate_meeting(county, review_round, held_on=datetime.date(2025, 1, 3))
    meeting.bulk_approve(review_round, county.clerk)
    meeting.submit_to_higher(review_round, county.secretary)
    filing_service.file_round(review_round, county.reviewer, publicity_start=datetime.date(2025, 1, 6),
                              filed_on=datetime.date(2025, 1, 6))
    with django_capture_on_commit_callbacks(execute=True):
        fire_timers()
    entry = LedgerEntry.objects.get()
    assert entry.source_ref == f"review-round:{review_round.pk}/declaration:{declaration.pk}"


# -- 6. one set of public pages: the notice's QR code points at the portal's board --------------


def test_publicity_notice_links_the_portals_public_board(county, settings, client):
    from documents.models import GeneratedDocument

    review_round = _filed_round(county)
    notice = GeneratedDocument.objects.get(process_id=review_round.process.pk, kind="publicity_notice")
    path = reverse("public_board", args=[county.east.code])
    assert notice.context["board_url"] == settings.PUBLIC_BASE_URL.rstrip("/") + path
    assert "刘志强" in client.get(path).content.decode()
