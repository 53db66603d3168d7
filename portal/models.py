"""The portal's own rows: each user's display preference (长辈版, large text)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DisplayPreference(models.Model):
    """长辈版: larger text and touch targets, remembered per user (anonymous visitors: a cookie)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
                                related_name="display_preference")
    large_text = models.BooleanField(_("长辈版（大字）"), default=False)

    class Meta:
        verbose_name = _("显示偏好")
        verbose_name_plural = _("显示偏好")

    def __str__(self):
        return f"{self.user} · {self.large_text}"


class PublicBoardChange(models.Model):
    """One row per change to what the public boards show (insert-only).

    The rendered boards are cached under the number and last id of these rows
    (``portal.board_cache``). Every process reads them from the database, and a row written
    inside a transaction counts only once that transaction commits, so a board cached by any
    web process goes stale exactly when a change to it is committed.
    """

    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("公示栏变动")
        verbose_name_plural = _("公示栏变动")
