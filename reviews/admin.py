"""Read-only admin views: every change to the review chain goes through reviews.services."""
from django.contrib import admin

from .models import AuditEntry, BranchMeeting, Declaration, Evidence, FilingDecision, Objection, Publicity, ReviewRound
from .refusals import RefusedObjection


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewRound)
class ReviewRoundAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "period_start", "period_end", "status", "review_pass", "publicity_days")
    list_filter = ("status", "period_kind")
    search_fields = ("organisation__name",)


@admin.register(Declaration)
class DeclarationAdmin(ReadOnlyAdmin):
    list_display = ("member", "component", "rule_item", "points", "decided_points", "status", "occurred_on", "review_round")
    list_filter = ("status", "reporter_kind", "component")
    search_fields = ("member__name", "rule_item", "rule_item_label")


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "declaration", "content_type", "size", "uploaded_at")
    exclude = ("file",)


@admin.register(BranchMeeting)
class BranchMeetingAdmin(ReadOnlyAdmin):
    list_display = ("review_round", "review_pass", "kind", "held_on", "entitled_count", "attendee_count")


@admin.register(FilingDecision)
class FilingDecisionAdmin(ReadOnlyAdmin):
    list_display = ("review_round", "review_pass", "outcome", "reviewer", "decided_at")


@admin.register(Publicity)
class PublicityAdmin(ReadOnlyAdmin):
    list_display = ("review_round", "kind", "start_on", "end_on", "closed_at")


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ("declaration", "objector_name", "received_on", "due_on", "answered_on", "outcome", "escalated_at")
    list_filter = ("outcome",)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_label", "action", "object_repr", "organisation")
    list_filter = ("action",)
    search_fields = ("object_repr", "actor_label")


@admin.register(RefusedObjection)
class RefusedObjectionAdmin(ReadOnlyAdmin):
    list_display = ("at", "organisation", "declaration", "client", "code", "objector_name")
    list_filter = ("code",)
    search_fields = ("client", "objector_name")
