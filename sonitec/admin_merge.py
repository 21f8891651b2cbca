"""Admin pieces for one record per person or company: the duplicate warning on add/change pages, the side-by-side
merge page, and the "Possible duplicates" worklist. Each domain admin plugs in its own selector and merge service.
"""

from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from unfold.admin import ModelAdmin

from .merging import duplicate_pair_dismiss
from .models import DuplicateStatus

Suggestion = tuple[models.Model, Sequence[str], int]  # (record, reasons, confidence)


class DuplicateCheckForm(forms.ModelForm):
    """A model form that warns, with links, before saving a likely duplicate; ticking the box saves anyway."""

    save_anyway = forms.BooleanField(
        required=False,
        label="Save even if it looks like a duplicate",
        help_text="Tick only when the records listed above are different people or companies.",
    )
    # (data, id of the record being changed) -> [(record, reasons, confidence)]; set by each domain's form.
    duplicate_finder: Any = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        finder = type(self).duplicate_finder
        if finder is None or data.get("save_anyway") or self.errors:
            return data
        suggestions = finder(data, self.instance.pk)
        if suggestions:
            links = format_html_join(
                "",
                '<li><a href="{}" target="_blank">{}</a>: {} (confidence {}%)</li>',
                (
                    (change_url(record), str(record), ", ".join(reasons), confidence)
                    for record, reasons, confidence in suggestions
                ),
            )
            raise ValidationError(
                format_html(
                    "This looks like a record already on file:<ul>{}</ul>Open it to check, merge the two from the "
                    "“Possible duplicates” list, or tick “Save even if it looks like a duplicate”.",
                    links,
                )
            )
        return data


def change_url(record: models.Model) -> str:
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def merge_url(model: type[models.Model], kept_id: int, duplicate_id: int) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_merge", args=[kept_id, duplicate_id])


class MergeAdminMixin:
    """Adds `<kept>/merge/<duplicate>/`: both records side by side, a choice per field, then the merge service."""

    merge_service: Callable[..., models.Model]
    merge_fields: Callable[[], list[str]]
    merge_template = "admin/sonitec/merge.html"

    def get_urls(self):
        opts = self.model._meta  # type: ignore[attr-defined]
        return [
            path(
                "<int:pk>/merge/<int:other>/",
                self.admin_site.admin_view(self.merge_view),  # type: ignore[attr-defined]
                name=f"{opts.app_label}_{opts.model_name}_merge",
            ),
            *super().get_urls(),  # type: ignore[misc]
        ]

    def merge_view(self, request: HttpRequest, pk: int, other: int) -> HttpResponse:
        if not (self.has_change_permission(request) and self.has_delete_permission(request)):  # type: ignore[attr-defined]
            raise PermissionDenied
        model = self.model  # type: ignore[attr-defined]
        kept, duplicate = get_object_or_404(model, pk=pk), get_object_or_404(model, pk=other)
        fields = type(self).merge_fields()
        if request.method == "POST":
            choices = {name: request.POST.get(f"choice_{name}", "kept") for name in fields}
            try:
                merged = type(self).merge_service(kept=kept, duplicate=duplicate, choices=choices, by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, f"Merged: “{merged}” now holds everything both records held.")
                return HttpResponseRedirect(change_url(merged))
        rows = []
        for name in fields:
            field = model._meta.get_field(name)
            ours, theirs = _display(kept, field), _display(duplicate, field)
            default = "duplicate" if ours in ("", "—") and theirs not in ("", "—") else "kept"
            rows.append(
                {
                    "name": name,
                    "label": field.verbose_name,
                    "kept": ours,
                    "duplicate": theirs,
                    "default": default,
                    "same": ours == theirs,
                }
            )
        context = {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "opts": model._meta,
            "title": f"Merge two {model._meta.verbose_name_plural}",
            "kept": kept,
            "duplicate": duplicate,
            "rows": rows,
            "swap_url": merge_url(model, other, pk),
            "kept_url": change_url(kept),
            "duplicate_url": change_url(duplicate),
        }
        return TemplateResponse(request, self.merge_template, context)


