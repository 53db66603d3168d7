"""Trial 4: an objection to a year-end result gets its papers, as a quarterly one does.

异议受理回执 when lodged; 异议处理反馈 and 情况说明 when the branch answers — each naming the result
objected to (member, year, total, grade) from the records — linked on the evaluation's page
with its own 年终评定结果公示.
"""

from django.urls import reverse

from documents.models import GeneratedDocument
from organisations.models import Role, RoleKind
from reviews.models import ObjectionOutcome
from reviews.services import objections as review_objections

from .test_result_objections import _lodge, in_publicity  # noqa: F401  (fixture)


def test_year_end_objection_papers_name_the_result_and_are_linked(county, in_publicity, client,  # noqa: F811
                                                                   django_capture_on_commit_callbacks):
    ev = in_publicity
    member = ev.members[2]
    result = ev.results.get(member=member)
    with django_capture_on_commit_callbacks(execute=True):
        objection = _lodge(ev, member)
    receipt = GeneratedDocument.objects.get(kind="objection_receipt")
    disputed = receipt.context["disputed"]
    assert "2025年度评定结果" in disputed and "刘志强同志" in disputed and result.grade in disputed
    assert f"总分{result.total.normalize():f}分" in disputed or f"总分{result.total}分" in disputed
    assert receipt.context["subject_name"] == "刘志强"

    with django_capture_on_commit_callbacks(execute=True):
        review_objections.answer_objection(objection, county.secretary, ObjectionOutcome.DISMISSED,
                                           "经核对民主测评票，统计无误。", answered_on=objection.received_on)
    answer = GeneratedDocument.objects.get(kind="objection_answer")
    explanation = GeneratedDocument.objects.get(kind="explanation")
    assert answer.context["disputed"] == disputed and answer.context["findings"] == "经核对民主测评票，统计无误。"
    assert answer.context["result"].startswith("异议不成立，维持刘志强同志的2025年度评定结果")
    assert explanation.context["period"] == "2025年度"
    publicity = GeneratedDocument.objects.get(kind="year_end_publicity")
    assert explanation.context["higher_org_name"] == publicity.context["approver_name"]  # who agreed the results
    start = ev.publicity_start
    assert f"{start.year}年{start.month}月{start.day}日至" in explanation.context["background"]
    assert all(d.file for d in (receipt, answer, explanation))

    client.force_login(county.secretary)
    page = client.get(reverse("appraisals:detail", args=[ev.pk])).content.decode()
    assert publicity.kind_description in page  # queued in the fixture (not rendered there): listed, no link yet
    for doc in (receipt, answer, explanation):
        assert reverse("documents:download", args=[doc.pk]) in page, doc.kind



def test_a_branch_without_a_secretary_on_record_receives_the_objection_itself(county, in_publicity,  # noqa: F811
                                                                             django_capture_on_commit_callbacks):
    """Trial 5: lodged on the public board (no receiver) in a branch with no 书记 on record, the receipt
    had no 受理人 and the objection failed with a 500. The branch itself receives it now."""
    ev = in_publicity
    Role.objects.filter(organisation=ev.organisation, kind=RoleKind.SECRETARY).delete()
    with django_capture_on_commit_callbacks(execute=True):
        objection = _lodge(ev, ev.members[2])
    assert objection.pk and objection.received_by is None
    assert GeneratedDocument.objects.get(kind="objection_receipt").context["handler"] == ev.organisation.name
