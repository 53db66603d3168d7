from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("门户")

    def ready(self):
        from reviews.models import AuditEntry

        from .cc import copy_to_higher

        post_save.connect(copy_to_higher, sender=AuditEntry, dispatch_uid="portal.cc")

        # The public boards' cache (portal.board_cache): what a board shows changed.
        from appraisals.models import Evaluation
        from reviews.models import Objection, Publicity, ReviewRound

        from .board_cache import invalidate

        for model in (Publicity, ReviewRound, Objection, Evaluation):
            post_save.connect(invalidate, sender=model, dispatch_uid=f"portal.board.save.{model.__name__}")
            post_delete.connect(invalidate, sender=model, dispatch_uid=f"portal.board.delete.{model.__name__}")
        m2m_changed.connect(invalidate, sender=Publicity.declarations.through, dispatch_uid="portal.board.items")
