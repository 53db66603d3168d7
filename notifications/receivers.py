"""New workflow tasks announced to the holders of the role they are offered to."""
import logging

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_noop as _

from .models import Event
from .services import notify
from .text import message, per_language

logger = logging.getLogger(__name__)


def inbox_url(tab="queue"):
    """The portal's task list (``portal:tasks``), or "" where it is not mounted."""
    try:
        return reverse("portal:tasks") + f"?tab={tab}"
    except NoReverseMatch:
        return ""


def announce_task(sender, task, process, **kwargs):
    """Receiver of ``workflow.signals.task_offered``: one notification per role holder (key ``task:<pk>``)."""
    predicate = getattr(task.flow_task, "predicate", None)
    holders = getattr(predicate, "holders", None)
    if holders is None:
        return
    process = process.coerced if hasattr(process, "coerced") else process
    flow_task = task.flow_task
    title = message(_("新待办：%(task)s"), task=per_language(lambda: flow_task.task_title or flow_task.name))
    # a task assigned on creation (workflow.assignment) is its owner's; others wait in the queue
    recipients = [task.owner] if task.owner_id else holders(process)
    notify(
        Event.TASK_ASSIGNED, recipients,
        title=title, body=message(_("%(process)s：%(brief)s"), process=sender.process_title,
                                  brief=per_language(lambda: process.brief)),
        url=inbox_url("inbox" if task.owner_id else "queue"),
        organisation=getattr(process, "organisation", None), key=f"task:{task.pk}",
    )


def announce_urge(sender, task, process, by, reason="", **kwargs):
    """Receiver of ``workflow.signals.task_urged``: 催办 reaches whoever must act on ``task``.

    The task's owner when it has one, else the holders of the role it is offered to; the one who
    urged is not told. The note, when given, is in the body.
    """
    process = process.coerced if hasattr(process, "coerced") else process
    if task.owner_id:
        recipients = [task.owner]
    else:
        holders = getattr(getattr(task.flow_task, "predicate", None), "holders", None)
        if holders is None:
            return
        recipients = holders(process)
    recipients = [user for user in recipients if user is not None and user.pk != by.pk]
    flow_task = task.flow_task
    who = by.get_full_name() or by.get_username()
    title = message(_("催办：%(who)s请尽快办理“%(task)s”"), who=who,
                    task=per_language(lambda: flow_task.task_title or flow_task.name))
    brief = per_language(lambda: process.brief)
    body = (message(_("%(process)s：%(brief)s\n催办说明：%(note)s"), process=sender.process_title, brief=brief,
                    note=reason.strip()[:300])
            if reason and reason.strip() else
            message(_("%(process)s：%(brief)s"), process=sender.process_title, brief=brief))
    notify(Event.REMINDER, recipients, title=title, body=body, url=inbox_url("inbox" if task.owner_id else "queue"),
           organisation=getattr(process, "organisation", None))
