from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from unfold.admin import ModelAdmin

from sonitec.admin_tools import ReadOnlyAdmin

from ..models import AccessLog, ExportJob, PrivacyRequest, RenewalRequest, RetentionRun
from ..services import export_job_take, privacy_request_done
from .actions import export_response


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
class PrivacyRequestAdmin(ModelAdmin):
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


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    """Large exports built by a task; each is downloaded once, by whoever asked for it."""

    list_display = ["requested_at", "candidate", "requested_by", "state", "download"]
    list_select_related = ["candidate", "requested_by"]
    raw_id_fields = ["candidate", "requested_by"]

    @admin.display(description="download")
    def download(self, obj):
        if obj.state != "ready":
            return obj.state
        return format_html(
            '<a href="{}">Download (once, by whoever asked)</a>',
            reverse("admin:privacy_exportjob_download", args=[obj.pk]),
        )

    def get_urls(self):
        view = self.admin_site.admin_view(self.download_view)
        return [path("<int:pk>/download/", view, name="privacy_exportjob_download"), *super().get_urls()]

    def download_view(self, request, pk):
        if not request.user.has_perm("privacy.export_personal_data"):
            raise PermissionDenied
        job = get_object_or_404(ExportJob, pk=pk, requested_by=request.user)
        content = export_job_take(job=job)
        if content is None:
            self.message_user(request, "This export is still being built, or was already downloaded.", messages.WARNING)
            return redirect("admin:privacy_exportjob_changelist")
        return export_response(content, label="candidate", pk=job.candidate_id or 0)
