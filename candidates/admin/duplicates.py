"""Candidates: the duplicate warning, the merge page and the "Possible duplicates" list."""

from typing import Any

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from sonitec.admin_merge import (
    DuplicateCheckForm,
    DuplicatePairAdmin,
    MergeAdminMixin,
    Suggestion,
    change_url,
    merge_url,
)
from sonitec.merging import duplicate_pair_dismiss

from ..merging import candidate_merge, candidate_merge_fields
from ..models import Candidate, CandidateDuplicate
from ..selectors import candidate_duplicates
from ..services import candidate_duplicates_refresh


def find_candidate_duplicates(data: dict[str, Any], exclude_id: int | None) -> list[Suggestion]:
    return [(s.candidate, s.reasons, s.confidence) for s in candidate_duplicates(data=data, exclude_id=exclude_id)]


class CandidateAdminForm(DuplicateCheckForm):
    duplicate_finder = find_candidate_duplicates

    class Meta:
        model = Candidate
        fields = "__all__"


class CandidateDuplicatesMixin(MergeAdminMixin):
    """For CandidateAdmin: warn before saving a likely duplicate, list known ones, and merge side by side."""

    form = CandidateAdminForm
    merge_service = candidate_merge
    merge_fields = candidate_merge_fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        # What the recruiter chose to save anyway still goes on the "Possible duplicates" list.
        candidate_duplicates_refresh(candidate=obj)

    @admin.display(description="Possible duplicates")
    def possible_duplicates(self, obj):
        if not obj.pk:
            return "—"
        suggestions = candidate_duplicates(data=obj)
        if not suggestions:
            return "None found"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a>: {} ({}%) · <a href="{}">merge into this record…</a></li>',
                (
                    (
                        change_url(s.candidate),
                        s.candidate,
                        ", ".join(s.reasons),
                        s.confidence,
                        merge_url(Candidate, obj.pk, s.candidate.pk),
                    )
                    for s in suggestions
                ),
            ),
        )


@admin.register(CandidateDuplicate)
class CandidateDuplicateAdmin(DuplicatePairAdmin):
    dismiss_service = duplicate_pair_dismiss
