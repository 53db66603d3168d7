from django.contrib import admin

from .models import Exclusion, Member, MemberCategory, RosterImport, Transfer


class ExclusionInline(admin.TabularInline):
    model = Exclusion
    extra = 0


class TransferInline(admin.TabularInline):
    model = Transfer
    extra = 0
    fk_name = "member"


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "category", "organisation", "is_active"]
    list_filter = ["kind", "category", "is_active"]
    search_fields = ["name", "id_number", "phone"]
    inlines = [ExclusionInline, TransferInline]


admin.site.register(MemberCategory)



@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin):
    list_display = ["filename", "organisation", "user", "created", "updated", "unchanged", "imported_at"]
    readonly_fields = [f.name for f in RosterImport._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
