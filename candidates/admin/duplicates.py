"""Candidates: the duplicate warning, the merge page and the "Possible duplicates" list (sonitec/admin_merge.py)."""

from typing import Any

from django.contrib import admin

from sonitec.admin_merge import DuplicatePairAdmin, DuplicatesAdminMixin, Suggestion

from ..merging import candidate_merge, candidate_merge_fields
from ..models import Candidate, CandidateDuplicate
from ..selectors import candidate_duplicates
from ..services import candidate_duplicates_refresh


def find_candidate_duplicates(data: Any, exclude_id: int | None) -> list[Suggestion]:
    return [(s.candidate, s.reasons, s.confidence) for s in candidate_duplicates(data=data, exclude_id=exclude_id)]


def refresh_candidate_duplicates(candidate: Candidate) -> int:
    return candidate_duplicates_refresh(candidate=candidate)


class CandidateDuplicatesMixin(DuplicatesAdminMixin):
    duplicate_finder = find_candidate_duplicates
    duplicates_refresh = refresh_candidate_duplicates
    merge_service = candidate_merge
    merge_fields = candidate_merge_fields


@admin.register(CandidateDuplicate)
class CandidateDuplicateAdmin(DuplicatePairAdmin):
    pass
