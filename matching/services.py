"""Writes for matching, saved searches and talent pools. Candidates reach a pipeline only through
pipelines.services.submission_create, after the same checks whichever page or endpoint asked."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from candidates.models import Candidate, CandidateStatus, Source
from pipelines.models import Submission
from pipelines.services import submission_create
from roles.models import Role

from .models import MatchAddition, MatchRankingLog, SavedSearch, TalentPool, TalentPoolMember
from .selectors import SAVED_SEARCH_SEEN_LIMIT, Match, RoleRequirements, role_matches, role_requirements

POOL_BULK_LIMIT = 500


# ---- a role's matches, as shown (and logged) -------------------------------------------------------------


@dataclass(frozen=True)
class MatchesPage:
    """One page of a role's matches as a recruiter saw it, and the log entry that keeps it."""

    requirements: RoleRequirements
    shown: list[Match]
    first_position: int
    has_next: bool
    ranking: MatchRankingLog


def matches_page_show(*, role: Role, number: int, size: int, by, channel: str) -> MatchesPage:
    """Page `number` (of `size`) of the role's matches, for the admin's Matches page and the staff API alike.

    Every list shown is logged: who, when, the role's requirements and weights, the page, and each candidate shown
    with position, score, reasons and gaps (ids only, no names).
    """
    requirements = role_requirements(role=role)
    matches = role_matches(role=role)
    start = (number - 1) * size
    shown = matches[start : start + size]
    ranking = MatchRankingLog.objects.create(
        role=role,
        shown_by=by if getattr(by, "pk", None) else None,
        channel=channel,
        parameters={**requirements.as_log(), "page": number, "page_size": size},
        results=[match.as_log(start + 1 + offset) for offset, match in enumerate(shown)],
    )
    return MatchesPage(
        requirements=requirements,
        shown=shown,
        first_position=start + 1,
        has_next=len(matches) > start + size,
        ranking=ranking,
    )


# ---- adding people to a pipeline ---------------------------------------------------------------------------


def pipeline_add_problem(*, candidate: Candidate, role: Role, off_limits_client_ids: set[int]) -> str | None:
    """Why this candidate may not be put into this role's pipeline from matching or a pool, or None."""
    if candidate.anonymised_at is not None:
        return f"Candidate {candidate.pk} was anonymised."
    if candidate.status == CandidateStatus.DO_NOT_CONTACT:
        return f"{candidate} is marked do not contact."
    if role.client_id in off_limits_client_ids:
        return f"{role.client} is off-limits for {candidate}."
    return None


