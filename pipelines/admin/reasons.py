"""The rejection reasons recruiters pick from when rejecting a submission."""

from django.contrib import admin
from django.db.models import Count
from unfold.admin import ModelAdmin

from ..models import RejectionReason


@admin.register(RejectionReason)
class RejectionReasonAdmin(ModelAdmin):
    list_display = ["label", "code", "position", "is_active", "rejections"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["label", "code"]
    prepopulated_fields = {"code": ["label"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_rejections=Count("submissions"))

    @admin.display(description="Rejections", ordering="_rejections")
    def rejections(self, obj):
        return obj._rejections
