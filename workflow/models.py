"""What people did to a task besides completing it: the process history viewflow does not keep.

A ``TaskEvent`` row is written for every claim (领取), transfer (转交),
release (退回待领取), copy to the higher committee (抄送), withdrawal of a report (撤回),
nudge (催办) and the correction of what a step recorded (更正记录). The rows are append-only;
``workflow.history`` writes them and sends
``workflow.signals.task_event`` so that the domain's audit trail records the same act.
"""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from viewflow.workflow.models import Process, Task


class EventKind(models.TextChoices):
    CLAIMED = "claimed", _("领取")
    RELEASED = "released", _("退回待领取")
    REASSIGNED = "reassigned", _("转交")
    COPIED = "copied", _("抄送")
    WITHDRAWN = "withdrawn", _("撤回")
    URGED = "urged", _("催办")
    CORRECTED = "corrected", _("更正记录")
    RECORDED = "recorded", pgettext_lazy("process event", "记录会议")
    DECIDED = "decided", _("认定申报")


class TaskEvent(models.Model):
    """One act on a task or process: who, to whom, why, when."""

    process = models.ForeignKey(Process, verbose_name=_("流程"), on_delete=models.CASCADE, related_name="+")
    task = models.ForeignKey(Task, verbose_name=_("任务"), null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    kind = models.CharField(_("操作"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    target = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("对象"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("理由"), blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("流程操作记录")
        verbose_name_plural = _("流程操作记录")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["target", "kind"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.process_id}"

    def save(self, *args, **kwargs):
        if self.pk and not kwargs.get("update_fields") == ["read_at"]:
            raise ValueError("TaskEvent rows are append-only")
        super().save(*args, **kwargs)
