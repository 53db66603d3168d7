from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("通知")

    def ready(self):
        from workflow.signals import task_offered, task_urged

        from .receivers import announce_task, announce_urge

        task_offered.connect(announce_task, dispatch_uid="notifications.announce_task")
        task_urged.connect(announce_urge, dispatch_uid="notifications.announce_urge")
