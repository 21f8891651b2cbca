from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from unfold.admin import ModelAdmin

from sonitec.admin_tools import ReadOnlyInline

from .. import services
from ..models import Evidence


class CandidateEvidenceInline(ReadOnlyInline):
    """On the candidate's page: the links evidencing their skills, verified ones first."""

    model = Evidence
    fields = readonly_fields = ("skill", "competency", "kind", "url", "note", "verified")
    verbose_name_plural = "evidence of skills (add on the evidence page)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("skill", "competency", "verified_by")

    @admin.display(description="Verified")
    def verified(self, obj):
        if obj.verified_at is None:
            return "—"
        return f"✔ {obj.verified_by} {obj.verified_at:%d %b %Y}"


@admin.register(Evidence)
class EvidenceAdmin(ModelAdmin):
    list_display = ["candidate", "skill", "competency", "kind", "url", "verified_by", "verified_at"]
    list_filter = ["kind", ("verified_at", admin.EmptyFieldListFilter), "skill__pillars"]
    list_select_related = ["candidate", "skill", "competency", "verified_by"]
    search_fields = ["candidate__name", "url", "note", "skill__name", "competency__name"]
    autocomplete_fields = ["candidate", "skill"]
    raw_id_fields = ["competency"]
    readonly_fields = ["verified_by", "verified_at", "created_at"]
    fields = ["candidate", "skill", "competency", "kind", "url", "note", "verified_by", "verified_at", "created_at"]
    actions = ["verify"]

    def get_changeform_initial_data(self, request):
        return {**super().get_changeform_initial_data(request), "candidate": request.GET.get("candidate")}

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = services.evidence_add(
            candidate=obj.candidate,
            url=obj.url,
            kind=obj.kind,
            note=obj.note,
            skill=obj.skill,
            competency=obj.competency,
        )
        obj.pk = created.pk
        obj._state.adding = False

    @admin.action(description="Mark selected evidence as verified by me", permissions=["change"])
    def verify(self, request, queryset):
        try:
            for evidence in queryset:
                services.evidence_verify(evidence=evidence, by=request.user)
        except ValidationError as error:
            self.message_user(request, "; ".join(error.messages), messages.ERROR)
            return
        self.message_user(request, f"Verified {queryset.count()} piece(s) of evidence.")
