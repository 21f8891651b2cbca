from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from candidates.forms import CandidateSearchForm
from candidates.merging import candidate_merge
from candidates.models import Candidate
from candidates.selectors import candidate_duplicates, candidate_filter, candidate_search, candidate_search_highlights
from partners.models import PartnerScope
from partners.services import partner_candidate_submit
from sonitec.api.filters import UpdatedSinceFilterSet
from sonitec.api.idempotency import idempotent
from sonitec.api.merging import DuplicatesMergeMixin, merge_schema
from sonitec.api.parsers import SafeJSONParser
from sonitec.api.ranked import ranked_page_links, ranked_page_params
from sonitec.api.views import PartnerViewSet, RowListMixin, StaffModelViewSet, staff_schema

from .serializers import (
    DuplicateSuggestionSerializer,
    PartnerCandidateJsonSerializer,
    PartnerCandidateReceiptSerializer,
    PartnerCandidateSubmitSerializer,
    StaffCandidateSearchResultSerializer,
    StaffCandidateSerializer,
    staff_candidate_rows,
    staff_candidate_values,
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
    parser_classes = [SafeJSONParser, MultiPartParser, FormParser]

    @extend_schema(
        tags=["candidates"],
        request={
            "application/json": PartnerCandidateJsonSerializer,
            "multipart/form-data": PartnerCandidateSubmitSerializer,
        },
        responses={201: PartnerCandidateReceiptSerializer},
        description="Submit a person, optionally to roles you can see. The answer is the same whether or not the "
        "person was already known or already in a role's pipeline: `role_ids` lists the roles received. Your "
        "submissions (new ones start at 'sourced') are listed by GET /submissions/.",
    )
    def create(self, request):
        def handle() -> Response:
            serializer = PartnerCandidateSubmitSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            role_ids = partner_candidate_submit(
                partner=self.partner,
                email=data["email"],
                details={field: data[field] for field in DETAIL_FIELDS if data.get(field) not in (None, "")},
                consent_notice_version=data["consent_notice_version"],
                role_ids=data.get("role_ids", []),
                cv=data.get("cv"),
            )
            receipt = PartnerCandidateReceiptSerializer({"received": True, "role_ids": role_ids})
            return Response(receipt.data, status=status.HTTP_201_CREATED)

        return idempotent(request, handle)


class StaffCandidateFilter(UpdatedSinceFilterSet):
    class Meta:
        model = Candidate
        fields = ["status", "primary_pillar", "seniority", "owner", "source", "updated_since"]


SEARCH_PARAMETERS = [
    OpenApiParameter(
        "q",
        str,
        description='Text: words, "a quoted phrase", -exclude, or. Misspelt names and parts of emails match. '
        "With q the results are ranked best first and paged by `page` / `page_size` (1–100, default 25).",
    ),
    OpenApiParameter("pillar", str, description="Pillar slug; the candidate's primary or other pillar."),
    OpenApiParameter("skills", str, description="Skill slugs, comma separated: all of them required."),
    OpenApiParameter("skills_any", str, description="Skill slugs, comma separated: at least one of them."),
    OpenApiParameter(
        "skill_level", str, enum=["foundation", "working", "advanced", "expert"], description="Minimum skill level."
    ),
    OpenApiParameter("skill_years", float, description="Minimum years in each of those skills."),
    OpenApiParameter("available_by", str, description="Available on or before this date (YYYY-MM-DD)."),
    OpenApiParameter("max_salary", float, description="Desired salary at most this, in `currency`."),
    OpenApiParameter("max_day_rate", float, description="Desired day rate at most this, in `currency`."),
    OpenApiParameter("currency", str, enum=["GBP", "EUR", "USD"], description="Currency of the pay filters (GBP)."),
    OpenApiParameter("location", str, description="Part of the candidate's location."),
    OpenApiParameter("remote", str, enum=["onsite", "hybrid", "remote"], description="Remote preference."),
    OpenApiParameter("right_to_work", str, enum=["unknown", "yes", "sponsorship"]),
    OpenApiParameter("clearance", str, enum=["none", "bpss", "ctc", "sc", "dv"], description="At least this."),
    OpenApiParameter("not_in_role", int, description="Role id: leave out people already in its pipeline."),
    OpenApiParameter("not_off_limits_for", int, description="Client id: leave out people off-limits for it."),
    OpenApiParameter(
        "include_do_not_contact",
        bool,
        description="Searches leave out do-not-contact and anonymised people unless this is true "
        "(anonymised people are always left out).",
    ),
    OpenApiParameter("page", int, description="With q: the page number (1–400)."),
]
SEARCH_FIELDS = {parameter.name for parameter in SEARCH_PARAMETERS} - {"page"}


@staff_schema("candidates")
@merge_schema(
    "candidates",
    model_label="Records of the same person",
    record_serializer=StaffCandidateSerializer,
    suggestion_serializer=DuplicateSuggestionSerializer,
)
class StaffCandidateViewSet(RowListMixin, DuplicatesMergeMixin, StaffModelViewSet):
    queryset = Candidate.objects.prefetch_related("other_pillars", "skills", "off_limits_clients")
    serializer_class = StaffCandidateSerializer
    filterset_class = StaffCandidateFilter
    duplicates_finder = staticmethod(candidate_duplicates)
    merge_service = staticmethod(candidate_merge)
    suggestion_serializer_class = DuplicateSuggestionSerializer

    def list_source(self, owner):
        return Candidate.objects.all()

    def list_values(self, queryset):
        return staff_candidate_values(queryset)

    def list_rows(self, page):
        return staff_candidate_rows(page)

    @extend_schema(
        tags=["staff: candidates"],
        parameters=SEARCH_PARAMETERS,
        responses=StaffCandidateSearchResultSerializer(many=True),
        description="Candidates, for sync (cursor pages, newest first) or search. With any search parameter, "
        "do-not-contact and anonymised people are left out; with `q` the results are ranked and carry "
        "`search_rank` and a `highlight`. See docs/search.md for the query syntax and the ranking.",
    )
    def list(self, request, *args, **kwargs):
        # Pages are built from rows, not model instances (staff_candidate_rows; tests compare them with the
        # serializers' output field by field). Sync pages are RowListMixin's; searches have their own query.
        if not SEARCH_FIELDS & set(request.query_params):
            return super().list(request, *args, **kwargs)
        form = CandidateSearchForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        params = form.to_params()
        queryset = self.filter_queryset(self.get_queryset())
        if not params.text:
            page = self.paginate_queryset(staff_candidate_values(candidate_filter(params=params, queryset=queryset)))
            return self.get_paginated_response(staff_candidate_rows(page))
        number, size = ranked_page_params(request)
        ranked = staff_candidate_values(candidate_search(params=params, queryset=queryset), "search_rank")
        start = (number - 1) * size
        found = list(ranked[start : start + size + 1])
        shown = found[:size]
        highlights = candidate_search_highlights(candidate_ids=[row["id"] for row in shown], q=params.q)
        results = staff_candidate_rows(
            shown,
            StaffCandidateSearchResultSerializer,
            computed={"highlight": lambda row: str(highlights.get(row["id"], ""))},
        )
        links = ranked_page_links(request, number=number, has_next=len(found) > size)
        return Response({**links, "results": results})
