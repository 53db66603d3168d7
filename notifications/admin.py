from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Notification, Preference, RobotWebhook


@admin.register(RobotWebhook)
class RobotWebhookAdmin(admin.ModelAdmin):
    list_display = ["organisation", "kind_label", "is_active"]
    list_filter = ["is_active"]

    @admin.display(description=_("类型"))
    def kind_label(self, obj):
        return obj.get_kind_display()


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "event", "title", "read_at", "emailed_at", "robot_at", "delivery_error"]
    list_filter = ["event"]
    search_fields = ["title", "recipient__username"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user"]
