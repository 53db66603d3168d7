"""Read-only admin: issued documents are evidence and cannot be edited or deleted here."""
from django.contrib import admin

from .models import BulkJob, DocumentNumberSequence, GeneratedDocument


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "organisation", "document_number", "version", "status", "created_at")
    list_filter = ("kind", "status")
    search_fields = ("document_number", "subject_key")


@admin.register(BulkJob)
class BulkJobAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "organisation", "total", "done", "failed", "status", "created_at")


@admin.register(DocumentNumberSequence)
class DocumentNumberSequenceAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "year", "last_number")
