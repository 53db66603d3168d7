from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("开放接口")

    def ready(self):
        from documents.signals import document_issued
        from notifications.signals import event_notified

        from . import webhooks

        event_notified.connect(webhooks.on_event_notified, dispatch_uid="api.webhooks.event")
        document_issued.connect(webhooks.on_document_issued, dispatch_uid="api.webhooks.document")
