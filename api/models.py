"""Personal access tokens, stored responses of idempotent write calls, webhook endpoints and their deliveries."""
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: What a token shows of itself: its first characters, so a user can tell their tokens apart.
PREFIX_LENGTH = 8
TOKEN_PREFIX = "jf_"


def hash_secret(secret):
    """The stored form of a token: sha256 hex of the whole secret string."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class TokenScope(models.TextChoices):
    READ = "read", _("只读")
    WRITE = "write", _("读写")


class AccessToken(models.Model):
    """A personal access token (个人访问令牌): shown once at creation, only its hash stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=60)
    scope = models.CharField(_("权限范围"), max_length=10, choices=TokenScope.choices, default=TokenScope.READ)
    prefix = models.CharField(_("前缀"), max_length=16)
    secret_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("访问令牌")
        verbose_name_plural = _("访问令牌")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user, name, scope):
        """Create a token; returns ``(token, secret)``. The secret is never stored, only its hash."""
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, scope=scope, prefix=secret[:PREFIX_LENGTH],
                                   secret_hash=hash_secret(secret))
        return token, secret

    @property
    def is_active(self):
        return self.revoked_at is None

    def allows_write(self):
        return self.scope == TokenScope.WRITE


class IdempotentResponse(models.Model):
    """The first response to a write call with an ``Idempotency-Key``; a retry gets it back unchanged."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    status = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=100)
    body = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="api_idempotency_user_key")]


class WebhookEvent(models.TextChoices):
    RESULT_PUBLISHED = "result_published", _("结果公示")
    OBJECTION_LODGED = "objection_lodged", _("收到异议")
    DEADLINE_MISSED = "deadline_missed", _("逾期未答复")
    DOCUMENT_ISSUED = "document_issued", _("公文生成")


class WebhookEndpoint(models.Model):
    """A URL an organisation registered for events of its subtree; each POST is signed with ``secret``."""

    organisation = models.ForeignKey("organisations.Organisation", verbose_name=_("组织"), on_delete=models.CASCADE,
                                     related_name="webhooks")
    url = models.URLField(_("回调地址"), max_length=300)
    events = models.JSONField(_("事件"), default=list)
    secret = models.CharField(_("签名密钥"), max_length=64)
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("回调地址")
        verbose_name_plural = _("回调地址")
        ordering = ["pk"]

    def __str__(self):
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    DELIVERED = "delivered", _("已送达")
    FAILED = "failed", _("失败")


class WebhookDelivery(models.Model):
    """One event for one endpoint: the body sent, every attempt counted, the last answer kept."""

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=30, choices=WebhookEvent.choices)
    key = models.CharField(max_length=200)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [models.UniqueConstraint(fields=["endpoint", "key"], name="api_delivery_once_per_key")]
