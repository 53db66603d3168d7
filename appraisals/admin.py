from django.contrib import admin

from .models import AppraisalInput, Disposition, Evaluation, MemberResult


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ("organisation", "cycle_start", "scheme_version", "status")
    list_filter = ("status",)
    readonly_fields = [f.name for f in Evaluation._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(MemberResult)
class MemberResultAdmin(admin.ModelAdmin):
    list_display = ("member", "evaluation", "total", "grade", "stars", "vetoed", "scheme_version_number")
    readonly_fields = [f.name for f in MemberResult._meta.fields]

    def has_add_permission(self, request):
        return False


admin.site.register(AppraisalInput)
admin.site.register(Disposition)
