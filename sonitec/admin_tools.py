"""Admin pieces shared by the apps."""

from typing import TypeVar

from django import forms
from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import QuerySet
from django.forms.widgets import ChoiceWidget, DateTimeBaseInput
from django.utils.functional import cached_property
from unfold import widgets as unfold_widgets
from unfold.admin import ModelAdmin, TabularInline

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


class ReadOnlyAdmin(ModelAdmin):
    """Records of what happened (logs, runs, rankings): looked at, never added, edited or deleted by hand."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# The theme's widget for each plain Django widget, so a form on one of the admin's own pages (upload, schedule,
# add to a pool) looks and behaves like the change forms around it.
THEME_WIDGETS: dict[type[forms.Widget], type[forms.Widget]] = {
    forms.TextInput: unfold_widgets.UnfoldAdminTextInputWidget,
    forms.EmailInput: unfold_widgets.UnfoldAdminEmailInputWidget,
    forms.URLInput: unfold_widgets.UnfoldAdminURLInputWidget,
    forms.NumberInput: unfold_widgets.UnfoldAdminIntegerFieldWidget,
    forms.Textarea: unfold_widgets.UnfoldAdminTextareaWidget,
    forms.Select: unfold_widgets.UnfoldAdminSelectWidget,
    forms.RadioSelect: unfold_widgets.UnfoldAdminRadioSelectWidget,
    forms.CheckboxSelectMultiple: unfold_widgets.UnfoldAdminCheckboxSelectMultipleWidget,
    forms.CheckboxInput: unfold_widgets.UnfoldBooleanWidget,
    forms.ClearableFileInput: unfold_widgets.UnfoldAdminFileFieldWidget,
    forms.FileInput: unfold_widgets.UnfoldAdminFileFieldWidget,
}
DATETIME_CLASSES = " ".join(unfold_widgets.DATETIME_CLASSES)

FormT = TypeVar("FormT", bound=forms.BaseForm)


def themed(form: FormT) -> FormT:
    """The form with the theme's widgets (its own attributes and choices kept); render it with
    admin/sonitec/form_fields.html."""
    for field in form.fields.values():
        plain = field.widget
        theme_widget = THEME_WIDGETS.get(type(plain))
        if theme_widget is None:
            if isinstance(plain, DateTimeBaseInput):  # dates and times keep their own input: the theme adds its look
                plain.attrs["class"] = f"{plain.attrs.get('class', '')} {DATETIME_CLASSES}".strip()
            continue
        widget = theme_widget(attrs=dict(plain.attrs))
        if isinstance(plain, ChoiceWidget) and isinstance(widget, ChoiceWidget):
            widget.choices = plain.choices
        widget.is_required = plain.is_required
        field.widget = widget
    return form