@transaction.atomic
def match_add_to_pipeline(
    *, role: Role, candidate: Candidate, by, ranking: MatchRankingLog | None = None
) -> Submission:
    """Add a matched candidate to the role's pipeline at "sourced", and log it against the list it came from."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    off_limits = set(candidate.off_limits_clients.values_list("pk", flat=True))
    problem = pipeline_add_problem(candidate=candidate, role=role, off_limits_client_ids=off_limits)
    if problem:
        raise ValidationError(problem)
    if Submission.objects.filter(candidate=candidate, role=role).exists():
        raise ValidationError(f"{candidate} is already in this role's pipeline.")
    submission = submission_create(
        candidate=candidate, role=role, created_by=by, source=Source.SOURCED, note="Added from the role's matches"
    )
    score = None
    if ranking is not None:
        if ranking.role_id != role.pk:
            raise ValidationError("That matches list belongs to another role.")
        score = next((row["score"] for row in ranking.results if row.get("candidate_id") == candidate.pk), None)
    MatchAddition.objects.create(
        ranking=ranking, role=role, candidate=candidate, submission=submission, score=score, added_by=by
    )
    return submission


# ---- saved searches ----------------------------------------------------------------------------------------


def saved_search_create(*, owner, name: str, query: dict[str, str], daily_digest: bool = False) -> SavedSearch:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Give the search a name."})
    query = {key: value for key, value in query.items() if value not in ("", None)}
    if not query:
        raise ValidationError("There is nothing to save: give some text or a filter first.")
    try:
        with transaction.atomic():
            return SavedSearch.objects.create(owner=owner, name=name[:120], query=query, daily_digest=daily_digest)
    except IntegrityError as error:
        raise ValidationError({"name": f"You already have a saved search called “{name}”."}) from error


def _new_since(result_ids: Sequence[int], previous_ids: Sequence[int] | None) -> tuple[list[int], list[int]]:
    """The one rule of "new since last time", for the Run page and the daily digest alike: the first
    SAVED_SEARCH_SEEN_LIMIT results are kept, and those that were not among the previous ones are new (in the
    results' order). With no previous run (None) nobody is new: everyone would be."""
    ids = list(result_ids)[:SAVED_SEARCH_SEEN_LIMIT]
    if previous_ids is None:
        return ids, []
    previous = set(previous_ids)
    return ids, [pk for pk in ids if pk not in previous]


def saved_search_mark_run(*, saved_search: SavedSearch, result_ids: Sequence[int]) -> set[int]:
    """Record a run; return the ids among `result_ids` that were not among the results of the previous run.

    The very first run counts nobody as new.
    """
    previous = saved_search.seen_ids if saved_search.last_run_at is not None else None
    saved_search.seen_ids, new = _new_since(result_ids, previous)
    saved_search.last_run_at = timezone.now()
    saved_search.save(update_fields=["seen_ids", "last_run_at"])
    return set(new)


def saved_search_digest_since(*, saved_search: SavedSearch) -> datetime.datetime | None:
    """What the next digest compares with: the previous digest, or before the first one the search's last run
    (saving a search runs it). None: the search never ran, so its first digest counts nobody as new."""
    return saved_search.digest_last_at or saved_search.last_run_at


def saved_search_digest_take(
    *, saved_search: SavedSearch, result_ids: Sequence[int], changed_ids: Sequence[int]
) -> list[int]:
    """Record a digest's run of the search; return who is new since the previous digest, in the results' order.

    result_ids: the search's results now, kept for the next digest as a run keeps them. changed_ids: its results
    among the people added or changed since the previous digest (see saved_search_digest_since); only they can be
    new. A search matching more people than it ranks (broad text: the search selector's RANK_WINDOW) ranks the
    first of them in the table's order, and a change to anyone can move who falls among those: without this,
    everyone moved in would count as new. Who is
    reported is kept too, so a later change does not report them again while they stay in the results.

    The digest keeps its own previous results, so a Run in between does not hide anyone from it (nor it from the
    Run page).
    """
    if saved_search.digest_last_at is not None:
        previous: list[int] | None = saved_search.digest_seen_ids
    else:
        previous = saved_search.seen_ids if saved_search.last_run_at is not None else None
    kept, _ = _new_since(result_ids, previous)
    _, new = _new_since(changed_ids, previous)
    kept_set = set(kept)
    saved_search.digest_seen_ids = kept + [pk for pk in new if pk not in kept_set]
    saved_search.digest_last_at = timezone.now()
    saved_search.save(update_fields=["digest_seen_ids", "digest_last_at"])
    return new


# ---- talent pools ------------------------------------------------------------------------------------------


def talent_pool_create(*, name: str, owner, description: str = "") -> TalentPool:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Give the pool a name."})
    try:
        with transaction.atomic():
            return TalentPool.objects.create(name=name[:120], owner=owner, description=description)
    except IntegrityError as error:
        raise ValidationError({"name": f"There is already a pool called “{name}”."}) from error


@transaction.atomic
def talent_pool_add(*, pool: TalentPool, candidate_ids: Iterable[int], by) -> int:
    """Add candidates to a pool (those already in it stay as they are). Returns how many were added."""
    ids = list(dict.fromkeys(int(pk) for pk in candidate_ids))
    if not ids:
        raise ValidationError("Choose at least one candidate.")
    if len(ids) > POOL_BULK_LIMIT:
        raise ValidationError(f"Add at most {POOL_BULK_LIMIT} candidates at a time.")
    found = set(Candidate.objects.filter(pk__in=ids, anonymised_at__isnull=True).values_list("pk", flat=True))
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise ValidationError(f"No such candidate (or anonymised): {', '.join(map(str, missing[:10]))}.")
    already = set(
        TalentPoolMember.objects.filter(pool=pool, candidate_id__in=ids).values_list("candidate_id", flat=True)
    )
    new = [TalentPoolMember(pool=pool, candidate_id=pk, added_by=by) for pk in ids if pk not in already]
    TalentPoolMember.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def talent_pool_remove(*, pool: TalentPool, candidate_ids: Iterable[int]) -> int:
    deleted, _ = TalentPoolMember.objects.filter(pool=pool, candidate_id__in=list(candidate_ids)).delete()
    return deleted


@transaction.atomic
def talent_pool_add_to_role(*, pool: TalentPool, role: Role, by) -> tuple[list[Submission], int]:
    """Put every candidate of the pool into the role's pipeline at "sourced", all or nothing.

    Anyone who may not be added (do not contact, anonymised, off-limits for the role's client) stops the whole
    batch with a message naming them; people already in the pipeline are left as they are.
    Returns (new submissions, how many were already in the pipeline).
    """
    members = list(
        Candidate.objects.select_for_update()
        .filter(pool_memberships__pool=pool)
        .order_by("pk")
        .prefetch_related("off_limits_clients")
    )
    if not members:
        raise ValidationError("The pool is empty.")
    if len(members) > POOL_BULK_LIMIT:
        raise ValidationError(f"The pool has more than {POOL_BULK_LIMIT} people: add them in smaller pools.")
    problems = []
    for candidate in members:
        off_limits = {client.pk for client in candidate.off_limits_clients.all()}
        problem = pipeline_add_problem(candidate=candidate, role=role, off_limits_client_ids=off_limits)
        if problem:
            problems.append(problem)
    if problems:
        raise ValidationError(["Nobody was added, because:", *problems])
    already = set(
        Submission.objects.filter(role=role, candidate_id__in=[c.pk for c in members]).values_list(
            "candidate_id", flat=True
        )
    )
    created = [
        submission_create(
            candidate=candidate, role=role, created_by=by, source=Source.SOURCED, note=f"Added from pool “{pool}”"
        )
        for candidate in members
        if candidate.pk not in already
    ]
    return created, len(already)
