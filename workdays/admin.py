import datetime

import chinese_calendar
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from .calendar import provisional_years, year_is_covered
from .clock import local_today
from .models import CalendarChange, CalendarOverride, PublishedSchedule
from .schedules import delete_overrides, import_schedule, save_override
from .statutory import provisional_holidays


def _package_says(day):
    if not year_is_covered(day.year):
        return None

    return chinese_calendar.is_workday(day)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "is_working_day", "package_value", "note", "schedule"]
    list_filter = ["is_working_day", "schedule"]
    date_hierarchy = "date"
    search_fields = ["note"]
    exclude = ["schedule"]

    @admin.display(description=_("星期"))
    def weekday(self, obj):
        return "一二三四五六日"[obj.date.weekday()]

    @admin.display(description=_("日历包的结论"))
    def package_value(self, obj):
        said = _package_says(obj.date)
        if said is None:
            if obj.date in provisional_holidays(obj.date.year):
                return _("该年份无数据（按法定节假日推算：放假）")
            return _("该年份无数据")
        return _("上班") if said else _("放假")

    def save_model(self, request, obj, form, change):
        save_override(obj, by=request.user)

    def delete_model(self, request, obj):
        delete_overrides([obj], by=request.user)

    def delete_queryset(self, request, queryset):
        delete_overrides(queryset, by=request.user)

    def changelist_view(self, request, extra_context=None):
        this_year = local_today().year
        for year in provisional_years(this_year, this_year + 1):
            messages.warning(
                request,
                _(
                    "chinese_calendar 不包含 %(year)s 年的节假日安排，该年暂按法定节假日推算（不含调休上班日），"
                    "据此计算的期限均标注“暂按法定节假日推算”。国务院公布放假安排后，请在“国务院放假安排”中导入。"
                )
                % {"year": year},
            )
        return super().changelist_view(request, extra_context)


class ScheduleImportForm(forms.Form):
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    source = forms.CharField(label=_("依据"), max_length=200, required=False,
                             help_text=_("例如“国务院办公厅关于2027年部分节假日安排的通知”。"))
    file = forms.FileField(label=_("CSV 文件"), help_text=_("表头“日期,类型,说明”；类型为“放假”或“上班”。"))


@admin.register(PublishedSchedule)
class PublishedScheduleAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "holidays", "workdays", "imported_at", "imported_by"]
    readonly_fields = ["year", "holidays", "workdays", "imported_at", "imported_by"]
    change_list_template = "admin/workdays/publishedschedule/change_list.html"

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="workdays_publishedschedule_import"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = ScheduleImportForm(request.POST or None, request.FILES or None,
                                  initial={"year": local_today().year + 1})
        if request.method == "POST" and form.is_valid():
            raw = form.cleaned_data["file"].read()
            try:
                change = import_schedule(form.cleaned_data["year"], raw.decode("utf-8-sig"), by=request.user,
                                         source=form.cleaned_data["source"])
            except UnicodeDecodeError:
                form.add_error("file", _("文件不是 UTF-8 编码的 CSV。"))
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("已导入：%(days)s 天的工作日设置有变化，%(moved)s 个期限随之调整。")
                                 % {"days": len(change.days), "moved": len(change.moved)})
                return redirect(reverse("admin:workdays_calendarchange_change", args=[change.pk]))
        context = {**self.admin_site.each_context(request), "form": form, "opts": self.model._meta,
                   "title": _("导入国务院放假安排")}
        return TemplateResponse(request, "admin/workdays/publishedschedule/import.html", context)


@admin.register(CalendarChange)
class CalendarChangeAdmin(admin.ModelAdmin):
    list_display = ["at", "reason", "by", "day_count", "moved_count"]
    readonly_fields = ["at", "reason", "by", "days_table", "moved_table"]
    exclude = ["days", "moved"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("变化的日期数"))
    def day_count(self, obj):
        return len(obj.days)

    @admin.display(description=_("调整的期限数"))
    def moved_count(self, obj):
        return len(obj.moved)

    @admin.display(description=_("变化的日期"))
    def days_table(self, obj):
        work, off = _("上班"), _("放假")
        return "；".join(
            f"{row['date']}（{'一二三四五六日'[datetime.date.fromisoformat(row['date']).weekday()]}）"
            f"{work if row['before'] else off} → {work if row['after'] else off}"
            for row in obj.days
        ) or "—"

    @admin.display(description=_("随之调整的期限"))
    def moved_table(self, obj):
        return "；".join(f"{row['what']}：{row['before']} → {row['after']}" for row in obj.moved) or "—"
