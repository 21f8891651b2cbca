from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from candidates.merging import candidate_merge
from candidates.models import Candidate
from candidates.selectors import candidate_duplicates
from partners.models import PartnerScope
from partners.services import partner_candidate_submit
from sonitec.api.filters import UpdatedSinceFilterSet
from sonitec.api.idempotency import idempotent
from sonitec.api.views import PartnerViewSet, StaffModelViewSet, staff_schema

from .serializers import (
    CandidateMergeSerializer,
    DuplicateSuggestionSerializer,
    PartnerCandidateJsonSerializer,
    PartnerCandidateReceiptSerializer,
    PartnerCandidateSubmitSerializer,
    StaffCandidateSerializer,
)

DETAIL_FIELDS = [
    "name",
    "phone",
    "location",
    "linkedin_url",
    "github_url",
    "current_title",
    "current_company",
    "seniority",
    "notice_period_days",
]


class PartnerCandidateViewSet(PartnerViewSet):
    required_scope = PartnerScope.CANDIDATES_WRITE
    serializer_class = PartnerCandidateSubmitSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        tags=["candidates"],
        request={
            "application/json": PartnerCandidateJsonSerializer,
            "multipart/form-data": PartnerCandidateSubmitSerializer,
        },
        responses={201: PartnerCandidateReceiptSerializer},
        description="Submit a person, optionally to roles you can see. The answer is the same whether or not the "
        "person was already known: `submissions` lists your submissions for them (new ones start at 'sourced').",
    )
    def create(self, request):
        def handle() -> Response:
            serializer = PartnerCandidateSubmitSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            submissions = partner_candidate_submit(
                partner=self.partner,
                email=data["email"],
                details={field: data[field] for field in DETAIL_FIELDS if data.get(field) not in (None, "")},
                consent_notice_version=data["consent_notice_version"],
                role_ids=data.get("role_ids", []),
                cv=data.get("cv"),
            )
            receipt = PartnerCandidateReceiptSerializer({"received": True, "submissions": submissions})
            return Response(receipt.data, status=status.HTTP_201_CREATED)

        return idempotent(request, handle)


class StaffCandidateFilter(UpdatedSinceFilterSet):
    class Meta:
        model = Candidate
        fields = ["status", "primary_pillar", "seniority", "owner", "source", "updated_since"]


@staff_schema("candidates")
class StaffCandidateViewSet(StaffModelViewSet):
    queryset = Candidate.objects.prefetch_related("other_pillars", "skills", "off_limits_clients")
    serializer_class = StaffCandidateSerializer
    filterset_class = StaffCandidateFilter

    @extend_schema(
        tags=["staff: candidates"],
        responses={200: DuplicateSuggestionSerializer(many=True)},
        description="Records that may be the same person, surest first, each with its reasons and a confidence. "
        'Pairs a recruiter dismissed as "not a duplicate" are left out.',
    )
    @action(detail=True, methods=["get"])
    def duplicates(self, request, pk=None):
        candidate = self.get_object()
        suggestions = candidate_duplicates(data=candidate)
        return Response(DuplicateSuggestionSerializer(suggestions, many=True).data)

    @extend_schema(
        tags=["staff: candidates"],
        request=CandidateMergeSerializer,
        responses={200: StaffCandidateSerializer},
        description="Merge another record of the same person into this one, in one transaction: every submission, "
        "consent, activity, message, skill and other relation moves here, then the duplicate is removed. Needs the "
        "permissions to change and to delete candidates.",
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        if not (
            request.user.has_perm("candidates.change_candidate")
            and request.user.has_perm("candidates.delete_candidate")
        ):
            raise PermissionDenied
        kept = self.get_object()
        serializer = CandidateMergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        duplicate = get_object_or_404(Candidate, pk=serializer.validated_data["duplicate_id"])
        merged = candidate_merge(
            kept=kept, duplicate=duplicate, choices=serializer.validated_data.get("choices"), by=request.user
        )
        return Response(StaffCandidateSerializer(merged, context={"request": request}).data)
