from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin, TabularInline

from imports.admin.export import RecordedExportMixin
from imports.resources import ClientResource, ContactResource
from messaging.admin.followups import ContactFollowUpInline, ContactMessageInline
from pipelines.admin.inlines import ClientActivityInline, ContactActivityInline, PipelineInlinesMixin
from privacy.admin.actions import PersonalDataActionsMixin
from roles.models import Role
from sonitec.admin_tools import owned_by_me_filter

from ..models import Client, Contact
from .duplicates import ClientDuplicatesMixin, ContactDuplicatesMixin


class ContactInline(TabularInline):
    model = Contact
    fields = ["name", "email", "phone", "job_title", "is_primary", "marketing_opt_in", "do_not_contact"]
    extra = 0
    show_change_link = True


class ClientRoleInline(TabularInline):
    model = Role
    fields = readonly_fields = ("title", "pillar", "seniority", "status", "headcount", "owner")
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("pillar", "owner")


@admin.register(Client)
class ClientAdmin(RecordedExportMixin, ClientDuplicatesMixin, PipelineInlinesMixin, SimpleHistoryAdmin, ModelAdmin):
    resource_classes = [ClientResource]
    list_display = ["name", "industry", "status", "size", "location", "account_owner", "created_at"]
    list_fullwidth = True
    list_filter = ["status", "industry", owned_by_me_filter("account_owner", "account owner"), "size"]
    list_select_related = ["account_owner"]
    search_fields = ["name", "domain", "location"]
    autocomplete_fields = ["account_owner"]
    readonly_fields = ["domain", "created_at", "updated_at"]
    inlines = [ContactInline, ClientRoleInline]

    def get_inlines(self, request, obj):
        return [*self.inlines, ClientActivityInline] if obj else [ContactInline]


@admin.register(Contact)
class ContactAdmin(
    PersonalDataActionsMixin,
    RecordedExportMixin,
    ContactDuplicatesMixin,
    PipelineInlinesMixin,
    SimpleHistoryAdmin,
    ModelAdmin,
):
    resource_classes = [ContactResource]
    list_display = ["name", "client", "job_title", "email", "phone", "is_primary", "do_not_contact"]
    list_fullwidth = True
    list_filter = ["is_primary", "marketing_opt_in", "do_not_contact", "client__industry"]
    list_select_related = ["client"]
    search_fields = ["name", "email", "phone", "client__name"]
    autocomplete_fields = ["client"]
    readonly_fields = ["anonymised_at", "created_at", "updated_at"]
    actions = ["erase_personal_data"]

    def get_inlines(self, request, obj):
        return [ContactActivityInline, ContactFollowUpInline, ContactMessageInline] if obj else []
