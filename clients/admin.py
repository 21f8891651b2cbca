from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from pipelines.admin import PipelineInlinesMixin
from roles.models import Role
from sonitec.admin_tools import owned_by_me_filter

from .models import ApiKey, Client, Contact, Enquiry, Intake, IntakePillarNeed, Partner


class ContactInline(admin.TabularInline):
    model = Contact
    fields = ["name", "email", "phone", "job_title", "is_primary", "marketing_opt_in", "do_not_contact"]
    extra = 0
    show_change_link = True


class ClientRoleInline(admin.TabularInline):
    model = Role
    fields = ["title", "pillar", "seniority", "status", "headcount", "owner"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("pillar", "owner")


@admin.register(Client)
class ClientAdmin(PipelineInlinesMixin, SimpleHistoryAdmin):
    list_display = ["name", "industry", "status", "size", "location", "account_owner", "created_at"]
    list_filter = ["status", "industry", owned_by_me_filter("account_owner", "account owner"), "size"]
    list_select_related = ["account_owner"]
    search_fields = ["name", "domain", "location"]
    autocomplete_fields = ["account_owner"]
    readonly_fields = ["domain", "created_at", "updated_at"]
    inlines = [ContactInline, ClientRoleInline]

    def get_inlines(self, request, obj):
        from pipelines.admin import ClientActivityInline

        return [*self.inlines, ClientActivityInline] if obj else [ContactInline]


@admin.register(Contact)
class ContactAdmin(PipelineInlinesMixin, SimpleHistoryAdmin):
    list_display = ["name", "client", "job_title", "email", "phone", "is_primary", "do_not_contact"]
    list_filter = ["is_primary", "marketing_opt_in", "do_not_contact", "client__industry"]
    list_select_related = ["client"]
    search_fields = ["name", "email", "phone", "client__name"]
    autocomplete_fields = ["client"]
    readonly_fields = ["created_at", "updated_at"]

    def get_inlines(self, request, obj):
        from pipelines.admin import ContactActivityInline

        return [ContactActivityInline] if obj else []


class ApiKeyInline(admin.TabularInline):
    model = ApiKey
    fields = ["name", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        # Keys are made by the "create API key" action, which shows the key once.
        return False


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "contact_email", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "contact_email"]
    inlines = [ApiKeyInline]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["prefix", "partner", "name", "created_at", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["partner"]
    list_select_related = ["partner"]
    search_fields = ["prefix", "partner__name", "name"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False


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
