"""Placements: fees, guarantees, ending a placement."""

from django.contrib import admin
from django.urls import path
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin

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
    readonly_fields = [
        "submission",
        "start_date",
        "currency",
        "agreed_salary",
        "agreed_day_rate",
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
    change_form_template = "pipelines/placement_change_form.html"

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
