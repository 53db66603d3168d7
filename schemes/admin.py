from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Scheme, SchemeVersion


class SchemeVersionInline(admin.TabularInline):
    model = SchemeVersion
    extra = 0
    can_delete = False
    fields = ["number", "preset_key", "note", "created_by", "created_at"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        # New versions go through Scheme.revise(), which validates the definition.
        return False


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "cycle_start", "cycle_end", "locked"]
    list_filter = ["cycle_kind"]
    search_fields = ["name", "organisation__name"]
    readonly_fields = ["locked_at", "created_at"]
    inlines = [SchemeVersionInline]

    @admin.display(boolean=True, description=_("已锁定"))
    def locked(self, obj):
        return obj.is_locked()


@admin.register(SchemeVersion)
class SchemeVersionAdmin(admin.ModelAdmin):
    list_display = ["scheme", "number", "preset_key", "created_at"]
    search_fields = ["scheme__name", "preset_key"]
    readonly_fields = ["scheme", "number", "preset_key", "overrides", "definition", "note", "created_by", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.scheme.is_locked()
