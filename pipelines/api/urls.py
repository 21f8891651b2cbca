from rest_framework.routers import SimpleRouter

from .views import PartnerSubmissionViewSet, StaffActivityViewSet, StaffPlacementViewSet, StaffSubmissionViewSet

router = SimpleRouter()
router.register("submissions", PartnerSubmissionViewSet, basename="submission")
router.register("staff/submissions", StaffSubmissionViewSet, basename="staff-submission")
router.register("staff/placements", StaffPlacementViewSet, basename="staff-placement")
router.register("staff/activities", StaffActivityViewSet, basename="staff-activity")
urlpatterns = router.urls
