"""Admin pieces shared by the apps."""

from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import QuerySet
from django.utils.functional import cached_property
from unfold.admin import TabularInline

# Counting beyond this many rows is not worth a full scan: the list says "10000" and pages up to there.
COUNT_CAP = 10_000


class EstimatedCountPaginator(Paginator):
    """Counts for lists over very large tables (admin `paginator`).

    Unfiltered on PostgreSQL: the planner's estimate of the table's rows (pg_class.reltuples), instantly. Filtered
    or searched: an exact count up to COUNT_CAP, so a page never scans a million rows just to number the pages.
    """

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not isinstance(queryset, QuerySet):
            return super().count
        if connection.vendor == "postgresql" and not queryset.query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [queryset.model._meta.db_table]
                )
                row = cursor.fetchone()
            if row and row[0] and row[0] > COUNT_CAP:
                return int(row[0])
        return queryset.order_by()[:COUNT_CAP].count()


def owned_by_me_filter(field: str = "owner", title: str = "owner"):
    """A list filter with "Mine" and "Unassigned", so a recruiter can see their own work in one click."""

    class OwnedByMeFilter(admin.SimpleListFilter):
        parameter_name = f"{field}_is"

        def lookups(self, request, model_admin):
            return [("me", "Mine"), ("none", "Unassigned")]

        def queryset(self, request, queryset):
            if self.value() == "me":
                return queryset.filter(**{field: request.user})
            if self.value() == "none":
                return queryset.filter(**{f"{field}__isnull": True})
            return queryset

    OwnedByMeFilter.title = title
    return OwnedByMeFilter


class ReadOnlyInline(TabularInline):
    """Rows listed on another record's page, each linking to its own page, where changes are made."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
