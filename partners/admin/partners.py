from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from unfold.admin import ModelAdmin, TabularInline

from ..models import ApiKey, Partner, PartnerScope, WebhookDelivery, WebhookSubscription
from ..services import api_key_create, api_key_revoke, api_keys_forget, scopes_validate
from ..webhooks import webhook_resume


class ApiKeyInline(TabularInline):
    model = ApiKey
    fields = ["name", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = ["prefix", "created_at", "revoked_at", "last_used_at"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        # Keys are made by the "create API key" action, which shows the key once.
        return False


class PartnerForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        choices=PartnerScope.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Partner
        fields = ["name", "contact_email", "is_active", "scopes"]

    def clean_scopes(self):
        try:
            return scopes_validate(self.cleaned_data["scopes"])
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error


class WebhookSubscriptionInline(TabularInline):
    model = WebhookSubscription
    fields = readonly_fields = ("url", "events", "is_active", "suspended_at", "consecutive_failures")
    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # partners subscribe through the API, which checks the URL


@admin.register(Partner)
class PartnerAdmin(ModelAdmin):
    form = PartnerForm
    list_display = ["name", "contact_email", "is_active", "scope_list", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "contact_email"]
    inlines = [ApiKeyInline, WebhookSubscriptionInline]
    actions = ["create_api_key"]

    @admin.display(description="scopes")
    def scope_list(self, obj):
        return ", ".join(obj.scopes)

    # Scopes, the active flag and the keys' expiry apply at once, not when the keys' cached lookups run out.
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        api_keys_forget(keys=form.instance.api_keys.all())

    def delete_model(self, request, obj):
        api_keys_forget(keys=obj.api_keys.all())
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        api_keys_forget(keys=ApiKey.objects.filter(partner__in=queryset))
        super().delete_queryset(request, queryset)

    @admin.action(description="Create an API key (shown once)", permissions=["change"])
    def create_api_key(self, request, queryset):
        for partner in queryset:
            api_key, key = api_key_create(partner=partner, name=f"created by {request.user}")
            # The key is not stored anywhere: this message is the only time anyone sees it.
            self.message_user(
                request,
                f"New API key for {partner}: {key} — copy it now, it will not be shown again "
                f"(prefix {api_key.prefix}).",
                messages.WARNING,
            )


@admin.register(ApiKey)
class ApiKeyAdmin(ModelAdmin):
    list_display = ["prefix", "partner", "name", "created_at", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["partner"]
    list_select_related = ["partner"]
    search_fields = ["prefix", "partner__name", "name"]
    readonly_fields = ["partner", "prefix", "created_at", "revoked_at", "last_used_at"]
    fields = ["partner", "name", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    # An expiry or a deletion applies at once, not when the key's cached lookup runs out.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        api_keys_forget(keys=[obj])

    def delete_model(self, request, obj):
        api_keys_forget(keys=[obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        api_keys_forget(keys=queryset)
        super().delete_queryset(request, queryset)

    @admin.action(description="Revoke the selected keys now", permissions=["change"])
    def revoke(self, request, queryset):
        for api_key in queryset:
            api_key_revoke(api_key=api_key)
        self.message_user(request, f"Revoked {queryset.count()} key(s).", messages.SUCCESS)


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(ModelAdmin):
    list_display = ["partner", "url", "is_active", "suspended_at", "consecutive_failures", "created_at"]
    list_filter = ["is_active", "partner"]
    list_select_related = ["partner"]
    search_fields = ["url", "partner__name"]
    readonly_fields = ["partner", "url", "events", "suspended_at", "consecutive_failures", "created_at", "is_active"]
    exclude = ["secret"]
    actions = ["resume"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Resume the selected subscriptions", permissions=["change"])
    def resume(self, request, queryset):
        for subscription in queryset:
            webhook_resume(subscription=subscription)
        self.message_user(request, f"Resumed {queryset.count()} subscription(s).", messages.SUCCESS)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ModelAdmin):
    """The delivery log: what was sent to whom, how often, and what their server answered."""

    list_display = [
        "created_at",
        "event_type",
        "subscription",
        "status",
        "attempts",
        "response_status",
        "next_attempt_at",
        "last_error",
    ]
    list_filter = ["status", "event_type"]
    list_select_related = ["subscription__partner"]
    search_fields = ["event_id", "subscription__url", "subscription__partner__name"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in WebhookDelivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
