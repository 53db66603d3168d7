"""Delivering notifications by e-mail (Django's mail framework) and to group robots (apprise).

``deliver(ids)`` runs in the Celery worker (in-process on the embedded default), queued by
``services.notify`` after the commit. E-mail: one message per notification whose recipient has
an address and chose e-mail for that event. Robot: the notifications of one event (same title,
same organisation) are one message to that organisation's group, naming the recipients who
chose the robot for that event. Each notification is sent at most once per channel
(``emailed_at``, ``robot_at``); a failure is logged and recorded in ``delivery_error``.
"""
import logging
from collections import defaultdict
from urllib.parse import urljoin

import apprise
from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Channel, Notification, Preference, RobotWebhook, default_preference

logger = logging.getLogger(__name__)


def absolute(url):
    """``url`` (relative to the site) made absolute with ``PUBLIC_BASE_URL``; "" stays ""."""
    return urljoin(settings.PUBLIC_BASE_URL.rstrip("/") + "/", url.lstrip("/")) if url else ""


def _text(notification):
    lines = [notification.body] if notification.body else []
    if notification.url:
        lines.append(absolute(notification.url))
    return "\n".join(lines)


def _preferences(notifications):
    users = {n.recipient_id: n.recipient for n in notifications}
    saved = {p.user_id: p for p in Preference.objects.filter(user_id__in=users)}
    return {pk: saved.get(pk) or default_preference(user) for pk, user in users.items()}


def send_emails(notifications, preferences):
    """E-mail each notification whose recipient has an address and wants this event; returns the count."""
    sent = 0
    for n in notifications:
        if n.emailed_at or not n.recipient.email or not preferences[n.recipient_id].wants(Channel.EMAIL, n.event):
            continue
        try:
            send_mail(_("【积分制管理】%(title)s") % {"title": n.title}, _text(n), None, [n.recipient.email])
        except Exception as error:  # noqa: BLE001 - an SMTP failure must not lose the other messages
            logger.exception("notification %s: e-mail failed", n.pk)
            n.delivery_error = f"email: {error}"[:300]
        else:
            n.emailed_at = timezone.now()
            sent += 1
        n.save(update_fields=["emailed_at", "delivery_error"])
    return sent


def post_to_robot(robot, title, body):
    """Send one text message to ``robot`` (a ``RobotWebhook``) through apprise; True when it was accepted."""
    sender = apprise.Apprise()
    if not sender.add(robot.apprise_url()):
        raise ValueError(f"apprise refused the robot address of {robot.organisation}")
    return bool(sender.notify(title=title, body=body))


def send_to_robots(notifications, preferences):
    """One robot message per (organisation, event, title); returns the number of messages accepted."""
    groups = defaultdict(list)
    for n in notifications:
        if n.organisation_id and not n.robot_at and preferences[n.recipient_id].wants(Channel.ROBOT, n.event):
            groups[(n.organisation_id, n.event, n.title)].append(n)
    robots = {r.organisation_id: r for r in RobotWebhook.objects.filter(
        organisation_id__in={key[0] for key in groups}, is_active=True).select_related("organisation")}
    posted = 0
    for (organisation_id, _event, title), group in groups.items():
        robot = robots.get(organisation_id)
        if robot is None:
            continue
        names = "、".join(sorted({n.recipient.get_full_name() or n.recipient.username for n in group}))
        body = "\n".join(filter(None, [_text(group[0]), _("请 %(names)s 处理。") % {"names": names}]))
        try:
            ok = post_to_robot(robot, title, body)
        except Exception as error:  # noqa: BLE001 - a broken robot must not stop e-mail or other groups
            logger.exception("robot of %s failed", robot.organisation)
            ok, reason = False, str(error)
        else:
            reason = "" if ok else _("群机器人未接受消息")
        now = timezone.now()
        for n in group:
            if ok:
                n.robot_at = now
            else:
                n.delivery_error = f"robot: {reason}"[:300]
            n.save(update_fields=["robot_at", "delivery_error"])
        posted += ok
    return posted


@shared_task(name="notifications.tasks.deliver")
def deliver(notification_ids):
    """Send the e-mail and robot messages of these notifications; returns ``{"email": n, "robot": n}``.

    In the site's language (``settings.LANGUAGE_CODE``), whichever request's step sent them: users
    have no stored language, and a group robot speaks to the whole group."""
    with translation.override(settings.LANGUAGE_CODE):
        return _deliver(notification_ids)


def _deliver(notification_ids):
    notifications = list(Notification.objects.filter(pk__in=notification_ids).select_related("recipient"))
    if not notifications:
        return {"email": 0, "robot": 0}
    preferences = _preferences(notifications)
    return {"email": send_emails(notifications, preferences), "robot": send_to_robots(notifications, preferences)}
