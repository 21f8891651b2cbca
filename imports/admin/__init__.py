"""Import and export in the admin: upload a file, see every row's outcome, confirm; the export log."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from unfold.admin import ModelAdmin

from imports.importers import IMPORTERS
from imports.models import ExportRecord, ImportJob, ImportKind, ImportStatus
from imports.services import import_job_confirm, import_job_create, import_job_progress
from sonitec.admin_tools import ReadOnlyAdmin, themed

PREVIEW_PAGE_ROWS = 500
OUTCOMES = ["new", "update", "duplicate"]

# The permission a recruiter needs, per kind, to bring records in.
ADD_PERMISSIONS = {
    ImportKind.CANDIDATES: "candidates.add_candidate",
    ImportKind.CLIENTS: "clients.add_client",
    ImportKind.CONTACTS: "clients.add_contact",
    ImportKind.ROLES: "roles.add_role",
}


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(choices=ImportKind.choices)
    file = forms.FileField(help_text="CSV (UTF-8) or Excel (.xlsx); the first line names the columns.")
    source = forms.CharField(
        max_length=255,
        required=False,
        label="Source and lawful basis",
        help_text="Where these records came from and why the agency may hold the people in them, e.g. "
        "“Legacy CRM export 2026-11, legitimate interest”. Required for candidates; recorded on each person.",
    )


@admin.register(ImportJob)
class ImportJobAdmin(ModelAdmin):
    list_display = ["__str__", "kind", "status", "counts_text", "created_by", "created_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["created_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("report")  # every row's outcome: large, shown on one job's page

    @admin.display(description="rows")
    def counts_text(self, obj):
        counts = obj.counts or {}
        return ", ".join(f"{name} {counts.get(name, 0)}" for name in ("created", "updated", "duplicates", "errors"))

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("<int:pk>/confirm/", self.admin_site.admin_view(self.confirm_view), name="imports_importjob_confirm"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = themed(ImportUploadForm(request.POST or None, request.FILES or None))
        if request.method == "POST" and form.is_valid():
            kind = form.cleaned_data["kind"]
            if not request.user.has_perm(ADD_PERMISSIONS[kind]):
                raise PermissionDenied
            try:
                job = import_job_create(
                    kind=kind, upload=form.cleaned_data["file"], source=form.cleaned_data["source"], by=request.user
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                return HttpResponseRedirect(reverse("admin:imports_importjob_change", args=[job.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import a spreadsheet",
            "form": form,
            "columns": {kind: list(importer().columns) for kind, importer in IMPORTERS.items()},
            "required": {kind: importer.required for kind, importer in IMPORTERS.items()},
        }
        return TemplateResponse(request, "admin/imports/upload.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=object_id)
        done, total = import_job_progress(job=job)
        running = job.status in (ImportStatus.PREVIEWING, ImportStatus.IMPORTING)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": str(job),
            "job": job,
            "running": running,
            "done": done,
            "total": total,
            "percent": round(100 * done / total) if total else 0,
            "errors": [row for row in job.report if row["action"] == "error"],
            **self._rows_page(request, job),
            "can_confirm": job.status == ImportStatus.PREVIEWED and not job.counts.get("errors"),
        }
        return TemplateResponse(request, "admin/imports/job.html", context)

    def _rows_page(self, request, job: ImportJob) -> dict:
        """Every row that is not an error, a page at a time, optionally of one outcome (?outcome=duplicate)."""
        outcome = request.GET.get("outcome", "")
        rows = [row for row in job.report if row["action"] != "error" and outcome in ("", row["action"])]
        page = Paginator(rows, PREVIEW_PAGE_ROWS).get_page(request.GET.get("page"))
        return {"page": page, "outcome": outcome, "outcomes": OUTCOMES}

    def confirm_view(self, request, pk):
        job = get_object_or_404(ImportJob, pk=pk)
        if request.method != "POST" or not request.user.has_perm(ADD_PERMISSIONS[ImportKind(job.kind)]):
            raise PermissionDenied
        try:
            import_job_confirm(job=job, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(reverse("admin:imports_importjob_change", args=[job.pk]))


@admin.register(ExportRecord)
class ExportRecordAdmin(ReadOnlyAdmin):
    list_display = ["exported_at", "user", "model", "format", "rows", "filters"]
    list_filter = ["model", "format"]
    list_select_related = ["user"]
    date_hierarchy = "exported_at"
