from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("通知")

    def ready(self):
        from workflow.signals import task_offered

        from .receivers import announce_task

        task_offered.connect(announce_task, dispatch_uid="notifications.announce_task")
