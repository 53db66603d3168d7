from django.contrib import admin

from .models import Exclusion, Member, MemberCategory, Transfer


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

