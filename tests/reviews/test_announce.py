"""The review chain tells people: a round returned, an objection lodged, results published; and the
receipt of an objection whose answer date is provisional says so."""
import datetime
from unittest import mock

from django.urls import reverse

from documents.models import GeneratedDocument
from notifications.models import Event, Notification
from reviews.services import filing, meeting, objections
from tests.world import declare, make_user, open_round, quorate_meeting, round_in_publicity


def test_a_returned_round_tells_the_branch_secretary_why(county, django_capture_on_commit_callbacks):
    declare(county)
    review_round = open_round(county)
    quorate_meeting(county, review_round)
    meeting.bulk_approve(review_round, county.secretary)
    meeting.submit_to_higher(review_round, county.secretary)
    with django_capture_on_commit_callbacks(execute=True):
        filing.return_round(review_round, county.reviewer, "缺少服务对象签字")
    notices = Notification.objects.filter(event=Event.ROUND_RETURNED)
    assert {n.recipient for n in notices} == {county.secretary, county.deputy, county.self_reviewer}
    assert all(n.body == "审查意见：缺少服务对象签字" for n in notices)
    assert notices[0].url == reverse("reviews:branch_meeting", args=[review_round.pk])


def test_publicity_tells_the_members_and_an_objection_tells_the_branch(county, django_capture_on_commit_callbacks):
    county.members[1].user = make_user("liu-member")
    county.members[1].save()
    with django_capture_on_commit_callbacks(execute=True):
        review_round = round_in_publicity(county)
    published = Notification.objects.get(event=Event.RESULT_PUBLISHED)
    assert published.recipient.username == "liu-member" and "审核结果公示" in published.title
    assert "对公示结果有异议的" in published.body

    declaration = review_round.declarations.get(member=county.members[1])
    with django_capture_on_commit_callbacks(execute=True):
        objection = objections.lodge_objection(declaration, objector_name="赵大伟", objector_contact="138",
                                               reason="只参加了一次")
    lodged = Notification.objects.filter(event=Event.OBJECTION_LODGED)
    assert {n.recipient for n in lodged} == {county.secretary, county.deputy, county.clerk, county.self_reviewer}
    assert "暂按" not in lodged[0].body
    assert "赵大伟" not in lodged[0].body and "只参加了一次" not in lodged[0].body  # not who objected (#13 item 3)
    # The answer task itself is not announced again (the domain's notice says more).
    assert not Notification.objects.filter(event=Event.TASK_ASSIGNED, title__contains="答复异议").exists()
    receipt = GeneratedDocument.objects.get(kind="objection_receipt", subject_key=f"objection:{objection.pk}:receipt")
    assert receipt.context["due_note"] == ""


def test_an_objection_answered_in_an_unpublished_year_is_marked_provisional(county,
                                                                            django_capture_on_commit_callbacks):
    review_round = round_in_publicity(county)
    declaration = review_round.declarations.first()
    with mock.patch("reviews.services.objections.local_today", return_value=datetime.date(2026, 12, 24)):
        publicity = review_round.current_publicity()
        publicity.start_on, publicity.end_on = datetime.date(2026, 12, 20), datetime.date(2026, 12, 31)
        publicity.save()
        with django_capture_on_commit_callbacks(execute=True):
            objection = objections.lodge_objection(declaration, objector_name="钱多多", objector_contact="139",
                                                   reason="不实", received_on=datetime.date(2026, 12, 24))
    assert objection.due_on == datetime.date(2027, 1, 5)
    receipt = GeneratedDocument.objects.get(kind="objection_receipt", subject_key=f"objection:{objection.pk}:receipt")
    assert receipt.context["due_note"] == "（暂按法定节假日推算）"
    lodged = Notification.objects.filter(event=Event.OBJECTION_LODGED).first()
    assert "2027年1月5日（暂按法定节假日推算）" in lodged.body
