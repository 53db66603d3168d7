"""Notifications: in-app rows with read/unread, e-mail through Django's mail, group robots through
apprise (checked against a local HTTP server), per-user channel choices, new tasks announced."""
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from notifications import services
from notifications.models import Event, Notification, RobotWebhook
from reviews.services import meeting
from tests.world import declare, open_round, quorate_meeting


def _robot(organisation, url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wx-group-1", secret=""):
    robot = RobotWebhook(organisation=organisation, url=url, secret=secret)
    robot.full_clean()
    robot.save()
    return robot


def test_notify_records_queues_on_commit_and_sends_each_key_once(county, django_capture_on_commit_callbacks):
    county.secretary.email = "li@example.org"
    county.secretary.save()
    county.clerk.is_active = False
    county.clerk.save()
    with django_capture_on_commit_callbacks() as queued:
        created = services.notify(Event.DEADLINE_NEAR, [county.secretary, county.clerk, county.secretary, None],
                                  title="异议答复期限将至", body="还剩 2 个工作日", url="/rounds/",
                                  organisation=county.east, key="objection:1:deadline_near")
    assert [n.recipient for n in created] == [county.secretary]  # inactive and duplicate dropped
    assert len(mail.outbox) == 0 and len(queued) == 1  # nothing is sent before the commit
    for callback in queued:
        callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["li@example.org"] and message.subject == "【积分制管理】异议答复期限将至"
    assert "还剩 2 个工作日" in message.body and "http://127.0.0.1:8000/rounds/" in message.body
    assert Notification.objects.get().emailed_at is not None
    # The sweep runs again: the same key tells nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notify(Event.DEADLINE_NEAR, [county.secretary], title="异议答复期限将至",
                               key="objection:1:deadline_near") == []
    assert len(mail.outbox) == 1
    with pytest.raises(ValueError):
        services.notify("nonsense", [county.secretary], title="x")


def test_channel_choices_are_per_user_and_per_event(county, django_capture_on_commit_callbacks, robot_endpoint):
    _robot(county.east)
    for user, address in ((county.secretary, "li@example.org"), (county.deputy, "wang@example.org")):
        user.email = address
        user.save()
    services.save_preference(county.deputy, email_events=[Event.REMINDER], robot_events=["bogus"])
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(Event.OBJECTION_LODGED, [county.secretary, county.deputy], title="收到异议",
                        organisation=county.east)
    assert [m.to for m in mail.outbox] == [["li@example.org"]]  # the deputy takes only 催办 by e-mail
    assert len(robot_endpoint.requests) == 1
    content = robot_endpoint.requests[0]["json"]["text"]["content"]
    assert "li-secretary" in content and "wang-deputy" not in content  # nor by robot
    saved = services.preference_for(county.deputy)
    assert saved.email_events == [Event.REMINDER] and saved.robot_events == []


def test_wecom_robot_gets_one_text_message_per_event(county, django_capture_on_commit_callbacks, robot_endpoint):
    _robot(county.east)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(Event.REMINDER, [county.secretary, county.clerk], title="催办：请及时答复异议",
                        body="赵大伟的异议 2025年10月16日前答复", url="/objections/3/answer/",
                        organisation=county.east)
    assert len(robot_endpoint.requests) == 1
    request = robot_endpoint.requests[0]
    assert request["path"] == "/cgi-bin/webhook/send" and request["query"]["key"] == ["wx-group-1"]
    assert request["json"]["msgtype"] == "text"
    content = request["json"]["text"]["content"]
    assert "催办：请及时答复异议" in content and "赵大伟的异议" in content
    assert "http://127.0.0.1:8000/objections/3/answer/" in content
    assert "li-secretary" in content and "zhao-clerk" in content
    assert all(n.robot_at is not None for n in Notification.objects.all())
    # An event about another organisation does not go to this group.
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(Event.REMINDER, [county.west_secretary], title="催办", organisation=county.west)
    assert len(robot_endpoint.requests) == 1


