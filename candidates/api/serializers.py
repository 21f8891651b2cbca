from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from candidates.models import Candidate
from roles.models import Seniority
from sonitec.api.rows import Relations, related_lists, rows_serialized, with_related_arrays
from sonitec.normalise import normalise_phone


@extend_schema_field({"type": "boolean", "enum": [True]})
class ConsentField(serializers.BooleanField):
    """Documented as `true` only: a submission without the person's consent is refused."""


class PartnerCandidateJsonSerializer(serializers.Serializer):
    """A person a partner submits as JSON (send multipart/form-data to attach a CV)."""

    name = serializers.CharField(max_length=200)
    email = serializers.EmailField(max_length=254)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    location = serializers.CharField(max_length=120, required=False, allow_blank=True)
    linkedin_url = serializers.URLField(max_length=200, required=False, allow_blank=True)
    github_url = serializers.URLField(max_length=200, required=False, allow_blank=True)
    current_title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    current_company = serializers.CharField(max_length=200, required=False, allow_blank=True)
    seniority = serializers.ChoiceField(choices=Seniority.choices, required=False, allow_blank=True)
    notice_period_days = serializers.IntegerField(min_value=0, max_value=365, required=False, allow_null=True)
    consent = ConsentField(
        help_text="Must be true: the person agreed to the agency holding their data and representing them."
    )
    consent_notice_version = serializers.CharField(
        max_length=20, help_text="Which version of the privacy notice the person saw, e.g. '2026-01'."
    )
    role_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        required=False,
        max_length=20,
        help_text="Roles (from GET /api/v1/roles/) to submit the person to.",
    )

    def validate_consent(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError("The person's consent is required.")
        return value

    def validate_phone(self, value: str) -> str:
        try:
            return normalise_phone(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error

    def validate_name(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("A name is required.")
        return value.strip()


class PartnerCandidateSubmitSerializer(PartnerCandidateJsonSerializer):
    """The same, as multipart/form-data with an optional CV file."""

    cv = serializers.FileField(required=False, help_text="PDF or Word (.docx), at most 5 MB.")


class PartnerCandidateReceiptSerializer(serializers.Serializer):
    """The same shape whether or not the person was already known to the agency."""

    received = serializers.BooleanField()
    role_ids = serializers.ListField(
        child=serializers.IntegerField(), help_text="The roles the person was received for; see GET /submissions/."
    )


class StaffCandidateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Candidate
        exclude = ["cv", "search_document", "email_key", "phone_key", "linkedin_key", "github_key"]
        read_only_fields = [
            "cv_original_name",
            "cv_uploaded_at",
            "last_activity_at",
            "anonymised_at",
            "created_at",
            "updated_at",
        ]


class DuplicateSuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="candidate.pk")
    name = serializers.CharField(source="candidate.name")
    email = serializers.CharField(source="candidate.email")
    reasons = serializers.ListField(child=serializers.CharField())
    confidence = serializers.IntegerField(help_text="0–100: how sure the duplicate rules are.")


class StaffCandidateSearchResultSerializer(StaffCandidateSerializer):
    """A candidate found by text: how well they matched, and where (HTML with <mark>, page shown only)."""

    search_rank = serializers.FloatField(read_only=True, help_text="Higher is better; comparable within one search.")
    highlight = serializers.SerializerMethodField(help_text="Where the text matched, as HTML with <mark> tags.")

    class Meta(StaffCandidateSerializer.Meta):
        pass

    def get_highlight(self, obj: Candidate) -> str:
        return str(self.context.get("highlights", {}).get(obj.pk, ""))


STAFF_CANDIDATE_RELATIONS: Relations = {"other_pillars": "pk", "skills": "pk", "off_limits_clients": "pk"}
STAFF_CANDIDATE_COLUMNS = [name for name in StaffCandidateSerializer().fields if name not in STAFF_CANDIDATE_RELATIONS]


def staff_candidate_values(queryset: QuerySet[Candidate], *annotations: str) -> QuerySet:
    """The page's columns as rows (a foreign key as its id), with the named annotations of a search."""
    values = queryset.prefetch_related(None).values(*STAFF_CANDIDATE_COLUMNS, *annotations)
    return with_related_arrays(values, STAFF_CANDIDATE_RELATIONS)


def staff_candidate_rows(
    page: list[dict],
    serializer_class: type[StaffCandidateSerializer] = StaffCandidateSerializer,
    computed: dict[str, Callable[[dict], Any]] | None = None,
) -> list[dict]:
    """What `serializer_class` writes for a page of `staff_candidate_values` rows (the related lists: no query
    more on PostgreSQL, one each elsewhere, whatever the page's size)."""
    related = related_lists(Candidate, page, STAFF_CANDIDATE_RELATIONS)
    return rows_serialized(serializer_class, page, computed={**related, **(computed or {})})
