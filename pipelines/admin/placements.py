"""Placements: fees, guarantees, ending a placement."""

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin
from unfold.decorators import action

from imports.admin.export import RecordedExportMixin
from imports.resources import PlacementResource
from sonitec.money import money_format

from ..models import Placement
from . import views as admin_views


@admin.register(Placement)
class PlacementAdmin(RecordedExportMixin, SimpleHistoryAdmin, ModelAdmin):
    resource_classes = [PlacementResource]
    """Placements are made by moving a submission to placed and ended with "End placement": the money is
    computed by the services, so every field here is read-only."""

    list_display = ["submission", "start_date", "fee", "guarantee_ends_on", "status", "rebate"]
    list_fullwidth = True
    list_filter = ["status", "submission__role__pillar", "currency"]
    list_select_related = ["submission__candidate", "submission__role"]
    search_fields = ["submission__candidate__name", "submission__role__title", "submission__role__client__name"]
    # Every field shown read-only (money through sonitec.money): nothing on this page is a form field.
    fields = readonly_fields = [
        "submission",
        "start_date",
        "currency",
        "agreed_salary_money",
        "agreed_day_rate_money",
        "fee_type",
        "fee_percent",
        "fee",
        "guarantee_days",
        "guarantee_ends_on",
        "status",
        "ended_on",
        "termination_reason",
        "rebate",
        "created_by",
        "created_at",
        "updated_at",
    ]
    date_hierarchy = "start_date"
    actions_detail = ["end_placement", "open_submission"]

    def has_end_permission(self, request, object_id=None) -> bool:
        still_on = Placement.objects.filter(pk=object_id, ended_on__isnull=True).exists()
        return still_on and self.has_view_permission(request)

    @action(description="End placement", url_path="end-placement", icon="event_busy", permissions=["end"])
    def end_placement(self, request, object_id):
        return HttpResponseRedirect(reverse("admin:pipelines_placement_end", args=[object_id]))

    @action(description="Submission and history", url_path="open-submission", icon="move_up", permissions=["view"])
    def open_submission(self, request, object_id):
        placement = get_object_or_404(Placement, pk=object_id)
        return HttpResponseRedirect(reverse("admin:pipelines_submission_change", args=[placement.submission_id]))

    @admin.display(description="Agreed salary")
    def agreed_salary_money(self, obj):
        return money_format(obj.agreed_salary, obj.currency)

    @admin.display(description="Agreed day rate")
    def agreed_day_rate_money(self, obj):
        return money_format(obj.agreed_day_rate, obj.currency)

    @admin.display(description="Fee", ordering="fee_amount")
    def fee(self, obj):
        return money_format(obj.fee_amount, obj.currency)

    @admin.display(description="Rebate", ordering="rebate_amount")
    def rebate(self, obj):
        return money_format(obj.rebate_amount, obj.currency) if obj.rebate_amount is not None else "—"

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        end = self.admin_site.admin_view(lambda request, pk: admin_views.placement_end_page(self, request, pk))
        return [path("<int:pk>/end/", end, name="pipelines_placement_end"), *super().get_urls()]
