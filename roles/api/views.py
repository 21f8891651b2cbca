import django_filters
from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from partners.models import PartnerScope
from partners.selectors import roles_visible_to_partner
from partners.services import role_partner_ids, role_partners_changed
from roles.models import EmploymentType, Pillar, RemotePolicy, Role, RoleStatus, Seniority, Skill
from roles.services import role_set_status
from sonitec.api.filters import StrictFilterSet, UpdatedSinceFilterSet
from sonitec.api.idempotency import idempotent
from sonitec.api.permissions import PartnerScopeOrStaff, StaffModelPermissions
from sonitec.api.views import PartnerViewSet, RowListMixin, StaffModelViewSet, staff_schema

from .serializers import (
    PartnerRoleSerializer,
    PillarSerializer,
    RoleStatusSerializer,
    SkillSerializer,
    StaffRoleSerializer,
    partner_role_rows,
    partner_role_values,
)


@extend_schema_view(list=extend_schema(tags=["reference data"]), retrieve=extend_schema(tags=["reference data"]))
class PillarViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PartnerViewSet):
    """The six role pillars."""

    queryset = Pillar.objects.all()
    serializer_class = PillarSerializer
    permission_classes = [PartnerScopeOrStaff]
    authentication_classes = StaffModelViewSet.authentication_classes
    required_scope = PartnerScope.ROLES_READ
    cursor_ordering = ("position", "id")


class SkillFilter(StrictFilterSet):
    pillar = django_filters.CharFilter(field_name="pillars__slug", label="Pillar slug")

    class Meta:
        model = Skill
        fields = ["pillar"]


@extend_schema_view(list=extend_schema(tags=["reference data"]), retrieve=extend_schema(tags=["reference data"]))
class SkillViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PartnerViewSet):
    """The skill taxonomy."""

    queryset = Skill.objects.prefetch_related("pillars")
    serializer_class = SkillSerializer
    filterset_class = SkillFilter
    permission_classes = [PartnerScopeOrStaff]
    authentication_classes = StaffModelViewSet.authentication_classes
    required_scope = PartnerScope.ROLES_READ
    cursor_ordering = ("name", "id")


class PartnerRoleFilter(UpdatedSinceFilterSet):
    pillar = django_filters.CharFilter(field_name="pillar__slug", label="Pillar slug, e.g. ml-engineer")
    seniority = django_filters.ChoiceFilter(choices=Seniority.choices)
    employment_type = django_filters.ChoiceFilter(choices=EmploymentType.choices)
    remote = django_filters.ChoiceFilter(field_name="remote_policy", choices=RemotePolicy.choices)
    skill = django_filters.CharFilter(method="filter_skill", label="Skill slug (required or nice to have)")

    class Meta:
        model = Role
        fields = ["pillar", "seniority", "employment_type", "remote", "skill", "updated_since"]

    def filter_skill(self, queryset, name, value):
        # Subqueries rather than joins: a role needing and preferring the skill must not appear twice.
        return queryset.filter(
            pk__in=Role.required_skills.through.objects.filter(skill__slug=value).values("role_id")
        ) | queryset.filter(pk__in=Role.nice_to_have_skills.through.objects.filter(skill__slug=value).values("role_id"))


@extend_schema_view(list=extend_schema(tags=["roles"]), retrieve=extend_schema(tags=["roles"]))
class PartnerRoleViewSet(RowListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, PartnerViewSet):
    """Open roles published to all partners or to yours. Any other role answers 404."""

    serializer_class = PartnerRoleSerializer
    filterset_class = PartnerRoleFilter
    required_scope = PartnerScope.ROLES_READ
    cursor_ordering = ("-updated_at", "-id")
    queryset = Role.objects.none()

    def get_queryset(self):
        if self.partner is None:  # schema generation
            return Role.objects.none()
        return (
            self.list_source(self.partner)
            .select_related("pillar")
            .prefetch_related("required_skills", "nice_to_have_skills")
        )

    def list_source(self, owner):
        return roles_visible_to_partner(partner=owner)

    def list_values(self, queryset):
        return partner_role_values(queryset)

    def list_rows(self, page):
        return partner_role_rows(page)


class StaffRoleFilter(UpdatedSinceFilterSet):
    class Meta:
        model = Role
        fields = ["status", "pillar", "client", "owner", "seniority", "updated_since"]


class RoleChangePermission(StaffModelPermissions):
    perms_map = {**StaffModelPermissions.perms_map, "POST": ["%(app_label)s.change_%(model_name)s"]}


@staff_schema("roles")
class StaffRoleViewSet(StaffModelViewSet):
    queryset = Role.objects.select_related("pillar", "client").prefetch_related(
        "required_skills", "nice_to_have_skills", "partners"
    )
    serializer_class = StaffRoleSerializer
    filterset_class = StaffRoleFilter

    @transaction.atomic
    def perform_update(self, serializer):
        role = serializer.instance
        partner_ids_before, was_open = role_partner_ids(role=role), role.status == RoleStatus.OPEN
        super().perform_update(serializer)
        role_partners_changed(role=serializer.instance, partner_ids_before=partner_ids_before, was_open=was_open)

    @extend_schema(tags=["staff: roles"], request=RoleStatusSerializer, responses=StaffRoleSerializer)
    @action(detail=True, methods=["post"], permission_classes=[RoleChangePermission])
    def status(self, request, pk=None):
        """Open, hold, fill or cancel a role (opening publishes it to the partners it is visible to)."""
        role = self.get_object()
        serializer = RoleStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)

        def handle() -> Response:
            role_set_status(role=role, status=serializer.validated_data["status"], by=request.user)
            return Response(StaffRoleSerializer(self.get_queryset().get(pk=role.pk)).data)

        return idempotent(request, handle)
