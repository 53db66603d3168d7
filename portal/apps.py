from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("门户")

    def ready(self):
        from reviews.models import AuditEntry

        from .cc import copy_to_higher

        post_save.connect(copy_to_higher, sender=AuditEntry, dispatch_uid="portal.cc")
