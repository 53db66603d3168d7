"""The member objected against never sees who objected (issue #13, item 3).

They may see that an objection was lodged, the answer and the corrected value; never the objector's
name, contact or text — on the declaration's 操作记录, 我的积分, 我的申报, notifications or any flow page.
"""
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ledger import services as ledger
from notifications.models import Event, Notification
from reviews.flows import ObjectionFlow
from reviews.models import ObjectionOutcome
from reviews.services import objections
from tests import world

pytestmark = pytest.mark.django_db

OBJECTOR, CONTACT, REASON = "钱多多", "13912345678", "当天根本不在现场巡查"
ANSWER = "经核实只参加了一次巡查"


@pytest.fixture
def objected(w, django_capture_on_commit_callbacks):
    """陈小燕 (a member with a login) had an objection upheld on her 3 points, corrected to 1, and posted."""
    rr = world.round_in_publicity(w)
    member = w.members[2]
    member.user = world.make_user("chen-member", name="陈小燕")
    member.save()
    d = rr.declarations.get(member=member)
    with django_capture_on_commit_callbacks(execute=True):
        objection = objections.lodge_objection(d, objector_name=OBJECTOR, objector_contact=CONTACT, reason=REASON)
        objections.answer_objection(objection, w.secretary, ObjectionOutcome.UPHELD, ANSWER, corrected_points="1")
    entry = ledger.post_entry(
        organisation=w.east, member=member, component="发挥作用", points=d.decided_points,
        occurred_on=d.occurred_on, cycle_start=rr.cycle_start, source="review",
        source_ref=f"review-round:{rr.pk}/declaration:{d.pk}", recorded_by=w.secretary, note="志愿服务")
    ledger.post_correction(entry, Decimal("1"), "异议成立，更正为1分", w.secretary)
    return w, rr, d, objection, member.user


def _assert_private(html, where):
    for secret in (OBJECTOR, CONTACT, REASON):
        assert secret not in html, f"{secret} shown on {where}"


def test_the_member_sees_that_and_how_but_not_who(objected, client):
    w, rr, d, objection, member_user = objected
    client.force_login(member_user)
    detail = client.get(reverse("reviews:declaration_detail", args=[d.pk])).content.decode()
    _assert_private(detail, "declaration detail")
    assert "提出异议" in detail and "答复异议" in detail  # that it was lodged and answered
    assert ANSWER in detail and "异议成立" in detail  # the answer and the corrected value
    pages = {
        "my points": reverse("reviews:my_points"),
        "my declarations": reverse("reviews:my_declarations"),
        "notifications": reverse("notifications:list"),
        "home": reverse("home"),
        "tasks": "/tasks/",
    }
    for where, url in pages.items():
        response = client.get(url)
        _assert_private(response.content.decode(), where)
    points = client.get(pages["my points"]).content.decode()
    assert "提出异议" in points and ANSWER in points
    # the flow's pages are not theirs at all
    process = objection.process
    for url in (ObjectionFlow.instance.reverse("process_detail", args=[process.pk]),
                reverse("reviews:answer_objection", args=[objection.pk]),
                reverse("reviews:round_detail", args=[rr.pk])):
        response = client.get(url)
        assert response.status_code in (302, 403)
        _assert_private(response.content.decode(), url)


def test_branch_staff_still_see_the_objector(objected, client):
    w, rr, d, objection, member_user = objected
    client.force_login(w.secretary)
    detail = client.get(reverse("reviews:declaration_detail", args=[d.pk])).content.decode()
    assert OBJECTOR in detail and REASON in detail
    assert OBJECTOR in client.get(reverse("reviews:answer_objection", args=[objection.pk])).content.decode()


def test_a_member_who_is_branch_staff_is_kept_out_of_their_own_objection(w, client,
                                                                        django_capture_on_commit_callbacks):
    """The clerk's own declaration is objected to: no notice, no objector on the round page, no answer page."""
    rr = world.round_in_publicity(w)
    member = w.members[1]
    member.user = w.clerk
    member.save()
    d = rr.declarations.get(member=member)
    with django_capture_on_commit_callbacks(execute=True):
        objection = objections.lodge_objection(d, objector_name=OBJECTOR, objector_contact=CONTACT, reason=REASON)
    lodged = Notification.objects.filter(event=Event.OBJECTION_LODGED)
    assert lodged.exists() and not lodged.filter(recipient=w.clerk).exists()
    assert not any(OBJECTOR in n.body or REASON in n.body for n in lodged)
    client.force_login(w.clerk)
    _assert_private(client.get(reverse("reviews:round_detail", args=[rr.pk])).content.decode(), "round detail")
    _assert_private(client.get(reverse("reviews:declaration_detail", args=[d.pk])).content.decode(), "detail")
    _assert_private(client.get(reverse("notifications:list")).content.decode(), "notifications")
    for tab in ("queue", "inbox"):
        _assert_private(client.get(f"/tasks/?tab={tab}").content.decode(), f"tasks {tab}")
    process_page = client.get(ObjectionFlow.instance.reverse("process_detail", args=[objection.process.pk]))
    _assert_private(process_page.content.decode(), "the objection's process page")
    response = client.get(reverse("reviews:answer_objection", args=[objection.pk]))
    assert response.status_code == 403
    _assert_private(response.content.decode(), "answer page")
    with pytest.raises(PermissionDenied):
        objections.answer_objection(objection, w.clerk, ObjectionOutcome.DISMISSED, "不成立")
    # the secretary answers it as usual
    objections.answer_objection(objection, w.secretary, ObjectionOutcome.DISMISSED, "经核实属实，异议不成立")
