from rest_framework.routers import SimpleRouter

from .views import PartnerRoleViewSet, PillarViewSet, SkillViewSet, StaffRoleViewSet

router = SimpleRouter()
router.register("pillars", PillarViewSet, basename="pillar")
router.register("skills", SkillViewSet, basename="skill")
router.register("roles", PartnerRoleViewSet, basename="role")
router.register("staff/roles", StaffRoleViewSet, basename="staff-role")
urlpatterns = router.urls