def test_dingtalk_robot_with_signing_and_a_failure_recorded(county, django_capture_on_commit_callbacks,
                                                            robot_endpoint):
    robot = _robot(county.east, url="https://oapi.dingtalk.com/robot/send?access_token=abc123", secret="SECxyz789")
    assert robot.apprise_url() == "dingtalk://SECxyz789@abc123/" and robot.get_kind_display() == "钉钉群机器人"
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(Event.RESULT_PUBLISHED, [county.secretary], title="审核结果公示", organisation=county.east)
    request = robot_endpoint.requests[0]
    assert request["path"] == "/robot/send" and request["query"]["access_token"] == ["abc123"]
    assert "timestamp" in request["query"] and "sign" in request["query"]  # 加签
    assert "审核结果公示" in request["json"]["text"]["content"]

    robot_endpoint.status = 500
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(Event.RESULT_PUBLISHED, [county.secretary], title="第二次公示", organisation=county.east)
    failed = Notification.objects.get(title="第二次公示")
    assert failed.robot_at is None and failed.delivery_error.startswith("robot:")


@pytest.mark.parametrize("url, secret, field", [
    ("https://example.com/hook", "", "url"),
    ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1", "SECabc", "secret"),
    ("https://oapi.dingtalk.com/robot/send?access_token=t1", "nosec", "secret"),
])
def test_robot_addresses_are_checked(county, url, secret, field):
    with pytest.raises(ValidationError) as caught:
        RobotWebhook(organisation=county.east, url=url, secret=secret).full_clean()
    assert caught.value.error_dict[field][0].code in {"bad_webhook", "bad_secret"}


def test_a_new_task_is_announced_to_the_holders_of_its_role(county, django_capture_on_commit_callbacks):
    declare(county)
    review_round = open_round(county)
    quorate_meeting(county, review_round)
    meeting.bulk_approve(review_round, county.secretary)
    with django_capture_on_commit_callbacks(execute=True):
        meeting.submit_to_higher(review_round, county.secretary)
    notice = Notification.objects.get(event=Event.TASK_ASSIGNED, title="新待办：上级审查备案")
    assert notice.recipient == county.reviewer and notice.organisation == county.east
    # the general branch's one reviewer has the task on creation: the notice leads to 我的待办
    assert notice.url == reverse("portal:tasks") + "?tab=inbox" and "积分审核" in notice.body


def test_the_list_the_nav_count_and_reading(county, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(Event.REMINDER, [county.secretary], title="催办一", url="/rounds/")
        services.notify(Event.REMINDER, [county.secretary], title="催办二", url="https://evil.example/")
    client = login(county.secretary)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "催办一" in page and "催办二" in page and "2 条未读" in page
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("notifications:list")}"' in home and "通知 (2)" in home
    first = Notification.objects.get(title="催办一")
    response = client.post(reverse("notifications:open", args=[first.pk]))
    assert response.status_code == 302 and response["Location"] == "/rounds/"
    second = Notification.objects.get(title="催办二")
    assert client.post(reverse("notifications:open", args=[second.pk]))["Location"] == reverse("notifications:list")
    assert services.unread_count(county.secretary) == 0
    # Someone else's notification is not theirs to open.
    other = services.notify(Event.REMINDER, [county.clerk], title="别人的")[0]
    assert client.post(reverse("notifications:open", args=[other.pk])).status_code == 404
    assert client.get(reverse("notifications:list") + "?show=unread").content.decode().count("<tr>") == 0
    client.post(reverse("notifications:read_all"))
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_preferences_page_saves_the_choices(county, login):
    client = login(county.secretary)
    assert "您的账号没有登记电子邮箱" in client.get(reverse("notifications:preferences")).content.decode()
    client.post(reverse("notifications:preferences"),
                {"email_events": [Event.REMINDER, Event.DEADLINE_MISSED], "robot_events": [Event.REMINDER]})
    saved = services.preference_for(county.secretary)
    assert saved.email_events == [Event.REMINDER, Event.DEADLINE_MISSED] and saved.robot_events == [Event.REMINDER]
