"""Admin pieces shared by the apps."""

from django.contrib import admin
from unfold.admin import TabularInline


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
