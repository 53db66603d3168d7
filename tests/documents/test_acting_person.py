"""Trial 5: a branch with no secretary of its own (镇中心学校党支部), whose year-end round the general
branch's secretary ran and answered, printed him as the branch's 签发人/联系人 with no word of where
he acts from, and its receipt's 受理人 was the branch itself while quarterly receipts name a person.
One rule now (``acting_person``): the branch's own 书记, else who did the step, else the nearest
secretary above; someone acting from above is named with their organisation and role."""
import datetime

import pytest

from documents.kinds import result_objection, year_end_publicity
from documents.kinds.base import acting_person
from organisations.models import Role, RoleKind
from reviews.models import Objection, ObjectionOutcome

from .test_contexts import _text, _user, branch  # noqa: F401  (branch is a fixture)
from .test_contexts_year_end import year_end  # noqa: F401  (a fixture)


@pytest.fixture
def acting_from_above(year_end):  # noqa: F811
    """The branch's own secretary gone; the general branch's secretary 邓志刚 ran the evaluation."""
    ev, results = year_end
    Role.objects.filter(organisation=ev.organisation, kind=RoleKind.SECRETARY).delete()
    general = ev.organisation.parent
    deng = _user("deng", "邓志刚", (RoleKind.SECRETARY, general))
    ev.opened_by = deng
    ev.save()
    return ev, results, deng


def _objection(ev, member, **extra):
    return Objection.objects.create(
        subject=ev, member=member, organisation=ev.organisation, objector_name=member.name, objector_contact="138",
        reason="志愿服务少计。", received_on=datetime.date(2026, 1, 12), due_on=datetime.date(2026, 1, 21), **extra)


def test_year_end_papers_name_the_secretary_from_above_with_his_organisation_and_role(acting_from_above):
    ev, results, deng = acting_from_above
    label = f"邓志刚（{ev.organisation.parent.name}书记）"
    ctx = year_end_publicity.build_context(ev)
    assert ctx["contact"] == f"联系人：{label}"
    assert f"联系人：{label}。" in _text("year_end_publicity", ctx).replace("\n", "")
    member = next(iter(results.values())).member
    objection = _objection(ev, member)  # lodged on the public board: nobody received it
    receipt = result_objection.receipt_context(objection)
    assert receipt["handler"] == label  # a person, as on quarterly receipts; not the branch's name
    assert label in _text("objection_receipt", receipt)
    objection.answered_on, objection.answered_by = datetime.date(2026, 1, 15), deng
    objection.outcome, objection.answer_reason = ObjectionOutcome.DISMISSED, "已核对台账。"
    objection.save()
    explanation = result_objection.explanation_context(objection)
    assert explanation["signer"] == label
    assert f"签发人：{label}" in _text("explanation", explanation).replace("\n", "")


def test_the_branch_secretary_on_record_signs_and_is_named_plainly(year_end, branch):  # noqa: F811
    ev, results = year_end
    assert year_end_publicity.build_context(ev)["contact"] == "联系人：李建国，联系电话：13800000004"
    _user("deng", "邓志刚", (RoleKind.SECRETARY, ev.organisation.parent))
    objection = _objection(ev, next(iter(results.values())).member)
    assert result_objection.receipt_context(objection)["handler"] == "李建国"
    assert acting_person(ev.organisation, branch.clerk) == (branch.secretary, "李建国")
    Role.objects.filter(organisation=ev.organisation, kind=RoleKind.SECRETARY).delete()
    # a clerk of the branch itself who did the step is named plainly
    assert acting_person(ev.organisation, branch.clerk) == (branch.clerk, "王芳")


def test_the_year_end_publicity_prints_the_online_route_of_the_quarterly_notice(year_end, settings):  # noqa: F811
    """Trial 5: the year-end notice said "书面或电话向支部反映" although the board takes objections online."""
    from django.urls import reverse

    settings.PUBLIC_BASE_URL = "https://jifen.example.cn/"
    ev, _results = year_end
    ctx = year_end_publicity.build_context(ev)
    url = "https://jifen.example.cn" + reverse("public_board", args=[ev.organisation.code])
    assert ctx["board_url"] == url
    text = _text("year_end_publicity", ctx).replace("\n", "")
    assert f"可以书面、电话或通过公示栏（{url}）向支部提出，支部将在7个工作日内答复。" in text
    old = {k: v for k, v in ctx.items() if k != "board_url"}  # a context stored before board_url
    assert "可以书面或电话向支部反映。" in _text("year_end_publicity", old).replace("\n", "")