class DuplicatesAdminMixin(MergeAdminMixin):
    """For the admin of one kind of record (candidates, clients, contacts), which names its finder and refresh:
    add and change pages warn before saving a likely duplicate, what is saved anyway goes on the "Possible
    duplicates" list, `possible_duplicates` lists a record's likely duplicates with merge links, and two records
    merge side by side.
    """

    form = DuplicateCheckForm
    # (data or record, id of the record being changed) -> [(record, reasons, confidence)]
    duplicate_finder: Callable[..., list[Suggestion]]
    # (saved record) -> stores its likely duplicates as open pairs
    duplicates_refresh: Callable[..., object]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)  # type: ignore[misc]
        form.duplicate_finder = type(self).duplicate_finder  # the admin builds a new form class on each call
        return form

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        # What the recruiter chose to save anyway still goes on the "Possible duplicates" list.
        type(self).duplicates_refresh(obj)

    @admin.display(description="Possible duplicates")
    def possible_duplicates(self, obj):
        if not obj.pk:
            return "—"
        suggestions = type(self).duplicate_finder(obj, obj.pk)
        if not suggestions:
            return "None found"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a>: {} ({}%) · <a href="{}">merge into this record…</a></li>',
                (
                    (
                        change_url(record),
                        record,
                        ", ".join(reasons),
                        confidence,
                        merge_url(type(obj), obj.pk, record.pk),
                    )
                    for record, reasons, confidence in suggestions
                ),
            ),
        )


def _display(record: models.Model, field: Any) -> str:
    if field.choices:
        value = getattr(record, f"get_{field.name}_display")()
    else:
        value = getattr(record, field.name)
    if value in (None, ""):
        return "—"
    if hasattr(value, "name") and isinstance(field, models.FileField):
        return str(value.name)
    return str(value)


class DuplicatePairAdmin(ModelAdmin):
    """The "Possible duplicates" worklist: open pairs, surest first, each with a merge link and a dismissal."""

    list_display = ["first_link", "second_link", "reasons_text", "confidence", "status", "merge_link"]
    list_filter = ["status"]
    list_select_related = ["first", "second"]
    actions = ["dismiss"]
    readonly_fields = ["first", "second", "reasons", "confidence", "status", "found_at", "decided_at", "decided_by"]
    dismiss_service: Callable[..., None] = duplicate_pair_dismiss

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        # Open pairs unless the recruiter filters for dismissed ones.
        return queryset if "status__exact" in request.GET else queryset.filter(status=DuplicateStatus.OPEN)

    @admin.display(description="record")
    def first_link(self, obj):
        return format_html('<a href="{}">{}</a>', change_url(obj.first), obj.first)

    @admin.display(description="may be the same as")
    def second_link(self, obj):
        return format_html('<a href="{}">{}</a>', change_url(obj.second), obj.second)

    @admin.display(description="why")
    def reasons_text(self, obj):
        return "; ".join(obj.reasons)

    @admin.display(description="")
    def merge_link(self, obj):
        if obj.status != DuplicateStatus.OPEN:
            return ""
        return format_html(
            '<a class="button" href="{}">Merge…</a>', merge_url(type(obj.first), obj.first_id, obj.second_id)
        )

    @admin.action(description="Not a duplicate: never suggest these pairs again")
    def dismiss(self, request, queryset):
        count = 0
        for pair in queryset.filter(status=DuplicateStatus.OPEN):
            type(self).dismiss_service(pair=pair, by=request.user)
            count += 1
        messages.success(request, f"{count} pair(s) dismissed for good.")


__all__ = [
    "DuplicateCheckForm",
    "DuplicatesAdminMixin",
    "MergeAdminMixin",
    "DuplicatePairAdmin",
    "change_url",
    "merge_url",
]
