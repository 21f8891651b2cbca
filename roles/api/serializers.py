from operator import itemgetter

from django.db.models import F, QuerySet
from rest_framework import serializers

from roles.models import Pillar, Role, RoleStatus, Skill
from sonitec.api.rows import Relations, related_lists, rows_serialized, with_related_arrays


class PillarSerializer(serializers.ModelSerializer):
    class Meta:
        model = Pillar
        fields = ["id", "name", "slug", "summary", "owns", "typical_tools"]


class SkillSerializer(serializers.ModelSerializer):
    pillars = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Skill
        fields = ["id", "name", "slug", "pillars"]


class PartnerRoleSerializer(serializers.ModelSerializer):
    """What a partner may know about a role: no client identity, contacts, fees or internal notes."""

    pillar = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    required_skills = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    nice_to_have_skills = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Role
        fields = [
            "id",
            "title",
            "description",
            "pillar",
            "seniority",
            "employment_type",
            "location",
            "remote_policy",
            "currency",
            "salary_min",
            "salary_max",
            "day_rate_min",
            "day_rate_max",
            "required_skills",
            "nice_to_have_skills",
            "security_clearance",
            "headcount",
            "status",
            "opened_on",
            "target_date",
            "updated_at",
        ]
        read_only_fields = fields


PARTNER_ROLE_COLUMNS = [
    field
    for field in PartnerRoleSerializer.Meta.fields
    if field not in ("pillar", "required_skills", "nice_to_have_skills")
]


PARTNER_ROLE_SKILLS: Relations = {"required_skills": "slug", "nice_to_have_skills": "slug"}


def partner_role_values(queryset: QuerySet[Role]) -> QuerySet:
    return with_related_arrays(
        queryset.values(*PARTNER_ROLE_COLUMNS, pillar_slug=F("pillar__slug")), PARTNER_ROLE_SKILLS
    )


def partner_role_rows(page: list[dict]) -> list[dict]:
    """PartnerRoleSerializer's output for a page of `partner_role_values` rows (the skills: no query more on
    PostgreSQL, two elsewhere)."""
    skills = related_lists(Role, page, PARTNER_ROLE_SKILLS)
    return rows_serialized(PartnerRoleSerializer, page, computed={"pillar": itemgetter("pillar_slug"), **skills})


class StaffRoleSerializer(serializers.ModelSerializer):
    """Status changes go through the status endpoint, which keeps the dates right and tells partners."""

    class Meta:
        model = Role
        fields = "__all__"
        read_only_fields = ["slug", "status", "opened_on", "closed_on", "created_at", "updated_at"]


class RoleStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=RoleStatus.choices)
