from django.contrib import admin
from unfold.admin import ModelAdmin

from ..models import Competency


@admin.register(Competency)
class CompetencyAdmin(ModelAdmin):
    """The rubric of each pillar: its competencies in order, with what each level 1–4 looks like."""

    list_display = ["name", "pillar", "position"]
    list_editable = ["position"]
    list_filter = ["pillar"]
    list_select_related = ["pillar"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["pillar", "name", "slug", "position", "description", "level_1", "level_2", "level_3", "level_4"]

    def get_changelist_form(self, request, **kwargs):
        """The list's position boxes are named for their competency, so a screen reader says which one it is."""
        base = super().get_changelist_form(request, **kwargs)

        class PositionForm(base):  # type: ignore[misc,valid-type]
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.fields["position"].widget.attrs["aria-label"] = f"Position of {self.instance}"

        return PositionForm
