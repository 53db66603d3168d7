"""Admin-maintained corrections to the Chinese working-day calendar.

The ``chinese_calendar`` package knows the State Council's holiday arrangements only for
the years it was released with. A ``CalendarOverride`` row says, for one date, whether it
is a working day; it takes precedence over the package, and for years the package does
not know it is the only authoritative source (see ``workdays.calendar``).
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarOverride(models.Model):
    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(
        _("工作日"),
        help_text=_("勾选表示当天上班（含调休补班）；不勾选表示当天放假。"),
    )
    note = models.CharField(
        _("说明"), max_length=200, blank=True, help_text=_("例如“国庆节”“国庆节调休上班”及所依据的国务院通知。")
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")
        ordering = ["date"]

    def __str__(self):
        state = _("上班") if self.is_working_day else _("放假")
        return f"{self.date.isoformat()} {state}"
