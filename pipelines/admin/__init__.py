"""The pipeline in the admin: submissions, placements, activities, the board and the dashboard as the index."""

from django.contrib import admin

from . import activities, inlines, placements, reasons, submissions, views

# The admin index shows the pipeline dashboard above the usual app list.
admin.site.index_template = "pipelines/admin_index.html"

__all__ = ["activities", "inlines", "placements", "reasons", "submissions", "views"]
