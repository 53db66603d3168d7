from django.contrib import admin

from .models import LedgerEntry


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    """Read-only: the ledger is written by ledger.services only, and never edited."""

    list_display = [
        "organisation", "seq", "member", "component", "points", "kind", "occurred_on", "cycle_start",
        "source", "source_ref", "recorded_by", "recorded_at",
    ]
    list_filter = ["kind", "cycle_start", "source"]
    search_fields = ["member__name", "component", "source_ref", "organisation__name", "organisation__code"]
    list_select_related = ["organisation", "member", "recorded_by"]
    date_hierarchy = "occurred_on"
    ordering = ["organisation__path", "seq"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
