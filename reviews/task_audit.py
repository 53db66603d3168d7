"""The audit trail of the acts on tasks (``workflow.history.task_event``): claim, release, transfer,
copy to the higher committee, withdrawal and nudge each write one ``AuditEntry`` on the
process's subject (the round, objection, evaluation or disposition).

Connected in ``ReviewsConfig.ready``; the entry is written in the same transaction as the act.
"""
from django.db import models

from workflow.history import person
from workflow.models import EventKind

from . import audit
from .audit import AuditAction
from .models import ReviewRound

ACTIONS = {
    EventKind.CLAIMED: AuditAction.TASK_CLAIMED,
    EventKind.RELEASED: AuditAction.TASK_RELEASED,
    EventKind.REASSIGNED: AuditAction.TASK_REASSIGNED,
    EventKind.COPIED: AuditAction.COPIED_TO_HIGHER,
    EventKind.WITHDRAWN: AuditAction.REPORT_WITHDRAWN,
    EventKind.URGED: AuditAction.TASK_URGED,
}


def subject_of(process):
    """The domain row a process is about (its one-to-one link other than the parent link), else the process."""
    for field in process._meta.concrete_fields:
        if isinstance(field, models.OneToOneField) and not field.remote_field.parent_link:
            value = getattr(process, field.name, None)
            if value is not None:
                return value
    return process


def record_task_event(sender, event, process, **kwargs):
    """``task_event`` receiver: one AuditEntry for the act, naming the task, the other person and the reason.

    A correction (``EventKind.CORRECTED``) is audited by the service that makes it, with the values
    before and after (``reviews.services.meeting_correction``): nothing is written here for it."""
    if event.kind not in ACTIONS:
        return
    subject = subject_of(process)
    after = {"reason": event.reason}
    if event.task_id:
        after["task"] = str(event.task.flow_task.task_title or event.task.flow_task)
    if event.target_id:
        after["target"] = person(event.target)
    audit.record(
        ACTIONS[event.kind], subject, actor=event.actor, organisation=process.organisation,
        review_round=subject if isinstance(subject, ReviewRound) else None, after=after,
    )
