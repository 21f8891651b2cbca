"""Staff endpoints for personal data: the subject-access export and erasure, each with its own permission."""

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from candidates.models import Candidate
from sonitec.api.authentication import PartnerKeyAuthentication, PartnerUser, StaffSessionAuthentication

from .. import services
from ..admin.actions import export_response
from ..models import ExportJob
from ..tasks import build_export


class StaffWithPermission(permissions.BasePermission):
    """A staff session (never a partner key) whose user holds the view's `required_permission`."""

    message = "You need the permission this endpoint names."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if isinstance(user, PartnerUser) or not (user and user.is_authenticated and user.is_staff):
            return False
        return user.has_perm(view.required_permission)


class StaffPersonalDataView(APIView):
    authentication_classes = [PartnerKeyAuthentication, StaffSessionAuthentication]
    permission_classes = [StaffWithPermission]
    required_permission = ""


class CandidateExportView(StaffPersonalDataView):
    required_permission = "privacy.export_personal_data"

    @extend_schema(
        tags=["staff: personal data"],
        responses={(200, "application/zip"): OpenApiTypes.BINARY},
        description="Subject-access export: a ZIP with data.json (everything held about the person) and every CV "
        "file. Needs the 'Can export a person's data' permission; every export is logged.",
    )
    def get(self, request, pk: int) -> HttpResponse:
        candidate = get_object_or_404(Candidate, pk=pk)
        if services.candidate_export_is_large(candidate=candidate):
            job = services.export_job_create(candidate=candidate, by=request.user)
            transaction.on_commit(lambda: build_export.delay(job.pk))
            return Response(
                {"job": job.pk, "state": job.state, "download": reverse("v1:staff-export-download", args=[job.pk])},
                status=status.HTTP_202_ACCEPTED,
            )
        content = services.candidate_export(candidate=candidate, by=request.user)
        return export_response(content, label="candidate", pk=pk)


class ExportDownloadView(StaffPersonalDataView):
    required_permission = "privacy.export_personal_data"

    @extend_schema(
        tags=["staff: personal data"],
        responses={(200, "application/zip"): OpenApiTypes.BINARY, 202: OpenApiTypes.OBJECT, 410: OpenApiTypes.OBJECT},
        description="A large export built by a task: 202 while it is being built, the ZIP once (200), then 410. "
        "Only the person who asked for it may download it.",
    )
    def get(self, request, pk: int) -> HttpResponse:
        job = get_object_or_404(ExportJob, pk=pk, requested_by=request.user)
        if job.state == "building":
            return Response({"job": job.pk, "state": job.state}, status=status.HTTP_202_ACCEPTED)
        content = services.export_job_take(job=job)
        if content is None:
            body = {"error": {"status": 410, "code": "gone", "message": "This export was already downloaded."}}
            return Response(body, status=status.HTTP_410_GONE)
        return export_response(content, label="candidate", pk=job.candidate_id or 0)


class CandidateEraseView(StaffPersonalDataView):
    required_permission = "privacy.erase_personal_data"

    @extend_schema(
        tags=["staff: personal data"],
        request=None,
        responses={
            200: inline_serializer(
                "CandidateErased", {"id": serializers.IntegerField(), "anonymised_at": serializers.DateTimeField()}
            )
        },
        description="Erase by anonymisation (irreversible). Submissions, placements and fees stay, attached to the "
        "anonymised record. Erasing an already anonymised record changes nothing. Needs the 'Can erase' permission.",
    )
    def post(self, request, pk: int) -> Response:
        candidate = get_object_or_404(Candidate, pk=pk)
        candidate = services.candidate_anonymise(candidate=candidate, by=request.user)
        return Response({"id": candidate.pk, "anonymised_at": candidate.anonymised_at})
