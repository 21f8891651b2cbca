import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from partners.models import PartnerScope
from pipelines.models import Activity, Placement, Stage, StageChange, Submission
from pipelines.services import activity_log, placement_end, submission_create, submission_move
from sonitec.api.filters import StrictFilterSet, UpdatedSinceFilterSet
from sonitec.api.idempotency import idempotent
from sonitec.api.permissions import StaffModelPermissions
from sonitec.api.views import PartnerViewSet, RowListMixin, StaffModelViewSet, staff_schema

from .serializers import (
    PartnerSubmissionSerializer,
    PlacementEndSerializer,
    StaffActivitySerializer,
    StaffPlacementSerializer,
    StaffSubmissionSerializer,
    SubmissionMoveSerializer,
    partner_submission_rows,
    partner_submission_values,
)


def prefetch_stage_history() -> Prefetch:
    return Prefetch("stage_changes", queryset=StageChange.objects.order_by("changed_at", "id"))


class PartnerSubmissionFilter(UpdatedSinceFilterSet):
    # A plain number, not a choice among all roles: an unknown role and one the partner may not see both give an
    # empty list, so the filter never tells whether a role exists.
    role = django_filters.NumberFilter(field_name="role_id", label="Role id")
    stage = django_filters.ChoiceFilter(choices=Stage.choices)

    class Meta:
        model = Submission
        fields = ["role", "stage", "updated_since"]


@extend_schema_view(list=extend_schema(tags=["submissions"]), retrieve=extend_schema(tags=["submissions"]))
class PartnerSubmissionViewSet(RowListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, PartnerViewSet):
    """Your own submissions with their current stage and stage history. Anyone else's answers 404."""

    serializer_class = PartnerSubmissionSerializer
    filterset_class = PartnerSubmissionFilter
    required_scope = PartnerScope.SUBMISSIONS_READ
    cursor_ordering = ("-updated_at", "-id")
    queryset = Submission.objects.none()

    def get_queryset(self):
        if self.partner is None:  # schema generation
            return Submission.objects.none()
        return self.list_source(self.partner).select_related("role").prefetch_related(prefetch_stage_history())

    def list_source(self, owner):
        return Submission.objects.filter(source_partner=owner)

    def list_values(self, queryset):
        return partner_submission_values(queryset)

    def list_rows(self, page):
        return partner_submission_rows(page)


class StaffSubmissionFilter(UpdatedSinceFilterSet):
    class Meta:
        model = Submission
        fields = ["role", "candidate", "stage", "owner", "source_partner", "needs_decision", "updated_since"]


class SubmissionMovePermission(StaffModelPermissions):
    # Moving a stage changes the submission: it needs the change permission, like an edit.
    perms_map = {**StaffModelPermissions.perms_map, "POST": ["%(app_label)s.change_%(model_name)s"]}


@staff_schema("submissions")
class StaffSubmissionViewSet(StaffModelViewSet):
    queryset = Submission.objects.select_related("candidate", "role").prefetch_related(prefetch_stage_history())
    serializer_class = StaffSubmissionSerializer
    filterset_class = StaffSubmissionFilter

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = submission_create(
            candidate=data["candidate"], role=data["role"], created_by=self.request.user, note=data.get("notes", "")
        )

    @extend_schema(tags=["staff: submissions"], request=SubmissionMoveSerializer, responses=StaffSubmissionSerializer)
    @action(detail=True, methods=["post"], permission_classes=[SubmissionMovePermission])
    def move(self, request, pk=None):
        """Move the submission to another stage through the pipeline's rules (placing it creates the placement)."""
        submission = self.get_object()
        serializer = SubmissionMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)

        def handle() -> Response:
            moved = submission_move(submission=submission, by=request.user, **serializer.validated_data)
            return Response(StaffSubmissionSerializer(self.get_queryset().get(pk=moved.pk)).data)

        return idempotent(request, handle)


class StaffPlacementFilter(UpdatedSinceFilterSet):
    class Meta:
        model = Placement
        fields = ["status", "submission__role", "updated_since"]


@extend_schema_view(list=extend_schema(tags=["staff: placements"]), retrieve=extend_schema(tags=["staff: placements"]))
class StaffPlacementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Placements are created by moving a submission to placed, and ended with the end endpoint."""

    authentication_classes = StaffModelViewSet.authentication_classes
    permission_classes = [StaffModelPermissions]
    queryset = Placement.objects.select_related("submission")
    serializer_class = StaffPlacementSerializer
    filterset_class = StaffPlacementFilter
    cursor_ordering = ("-id",)

    @extend_schema(tags=["staff: placements"], request=PlacementEndSerializer, responses=StaffPlacementSerializer)
    @action(detail=True, methods=["post"], permission_classes=[SubmissionMovePermission])
    def end(self, request, pk=None):
        """Record that the placed person left or never started (the rebate follows the role's terms)."""
        placement = self.get_object()
        serializer = PlacementEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)

        def handle() -> Response:
            ended = placement_end(placement=placement, by=request.user, **serializer.validated_data)
            return Response(StaffPlacementSerializer(ended).data)

        return idempotent(request, handle)


class StaffActivityFilter(StrictFilterSet):
    class Meta:
        model = Activity
        fields = ["kind", "candidate", "contact", "client", "role", "submission", "author"]


@staff_schema("activities")
class StaffActivityViewSet(StaffModelViewSet):
    queryset = Activity.objects.all()
    serializer_class = StaffActivitySerializer
    filterset_class = StaffActivityFilter

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = activity_log(author=self.request.user, **data)
