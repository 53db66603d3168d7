"""Notifications, each user's channel choices, and an organisation's group robot."""
import re
from urllib.parse import parse_qs, quote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .text import render


class Event(models.TextChoices):
    TASK_ASSIGNED = "task_assigned", _("有新的待办")
    ROUND_RETURNED = "round_returned", _("审核批次被上级退回")
    OBJECTION_LODGED = "objection_lodged", _("收到异议")
    DEADLINE_NEAR = "deadline_near", _("答复期限将至")
    DEADLINE_MISSED = "deadline_missed", _("答复期限已过")
    REMINDER = "reminder", _("上级催办")
    RESULT_PUBLISHED = "result_published", _("结果公示或公布")


class Channel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    ROBOT = "robot", _("工作群机器人")


ALL_EVENTS = [event.value for event in Event]


class Notification(models.Model):
    """One thing one user is told, in the app; e-mail and the group robot are sent from it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(_("事件"), max_length=30, choices=Event.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("组织"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    key = models.CharField(_("去重键"), max_length=200, blank=True,
                           help_text=_("同一接收人同一键只通知一次，例如 objection:5:deadline_near。"))
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    robot_at = models.DateTimeField(_("群机器人发送时间"), null=True, blank=True)
    delivery_error = models.CharField(_("发送失败原因"), max_length=300, blank=True)
    # The words as sent (``notifications.text``): read in the reader's language. ``title`` and ``body``
    # keep them in the site's language for e-mail, the group robot and the API's webhooks; a row
    # without a msgid (sent before these fields, or plain text) is shown as stored.
    title_msgid = models.CharField(_("标题原文"), max_length=300, blank=True)
    title_params = models.JSONField(_("标题参数"), default=dict, blank=True)
    body_msgid = models.TextField(_("内容原文"), blank=True)
    body_params = models.JSONField(_("内容参数"), default=dict, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], condition=~models.Q(key=""),
                                    name="one_notification_per_key"),
        ]

    def __str__(self):
        return f"{self.recipient} · {self.title}"

    @property
    def is_read(self):
        return self.read_at is not None

    @property
    def display_title(self):
        """The title in the active language (as stored when it has no msgid)."""
        return _read(self.title_msgid, self.title_params, self.title)

    @property
    def display_body(self):
        """The body in the active language (as stored when it has no msgid)."""
        return _read(self.body_msgid, self.body_params, self.body)


def _read(msgid, params, stored):
    if not msgid:
        return stored
    try:
        return render({"msgid": msgid, "params": params})
    except (KeyError, TypeError, ValueError):  # a translation that no longer fits its params
        return stored


class Preference(models.Model):
    """Which events a user also wants by e-mail and in the group robot (in-app is always on)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_events = models.JSONField(_("邮件通知的事件"), default=list, blank=True)
    robot_events = models.JSONField(_("群机器人通知的事件"), default=list, blank=True)

    class Meta:
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")

    def __str__(self):
        return str(self.user)

    def wants(self, channel, event):
        return event in (self.email_events if channel == Channel.EMAIL else self.robot_events)


def default_preference(user):
    """A user without a saved ``Preference``: every event on every channel."""
    return Preference(user=user, email_events=list(ALL_EVENTS), robot_events=list(ALL_EVENTS))


class RobotKind(models.TextChoices):
    WECOM = "wecom", _("企业微信群机器人")
    DINGTALK = "dingtalk", _("钉钉群机器人")


_WECOM = re.compile(r"^https://qyapi\.weixin\.qq\.com/cgi-bin/webhook/send\?key=[A-Za-z0-9_-]+$")
_DINGTALK = re.compile(r"^https://oapi\.dingtalk\.com/robot/send\?access_token=[A-Za-z0-9]+$")


class RobotWebhook(models.Model):
    """An organisation's work-group robot: the webhook address its group settings show."""

    organisation = models.OneToOneField(
        "organisations.Organisation", verbose_name=_("组织"), on_delete=models.CASCADE, related_name="robot_webhook"
    )
    url = models.CharField(
        _("Webhook 地址"), max_length=300,
        help_text=_("群机器人设置中显示的地址，例如 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=… "
                    "或 https://oapi.dingtalk.com/robot/send?access_token=…"),
    )
    secret = models.CharField(_("加签密钥"), max_length=100, blank=True, help_text=_("钉钉机器人启用“加签”时填写（SEC 开头）。"))
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("工作群机器人")
        verbose_name_plural = _("工作群机器人")

    def __str__(self):
        return f"{self.organisation} · {self.get_kind_display()}"

    @property
    def kind(self):
        return RobotKind.WECOM if _WECOM.match(self.url.strip()) else RobotKind.DINGTALK

    def get_kind_display(self):
        return RobotKind(self.kind).label

    def clean(self):
        url = self.url.strip()
        if not (_WECOM.match(url) or _DINGTALK.match(url)):
            raise ValidationError(
                {"url": ValidationError(_("不是企业微信或钉钉群机器人的 Webhook 地址。"), code="bad_webhook")}
            )
        if self.secret and (_WECOM.match(url) or not re.fullmatch(r"SEC[A-Za-z0-9]+", self.secret.strip())):
            raise ValidationError(
                {"secret": ValidationError(_("加签密钥只用于钉钉机器人，以 SEC 开头。"), code="bad_secret")}
            )

    def apprise_url(self):
        """The address apprise sends to: the WeCom URL as it is, DingTalk as ``dingtalk://[secret@]token``."""
        url = self.url.strip()
        if _WECOM.match(url):
            return url
        token = parse_qs(urlsplit(url).query)["access_token"][0]
        secret = self.secret.strip()
        return f"dingtalk://{quote(secret, safe='')}@{token}/" if secret else f"dingtalk://{token}/"
