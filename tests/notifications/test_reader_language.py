"""A notification is stored as its msgid and params and read in the reader's language, whichever
language the step that sent it ran in; e-mail and the group robot go out in the site's language
(zh-hans), and a notification stored before (no msgid) is shown as it was stored."""
import re

from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import translation

from members.models import Member
from notifications.models import Event, Notification, RobotWebhook
from organisations.models import Organisation
from reviews import deadlines
from reviews.services import objections
from tests.world import make_user, round_in_publicity

CJK = re.compile(r"[\u4e00-\u9fff]")


def _run_the_chain(county):
    """A round to publicity (new tasks, publicity), an objection lodged and a 催办 with a note."""
    county.members[1].user = make_user("liu-member")
    county.members[1].save()
    review_round = round_in_publicity(county)
    declaration = review_round.declarations.get(member=county.members[1])
    objection = objections.lodge_objection(declaration, objector_name="赵大伟", objector_contact="138",
                                           reason="只参加了一次")
    deadlines.remind(objection, county.reviewer, note="请本周内答复")
    return declaration


def _without_data(text, declaration):
    """``text`` with the data it may quote removed: names of organisations, members and users, the
    declared item's own label and what a person typed (the 催办 note)."""
    names = set(Organisation.objects.values_list("name", flat=True)) | set(Member.objects.values_list("name", flat=True))
    names |= {u.get_full_name() for u in get_user_model().objects.all()} | {declaration.rule_item_label, "请本周内答复"}
    for name in sorted(filter(None, names), key=len, reverse=True):
        text = text.replace(name, "")
    return text


def _events(county):
    return set(Notification.objects.values_list("event", flat=True))


def test_sent_in_chinese_read_in_english(county, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        declaration = _run_the_chain(county)
    assert _events(county) == {Event.TASK_ASSIGNED, Event.RESULT_PUBLISHED, Event.OBJECTION_LODGED, Event.REMINDER}
    for n in Notification.objects.all():
        assert n.title_msgid and CJK.search(n.title)  # stored: the msgid, and the site's language for e-mail
        with translation.override("en"):
            title, body = n.display_title, n.display_body
        assert title and body and not CJK.search(_without_data(title + body, declaration)), (title, body)
        with translation.override("zh-hans"):
            assert (n.display_title, n.display_body) == (n.title, n.body)
    reminder = Notification.objects.filter(event=Event.REMINDER).first()
    with translation.override("en"):
        assert reminder.display_body.endswith("Reminder note: 请本周内答复")
        assert "Q" in Notification.objects.filter(event=Event.RESULT_PUBLISHED).get().display_title  # Q3 2026

    client.force_login(county.secretary)
    english = client.get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "New task: Branch meeting review" in english and "Objection lodged: " in english
    assert "新待办" not in english and "收到异议" not in english and "答复期限" not in english
    chinese = client.get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "新待办：支部会议审核" in chinese and "New task" not in chinese


def test_sent_under_an_english_request_read_in_chinese_and_delivered_in_chinese(
        county, client, django_capture_on_commit_callbacks, robot_endpoint):
    RobotWebhook.objects.create(organisation=county.east,
                                url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wx-group-1")
    county.secretary.email = "li@example.org"
    county.secretary.save()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        declaration = _run_the_chain(county)
    lodged = Notification.objects.filter(event=Event.OBJECTION_LODGED, recipient=county.secretary).get()
    with translation.override("zh-hans"):
        assert lodged.display_title.startswith("收到异议：") and "Objection" not in lodged.display_title
        assert lodged.display_body.startswith("请于") and "日前书面答复" in lodged.display_body
    with translation.override("en"):
        assert lodged.display_title.startswith("Objection lodged: ")
        assert not CJK.search(_without_data(lodged.display_body, declaration))
    # e-mail and the group robot speak the organisation's language, not the sender's request's
    subjects = [m.subject for m in mail.outbox]
    assert "【积分制管理】" + lodged.title in subjects and lodged.title.startswith("收到异议：")
    assert all(m.subject.startswith("【积分制管理】") and "New task" not in m.subject for m in mail.outbox)
    contents = [r["json"]["text"]["content"] for r in robot_endpoint.requests]
    assert contents and any("请于" in c for c in contents) and not any("Objection" in c for c in contents)
    assert all("处理。" in c for c in contents)

    client.force_login(county.secretary)
    chinese = client.get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "收到异议：" in chinese and "Objection lodged" not in chinese and "New task" not in chinese


def test_a_notification_stored_before_msgids_reads_as_stored(county):
    old = Notification.objects.create(recipient=county.secretary, event=Event.REMINDER,
                                      title="催办：请尽快答复异议", body="旧的通知正文")
    for language in ("en", "zh-hans"):
        with translation.override(language):
            assert (old.display_title, old.display_body) == ("催办：请尽快答复异议", "旧的通知正文")
