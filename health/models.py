from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """One row per heartbeat task a worker executed.

    The smoke test queues a heartbeat with a fresh token through the broker and waits for
    the row: seeing it proves a worker took the message *and* reached the database.
    """

    token = models.CharField(max_length=64, unique=True)
    worker = models.CharField(max_length=200)
    seen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("后台任务心跳")
        verbose_name_plural = _("后台任务心跳")
