"""Merging two records of one person into one, keeping everything either held.

Submissions are the pipeline's: the merge announces itself through sonitec.events, and the pipeline folds two
submissions to one role into one before the generic walk moves the rest.
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction

from sonitec import events
from sonitec.merging import merge_field_names, merged_values, relations_repoint

from .cv_text import cv_text_enqueue_on_commit
from .models import Candidate, CandidateCvText, CandidateSkill, SkillLevel

# Chosen with the CV, not on their own; the others are the record's bookkeeping.
CV_FIELDS = ["cv_original_name", "cv_uploaded_at"]
NOT_CHOSEN = [*CV_FIELDS, "last_activity_at", "anonymised_at"]
# Contact details of the duplicate that are not kept are written into the notes, so nothing is lost.
REMEMBERED_FIELDS = ["email", "phone", "linkedin_url", "github_url"]
LEVELS = list(SkillLevel.values)
# Derived from the record rather than held by it: dropped with the duplicate and made again for the kept record.
DROPPED_ON_MERGE = {"cv_text"}


def candidate_merge_fields() -> list[str]:
    """The fields the admin's side-by-side page lets a recruiter choose between."""
    return merge_field_names(Candidate, exclude=NOT_CHOSEN)


def _merge_skills(*, kept: Candidate, duplicate: Candidate) -> None:
    """The union of both skill lists; where both hold a skill, the higher level and the more years."""
    ours = {row.skill_id: row for row in CandidateSkill.objects.filter(candidate=kept)}
    for theirs in CandidateSkill.objects.filter(candidate=duplicate):
        row = ours.get(theirs.skill_id)
        if row is None:
            theirs.candidate = kept
            theirs.save(update_fields=["candidate"])
            continue
        row.level = max(row.level, theirs.level, key=LEVELS.index)
        row.years = max(row.years, theirs.years)
        row.save(update_fields=["level", "years"])
        theirs.delete()


@transaction.atomic
def candidate_merge(
    *, kept: Candidate, duplicate: Candidate, choices: Mapping[str, str] | None = None, by=None
) -> Candidate:
    """Merge `duplicate` into `kept` in one transaction and remove the duplicate.

    `choices` maps a field to "kept" or "duplicate" (which value survives); a field left out keeps the kept
    record's value, or takes the duplicate's where the kept one is empty. Every row that pointed at the
    duplicate points at the kept record afterwards: submissions (two in one role fold into the one further
    along), skills (union, higher level and years), consents, activities, messages, follow-ups and whatever
    other relation the model has. Both histories get a "merged" entry.
    """
    if kept.pk == duplicate.pk:
        raise ValidationError("A record cannot be merged with itself.")
    # Lock both rows, lower id first, so two merges of the same pair cannot interleave.
    locked = {c.pk: c for c in Candidate.objects.select_for_update().filter(pk__in=[kept.pk, duplicate.pk])}
    if len(locked) != 2:
        raise ValidationError("One of the two records no longer exists.")
    kept, duplicate = locked[kept.pk], locked[duplicate.pk]
    if kept.anonymised_at or duplicate.anonymised_at:
        raise ValidationError("An anonymised record cannot be merged: its personal data is gone.")

    changes = merged_values(kept=kept, duplicate=duplicate, fields=candidate_merge_fields(), choices=choices)
    if "cv" in changes:
        changes.update({name: getattr(duplicate, name) for name in CV_FIELDS})
    changes["last_activity_at"] = max(
        (value for value in (kept.last_activity_at, duplicate.last_activity_at) if value), default=None
    )
    dropped = [
        f"{getattr(Candidate._meta.get_field(name), 'verbose_name', name)}: {getattr(duplicate, name)}"
        for name in REMEMBERED_FIELDS
        if getattr(duplicate, name) and name not in changes and getattr(duplicate, name) != getattr(kept, name)
    ]

    folded = events.candidates_merging(kept=kept, duplicate=duplicate, by=by)
    # The search's copy of a CV's text follows the CV the merged record keeps: read again after commit.
    CandidateCvText.objects.filter(candidate__in=[kept, duplicate]).delete()
    cv_text_enqueue_on_commit(kept.pk)
    _merge_skills(kept=kept, duplicate=duplicate)
    moved = relations_repoint(kept=kept, duplicate=duplicate, handled={"candidates.CandidateSkill.candidate"})

    summary = f"Merged with candidate #{duplicate.pk} ({duplicate.name})"
    if folded:
        summary += f"; {folded} submission(s) to the same role folded into one"
    duplicate._change_reason = f"Merged into candidate #{kept.pk} ({kept.name})"  # type: ignore[attr-defined]
    duplicate.delete()

    for attname, value in changes.items():
        setattr(kept, attname, value)
    note = f"{summary}." + (f" Its other details: {'; '.join(dropped)}." if dropped else "")
    kept.notes = f"{kept.notes}\n\n{note}".strip()
    kept._change_reason = (  # type: ignore[attr-defined]
        f"{summary}; moved {sum(moved.values())} related rows"[:100]
    )
    kept.save()
    return kept
