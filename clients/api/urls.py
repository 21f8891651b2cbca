from rest_framework.routers import SimpleRouter

from .views import StaffClientViewSet, StaffContactViewSet, WebhookSubscriptionViewSet

router = SimpleRouter()
router.register("webhooks", WebhookSubscriptionViewSet, basename="webhook")
router.register("staff/clients", StaffClientViewSet, basename="staff-client")
router.register("staff/contacts", StaffContactViewSet, basename="staff-contact")
urlpatterns = router.urls
