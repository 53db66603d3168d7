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
