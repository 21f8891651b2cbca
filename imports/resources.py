"""What an admin list exports: the columns an import reads back, so an export can be edited and imported again."""

from import_export import fields, resources, widgets

from candidates.models import Candidate
from clients.models import Client, Contact
from pipelines.models import Placement, Submission
from roles.models import Role

from .importers import CandidateImporter, ClientImporter, ContactImporter, RoleImporter


def _columns(importer) -> list[str]:
    return ["id", *importer.column_names]


class CandidateResource(resources.ModelResource):
    primary_pillar = fields.Field("primary_pillar", "primary_pillar", widgets.ForeignKeyWidget("roles.Pillar", "slug"))
    other_pillars = fields.Field(
        "other_pillars", "other_pillars", widgets.ManyToManyWidget("roles.Pillar", ",", "slug")
    )
    skills = fields.Field("skills", "skills", widgets.ManyToManyWidget("roles.Skill", ",", "slug"))

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("primary_pillar").prefetch_related("other_pillars", "skills")

    class Meta:
        model = Candidate
        fields = [*_columns(CandidateImporter), "source", "created_at"]
        export_order = fields


class ClientResource(resources.ModelResource):
    class Meta:
        model = Client
        fields = [*_columns(ClientImporter), "domain", "created_at"]
        export_order = fields


class ContactResource(resources.ModelResource):
    client = fields.Field("client", "client", widgets.ForeignKeyWidget(Client, "name"))

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("client")

    class Meta:
        model = Contact
        fields = [*_columns(ContactImporter), "is_primary", "created_at"]
        export_order = fields


class RoleResource(resources.ModelResource):
    client = fields.Field("client", "client", widgets.ForeignKeyWidget(Client, "name"))
    pillar = fields.Field("pillar", "pillar", widgets.ForeignKeyWidget("roles.Pillar", "slug"))
    required_skills = fields.Field(
        "required_skills", "required_skills", widgets.ManyToManyWidget("roles.Skill", ",", "slug")
    )
    nice_to_have_skills = fields.Field(
        "nice_to_have_skills", "nice_to_have_skills", widgets.ManyToManyWidget("roles.Skill", ",", "slug")
    )

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("client", "pillar").prefetch_related("required_skills", "nice_to_have_skills")

    class Meta:
        model = Role
        fields = [*_columns(RoleImporter), "opened_on", "created_at"]
        export_order = fields


class SubmissionResource(resources.ModelResource):
    class Meta:
        model = Submission
        fields = [
            "id",
            "candidate__name",
            "candidate__email",
            "role__title",
            "role__client__name",
            "stage",
            "stage_changed_at",
            "source",
            "created_at",
        ]
        export_order = fields


class PlacementResource(resources.ModelResource):
    class Meta:
        model = Placement
        fields = [
            "id",
            "submission__candidate__name",
            "submission__role__title",
            "submission__role__client__name",
            "start_date",
            "agreed_salary",
            "fee_type",
            "fee_percent",
            "fee_amount",
            "guarantee_ends_on",
            "status",
        ]
        export_order = fields
