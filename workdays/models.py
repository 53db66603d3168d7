"""The working-day calendar's own records: corrections, published schedules, and what changed.

The ``chinese_calendar`` package knows the State Council's holiday arrangements only for
the years it was released with. A ``CalendarOverride`` row says, for one date, whether it
is a working day; it takes precedence over the package. ``PublishedSchedule`` says that the
State Council's schedule of a year has been imported (its days are override rows pointing at
it), so that year is no longer provisional (see ``workdays.calendar``). ``CalendarChange``
records each change of the calendar and every deadline it moved.
"""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PublishedSchedule(models.Model):
    """The State Council's holiday schedule of one year, imported from CSV by an administrator."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(
        _("依据"), max_length=200, blank=True, help_text=_("例如“国务院办公厅关于2027年部分节假日安排的通知”。")
    )
    holidays = models.PositiveSmallIntegerField(_("放假日数"), default=0)
    workdays = models.PositiveSmallIntegerField(_("调休上班日数"), default=0)
    imported_at = models.DateTimeField(_("导入时间"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )

    class Meta:
        verbose_name = _("国务院放假安排")
        verbose_name_plural = _("国务院放假安排")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}"


class CalendarOverride(models.Model):
    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(
        _("工作日"),
        help_text=_("勾选表示当天上班（含调休补班）；不勾选表示当天放假。"),
    )
    note = models.CharField(
        _("说明"), max_length=200, blank=True, help_text=_("例如“国庆节”“国庆节调休上班”及所依据的国务院通知。")
    )
    schedule = models.ForeignKey(
        PublishedSchedule, verbose_name=_("来自放假安排"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="days",
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")
        ordering = ["date"]

    def __str__(self):
        state = _("上班") if self.is_working_day else _("放假")
        return f"{self.date.isoformat()} {state}"


class CalendarChange(models.Model):
    """One change of the calendar: which days changed, and which deadlines moved with them.

    ``days`` is ``[{"date": "2027-02-09", "before": true, "after": false}, ...]`` (working or
    not); ``moved`` is ``[{"what": "…", "before": "2027-02-10", "after": "2027-02-12"}, ...]``
    as reported by the apps that keep deadlines (``workdays.signals.calendar_changed``).
    """

    at = models.DateTimeField(_("时间"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("原因"), max_length=200)
    days = models.JSONField(_("变化的日期"), default=list, blank=True)
    moved = models.JSONField(_("随之调整的期限"), default=list, blank=True)

    class Meta:
        verbose_name = _("日历变更记录")
        verbose_name_plural = _("日历变更记录")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.reason}"
