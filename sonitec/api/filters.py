import django_filters


class _RejectEmptyFilters:
    """A filter sent empty (`?stage=`) is an error rather than silently ignored: the caller meant something."""

    def clean(self):
        cleaned = super().clean()
        for name in self.fields:
            if name in self.data and self.data.get(name) == "":
                self.add_error(name, "Give a value, or leave this filter out.")
        return cleaned


class StrictFilterSet(django_filters.FilterSet):
    def get_form_class(self):
        form_class = super().get_form_class()
        return type(form_class.__name__, (_RejectEmptyFilters, form_class), {})


class UpdatedSinceFilterSet(StrictFilterSet):
    """Adds `updated_since` (ISO 8601 date-time) for incremental sync."""

    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label="Only records changed at or after this time (ISO 8601)."
    )
