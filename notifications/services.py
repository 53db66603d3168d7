"""Recording notifications and reading them.

``notify`` is what the process apps call: it writes one in-app ``Notification`` per recipient
and queues the e-mail and robot delivery (``notifications.tasks.deliver``) to run after the
surrounding transaction commits, so a rolled-back step tells nobody.
"""
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import ALL_EVENTS, Event, Notification, Preference, default_preference
from .signals import event_notified
from .tasks import deliver
from .text import render_in


def _words(value):
    """``(msgid, params, text in the site's language)`` of a title or body: a ``text.message`` or plain text."""
    if isinstance(value, dict):
        return value["msgid"], value.get("params") or {}, render_in(settings.LANGUAGE_CODE, value)
    return "", {}, str(value or "")


def notify(event, recipients, *, title, body="", url="", organisation=None, key=""):
    """Tell each of ``recipients`` (users) about ``event``; returns the ``Notification`` rows created.

    Args:
        event: an ``Event`` value.
        recipients: users; duplicates, inactive users and ``None`` are dropped.
        title, body: what is shown: a ``notifications.text.message`` (stored as its msgid and
            params, read in the reader's language) or plain text shown as given. Their text in
            the site's language (``settings.LANGUAGE_CODE``) is kept too: e-mail, the group robot
            and the API's webhooks send it (title ≤ 200 characters).
        url: where it points, relative to the site.
        organisation: the organisation the event concerns (its group robot is the one used).
        key: when given, a recipient who already has a notification with this key is skipped,
            so an event sent by a periodic sweep reaches each person once.
    """
    if event not in ALL_EVENTS:
        raise ValueError(f"unknown notification event {event!r}")
    title_msgid, title_params, title = _words(title)
    body_msgid, body_params, body = _words(body)
    event_notified.send(sender=Notification, event=event, organisation=organisation, key=key, title=title, url=url)
    users = {user.pk: user for user in recipients if user is not None and user.is_active}
    if key:
        already = set(Notification.objects.filter(key=key, recipient_id__in=users).values_list("recipient_id", flat=True))
        users = {pk: user for pk, user in users.items() if pk not in already}
    if not users:
        return []
    created = Notification.objects.bulk_create([
        Notification(recipient=user, event=event, title=title[:200], body=body, url=url[:300],
                     organisation=organisation, key=key[:200], title_msgid=title_msgid, title_params=title_params,
                     body_msgid=body_msgid, body_params=body_params)
        for user in users.values()
    ])
    ids = [n.pk for n in created]  # bulk_create returns primary keys on PostgreSQL and SQLite
    transaction.on_commit(lambda: deliver.delay(ids), robust=True)
    return created


def unread_count(user):
    """How many of ``user``'s notifications are unread (0 for anonymous users)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, pks=None):
    """Mark ``user``'s notifications ``pks`` (all when None) read; returns how many changed."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pks is not None:
        qs = qs.filter(pk__in=pks)
    return qs.update(read_at=timezone.now())


def preference_for(user):
    """The user's saved ``Preference``, or the default (every event on every channel), unsaved."""
    return Preference.objects.filter(user=user).first() or default_preference(user)


def save_preference(user, *, email_events, robot_events):
    """Store the user's channel choices; unknown event names are dropped."""
    known = set(Event.values)
    preference, _created = Preference.objects.update_or_create(
        user=user,
        defaults={"email_events": [e for e in email_events if e in known],
                  "robot_events": [e for e in robot_events if e in known]},
    )
    return preference
