"""Export any admin list, with its current filters and search, to CSV or XLSX; checked and recorded."""

from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ExportForm

from imports.services import export_record

EXPORT_PERMISSION = "imports.export_data"


class RecordedExportMixin(ExportMixin):
    """The "Export" button on a changelist. Only users with "Can export admin lists" see or use it, and every
    export is recorded (who, what, which filters, how many rows) under Import and export › Export records.
    """

    formats = [CSV, XLSX]
    export_form_class = ExportForm

    def has_export_permission(self, request) -> bool:
        return request.user.has_perm(EXPORT_PERMISSION) and self.has_view_permission(request)

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        response = super()._do_file_export(file_format, request, queryset, export_form=export_form)
        export_record(
            user=request.user,
            model=self.model._meta.label,
            file_format=file_format.get_title(),
            filters=request.GET.urlencode(),
            rows=queryset.count(),
        )
        return response
