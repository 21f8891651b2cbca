from rest_framework.routers import SimpleRouter

from .views import StaffClientViewSet, StaffContactViewSet

router = SimpleRouter()
router.register("staff/clients", StaffClientViewSet, basename="staff-client")
router.register("staff/contacts", StaffContactViewSet, basename="staff-contact")
urlpatterns = router.urls
