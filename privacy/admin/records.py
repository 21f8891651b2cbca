from django.contrib import admin

from ..models import AccessLog, PrivacyRequest, RenewalRequest, RetentionRun
from ..services import privacy_request_done


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of what happened: nobody edits them by hand."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "action", "candidate", "contact"]
    list_filter = ["action"]
    list_select_related = ["user", "candidate", "contact__client"]
    raw_id_fields = ["candidate", "contact", "user"]
    date_hierarchy = "at"


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    list_display = [
        "started_at",
        "finished_at",
        "renewal_requests_sent",
        "candidates_anonymised",
        "enquiries_purged",
        "intakes_purged",
        "access_log_purged",
    ]


@admin.register(RenewalRequest)
class RenewalRequestAdmin(ReadOnlyAdmin):
    list_display = ["candidate", "sent_at", "outcome", "resolved_at"]
    list_filter = ["outcome"]
    list_select_related = ["candidate"]
    raw_id_fields = ["candidate", "message"]


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(admin.ModelAdmin):
    list_display = ["candidate", "kind", "received_at", "due_on", "done_at", "done_by"]
    list_filter = ["kind", ("done_at", admin.EmptyFieldListFilter)]
    list_select_related = ["candidate", "done_by"]
    raw_id_fields = ["candidate"]
    readonly_fields = ["candidate", "kind", "received_at", "due_on", "done_at", "done_by"]
    actions = ["mark_done"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Mark the selected requests as answered", permissions=["change"])
    def mark_done(self, request, queryset):
        for privacy_request in queryset:
            privacy_request_done(request=privacy_request, by=request.user)
        self.message_user(request, "Marked as answered.")
