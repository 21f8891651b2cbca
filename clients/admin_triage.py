from django.contrib import admin

from .models import Enquiry, Intake, IntakePillarNeed


@admin.register(Enquiry)
class EnquiryAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "company", "topic", "status", "created_at"]
    list_filter = ["status", "topic"]
    search_fields = ["name", "email", "company", "message"]
    list_select_related = ["client", "contact"]
    autocomplete_fields = ["client", "contact"]
    readonly_fields = ["consent_at", "consent_notice_version", "created_at"]
    date_hierarchy = "created_at"


class IntakePillarNeedInline(admin.TabularInline):
    model = IntakePillarNeed
    fields = ["pillar", "headcount", "seniority", "role"]
    autocomplete_fields = ["role"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("pillar", "role")


@admin.register(Intake)
class IntakeAdmin(admin.ModelAdmin):
    list_display = ["company_name", "contact_name", "contact_email", "industry", "status", "created_at"]
    list_filter = ["status", "industry", "needs_on_device", "regulated_sector"]
    search_fields = ["company_name", "contact_name", "contact_email", "website"]
    list_select_related = ["client", "contact"]
    autocomplete_fields = ["client", "contact"]
    readonly_fields = ["recommendation", "answers", "consent_at", "consent_notice_version", "created_at"]
    inlines = [IntakePillarNeedInline]
    date_hierarchy = "created_at"
