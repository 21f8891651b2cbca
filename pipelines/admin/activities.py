"""Calls, emails, meetings and notes."""

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse
from unfold.admin import ModelAdmin

from sonitec.admin_tools import owned_by_me_filter

from .. import services
from ..models import Activity
from . import views as admin_views
from .inlines import ACTIVITY_TARGETS


@admin.register(Activity)
class ActivityAdmin(ModelAdmin):
    list_display = ["occurred_at", "kind", "subject", "candidate", "role", "author"]
    list_fullwidth = True
    list_filter = ["kind", owned_by_me_filter("author", "author")]
    list_select_related = ["candidate", "contact__client", "client", "role__client", "author"]
    search_fields = ["subject", "body", "candidate__name", "contact__name", "client__name"]
    autocomplete_fields = ["candidate", "contact", "client", "role", "submission"]
    readonly_fields = ["author"]
    date_hierarchy = "occurred_at"

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = services.activity_log(
            author=request.user,
            kind=obj.kind,
            subject=obj.subject,
            body=obj.body,
            **{f: getattr(obj, f) for f in ACTIVITY_TARGETS if getattr(obj, f"{f}_id")},
        )
        obj.pk = created.pk
        obj._state.adding = False

    def response_add(self, request, obj, post_url_continue=None):
        # "Log a call / note" links carry the page they came from; go back there after saving.
        if "next" in request.GET and "_addanother" not in request.POST and "_continue" not in request.POST:
            return HttpResponseRedirect(admin_views.safe_next(request, reverse("admin:pipelines_activity_changelist")))
        return super().response_add(request, obj, post_url_continue)
