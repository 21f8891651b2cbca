from django.urls import path

from .views import CandidateEraseView, CandidateExportView

urlpatterns = [
    path("staff/candidates/<int:pk>/export/", CandidateExportView.as_view(), name="staff-candidate-export"),
    path("staff/candidates/<int:pk>/erase/", CandidateEraseView.as_view(), name="staff-candidate-erase"),
]
