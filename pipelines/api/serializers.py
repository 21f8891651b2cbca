import datetime
from collections import defaultdict

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import F, OuterRef, QuerySet
from django.db.models.functions import JSONObject
from rest_framework import serializers

from pipelines.models import Activity, Placement, Stage, StageChange, Submission
from sonitec.api.rows import on_postgres, rows_serialized


class PartnerStageChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = StageChange
        fields = ["from_stage", "to_stage", "changed_at"]  # no notes: they are the recruiters'


class PartnerSubmissionSerializer(serializers.ModelSerializer):
    """A partner's own submission: where it stands and how it got there. No candidate record details and no
    recruiter notes (the partner knows whom it submitted)."""

    role_title = serializers.CharField(source="role.title", read_only=True)
    stage_history = PartnerStageChangeSerializer(source="stage_changes", many=True, read_only=True)

    class Meta:
        model = Submission
        fields = ["id", "role", "role_title", "stage", "stage_changed_at", "created_at", "updated_at", "stage_history"]
        read_only_fields = fields


PARTNER_SUBMISSION_COLUMNS = ["id", "role", "stage", "stage_changed_at", "created_at", "updated_at"]


def partner_submission_values(queryset: QuerySet[Submission]) -> QuerySet:
    """The page's columns; on PostgreSQL with each stage history as an array column, so a page is one query."""
    values = queryset.values(*PARTNER_SUBMISSION_COLUMNS, role_title=F("role__title"))
    if not on_postgres(Submission):
        return values
    changes = StageChange.objects.filter(submission=OuterRef("pk")).order_by("changed_at", "id")
    fields = {name: F(name) for name in PartnerStageChangeSerializer.Meta.fields}
    return values.annotate(stage_history_array=ArraySubquery(changes.values(change=JSONObject(**fields))))


def _stage_histories(page: list[dict]) -> list[tuple[int, dict]]:
    """Each stage change of the page's submissions, oldest first per submission, with its submission's id: from
    the rows' array column on PostgreSQL (JSON, so its time is parsed back), elsewhere from one more query."""
    if on_postgres(Submission):
        return [
            (row["id"], {**change, "changed_at": datetime.datetime.fromisoformat(change["changed_at"])})
            for row in page
            for change in row["stage_history_array"]
        ]
    changes = (
        StageChange.objects.filter(submission_id__in=[row["id"] for row in page])
        .order_by("changed_at", "id")
        .values("submission_id", *PartnerStageChangeSerializer.Meta.fields)
    )
    return [(change.pop("submission_id"), change) for change in changes]


def partner_submission_rows(page: list[dict]) -> list[dict]:
    """PartnerSubmissionSerializer's output for a page of `partner_submission_values` rows."""
    owned = _stage_histories(page)
    # Every change of the page formatted at once (formatting sets itself up per call), then grouped.
    written = rows_serialized(PartnerStageChangeSerializer, [change for _, change in owned])
    history: dict[int, list[dict]] = defaultdict(list)
    for (submission_id, _), change in zip(owned, written, strict=True):
        history[submission_id].append(change)
    return rows_serialized(
        PartnerSubmissionSerializer, page, computed={"stage_history": lambda row: history.get(row["id"], [])}
    )


class StaffStageChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = StageChange
        fields = ["id", "from_stage", "to_stage", "changed_by", "changed_at", "note"]


class StaffSubmissionSerializer(serializers.ModelSerializer):
    """Stages change only through the move endpoint (the pipeline's rules), never by editing `stage`."""

    stage_history = StaffStageChangeSerializer(source="stage_changes", many=True, read_only=True)

    class Meta:
        model = Submission
        fields = [
            "id",
            "candidate",
            "role",
            "stage",
            "stage_changed_at",
            "exit_reason",
            "source",
            "source_partner",
            "owner",
            "needs_decision",
            "notes",
            "created_at",
            "updated_at",
            "stage_history",
        ]
        read_only_fields = [
            "stage",
            "stage_changed_at",
            "exit_reason",
            "needs_decision",
            "created_at",
            "updated_at",
            "source",
            "source_partner",
        ]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:  # who and where cannot change once in the pipeline
            fields["candidate"].read_only = True
            fields["role"].read_only = True
        return fields


class SubmissionMoveSerializer(serializers.Serializer):
    to_stage = serializers.ChoiceField(choices=Stage.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    start_date = serializers.DateField(required=False, allow_null=True, help_text="Needed when moving to placed.")
    agreed_salary = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    agreed_day_rate = serializers.DecimalField(max_digits=10, decimal_places=2, required=False, allow_null=True)


class StaffPlacementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Placement
        fields = "__all__"
        read_only_fields = [field.name for field in Placement._meta.fields]


class PlacementEndSerializer(serializers.Serializer):
    ended_on = serializers.DateField(allow_null=True)
    reason = serializers.CharField(max_length=2000)


class StaffActivitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Activity
        fields = "__all__"
        read_only_fields = ["author", "created_at"]

    def validate(self, attrs):
        targets = ["candidate", "contact", "client", "role", "submission"]
        merged = {target: attrs.get(target, getattr(self.instance, target, None)) for target in targets}
        if not any(merged.values()):
            raise serializers.ValidationError(
                "Log the activity against a candidate, contact, client, role or submission."
            )
        return attrs
