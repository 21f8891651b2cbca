from django.urls import path

from .views import CandidateEraseView, CandidateExportView, ExportDownloadView

urlpatterns = [
    path("staff/candidates/<int:pk>/export/", CandidateExportView.as_view(), name="staff-candidate-export"),
    path("staff/exports/<int:pk>/download/", ExportDownloadView.as_view(), name="staff-export-download"),
    path("staff/candidates/<int:pk>/erase/", CandidateEraseView.as_view(), name="staff-candidate-erase"),
]
