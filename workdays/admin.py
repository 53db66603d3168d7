import datetime

import chinese_calendar
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .calendar import uncovered_years, year_is_covered
from .models import CalendarOverride


def _package_says(day):
    if not year_is_covered(day.year):
        return None

    return chinese_calendar.is_workday(day)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "is_working_day", "package_value", "note"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"
    search_fields = ["note"]

    @admin.display(description=_("星期"))
    def weekday(self, obj):
        return "一二三四五六日"[obj.date.weekday()]

    @admin.display(description=_("日历包的结论"))
    def package_value(self, obj):
        said = _package_says(obj.date)
        if said is None:
            return _("该年份无数据")
        return _("上班") if said else _("放假")

    def changelist_view(self, request, extra_context=None):
        this_year = timezone.localdate().year
        missing = uncovered_years(this_year, this_year + 1)
        for year in missing:
            count = CalendarOverride.objects.filter(
                date__range=(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
            ).count()
            messages.warning(
                request,
                _(
                    "chinese_calendar 不包含 %(year)s 年的节假日安排（已录入 %(count)s 条调整）。"
                    "请按国务院公布的放假通知录入该年的节假日和调休上班日，否则按周一至周五上班计算。"
                )
                % {"year": year, "count": count},
            )
        return super().changelist_view(request, extra_context)
