from django.contrib import admin

from ..models import Competency


@admin.register(Competency)
class CompetencyAdmin(admin.ModelAdmin):
    """The rubric of each pillar: its competencies in order, with what each level 1–4 looks like."""

    list_display = ["name", "pillar", "position"]
    list_editable = ["position"]
    list_filter = ["pillar"]
    list_select_related = ["pillar"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["pillar", "name", "slug", "position", "description", "level_1", "level_2", "level_3", "level_4"]
