from rest_framework import serializers

from roles.models import Pillar, Role, RoleStatus, Skill


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


class StaffRoleSerializer(serializers.ModelSerializer):
    """Status changes go through the status endpoint, which keeps the dates right and tells partners."""

    class Meta:
        model = Role
        fields = "__all__"
        read_only_fields = ["slug", "status", "opened_on", "closed_on", "created_at", "updated_at"]


class RoleStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=RoleStatus.choices)
