from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin, TabularInline

from messaging.admin.followups import ContactFollowUpInline, ContactMessageInline
from pipelines.admin.inlines import ClientActivityInline, ContactActivityInline, PipelineInlinesMixin
from roles.models import Role
from sonitec.admin_tools import owned_by_me_filter

from ..models import Client, Contact


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
class ClientAdmin(PipelineInlinesMixin, SimpleHistoryAdmin, ModelAdmin):
    list_display = ["name", "industry", "status", "location", "account_owner"]
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
class ContactAdmin(PipelineInlinesMixin, SimpleHistoryAdmin, ModelAdmin):
    list_display = ["name", "client", "job_title", "email", "is_primary"]
    list_fullwidth = True
    list_filter = ["is_primary", "marketing_opt_in", "do_not_contact", "client__industry"]
    list_select_related = ["client"]
    search_fields = ["name", "email", "phone", "client__name"]
    autocomplete_fields = ["client"]
    readonly_fields = ["created_at", "updated_at"]

    def get_inlines(self, request, obj):
        return [ContactActivityInline, ContactFollowUpInline, ContactMessageInline] if obj else []
