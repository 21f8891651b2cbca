from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import PartnerCandidateViewSet, StaffCandidateViewSet

router = SimpleRouter()
router.register("staff/candidates", StaffCandidateViewSet, basename="staff-candidate")
urlpatterns = [
    path("candidates/", PartnerCandidateViewSet.as_view({"post": "create"}), name="candidate-submit"),
    *router.urls,
]
