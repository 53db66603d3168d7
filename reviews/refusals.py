"""Refused public objections (被拒绝的异议提交): every attempt the public form or ``lodge_objection``
turned away — a failed challenge, a duplicate, a client or a declaration over its limit, a closed
window — is written here, so the branch sees who is pressing on its publicity (the round's page,
and the admin).

The limits themselves are ``settings.JIFEN_OBJECTION_LIMITS`` (``limits()`` fills in the
defaults): at most ``per_client`` public objections from one client (IP address) in
``client_window_minutes``, at most ``per_declaration`` public objections on one declaration in
``declaration_window_minutes``. Objections staff record from paper are not counted.
"""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_LIMITS = {
    "per_client": 5,
    "client_window_minutes": 60,
    "per_declaration": 10,
    "declaration_window_minutes": 24 * 60,
}

#: The code of an attempt refused by the challenge (the form's, not a service's).
CAPTCHA_FAILED = "captcha_failed"


def limits():
    """``DEFAULT_LIMITS`` overridden by ``settings.JIFEN_OBJECTION_LIMITS``."""
    return {**DEFAULT_LIMITS, **getattr(settings, "JIFEN_OBJECTION_LIMITS", {})}


class RefusedObjection(models.Model):
    """One refused attempt to lodge an objection from the public form."""

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    organisation = models.ForeignKey("organisations.Organisation", verbose_name=_("组织"), on_delete=models.CASCADE,
                                     related_name="+")
    review_round = models.ForeignKey("reviews.ReviewRound", verbose_name=_("审核批次"), null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="refused_objections")
    declaration = models.ForeignKey("reviews.Declaration", verbose_name=_("异议事项"), null=True, blank=True,
                                    on_delete=models.CASCADE, related_name="refused_objections")
    client = models.CharField(_("提交来源"), max_length=64, blank=True)
    code = models.CharField(_("拒绝原因代码"), max_length=50)
    message = models.CharField(_("拒绝原因"), max_length=300, blank=True)
    objector_name = models.CharField(_("填写的姓名"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("被拒绝的异议提交")
        verbose_name_plural = _("被拒绝的异议提交")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.client} {self.code}"


def record(declaration, *, client="", code, message="", objector_name="", organisation=None):
    """Write one refused attempt against ``declaration`` (its organisation and round), or, for an
    objection to another record (a year-end result: ``declaration`` None), against ``organisation``."""
    return RefusedObjection.objects.create(
        organisation_id=declaration.organisation_id if declaration is not None else organisation.pk,
        review_round_id=declaration.review_round_id if declaration is not None else None,
        declaration=declaration, client=(client or "")[:64], code=str(code)[:50], message=str(message)[:300],
        objector_name=(objector_name or "").strip()[:50],
    )


def client_address(request):
    """The client's address as the server sees it (``REMOTE_ADDR``; a proxy in front sets it, e.g.
    gunicorn's ``--forwarded-allow-ips`` with ``X-Forwarded-For``)."""
    return (request.META.get("REMOTE_ADDR") or "")[:64]
