from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from candidates.models import Candidate
from partners.models import PartnerScope
from partners.services import partner_candidate_submit
from sonitec.api.filters import UpdatedSinceFilterSet
from sonitec.api.idempotency import idempotent
from sonitec.api.views import PartnerViewSet, StaffModelViewSet, staff_schema

from .serializers import (
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
