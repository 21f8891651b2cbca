"""Reads about candidates: who may be the same person.

One selector decides what a likely duplicate is; the admin warning, the "Possible duplicates" list, the staff API
and the import all ask it, so the rules live here and nowhere else.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import Q, QuerySet

from sonitec.models import DuplicateStatus
from sonitec.normalise import company_key, email_identity, normalise_email, phone_key, profile_key, trigram_similarity

from .models import Candidate, CandidateDuplicate

# How sure each rule is, 0–100. Several reasons together are surer than any one (see combined_confidence).
CONFIDENCE = {
    "email": 100,
    "mailbox": 95,
    "linkedin": 95,
    "github": 90,
    "phone": 85,
    "name": 60,
}
NAME_SIMILARITY_MIN = 0.5
# Only the most similar names are compared on SQLite, where there is no trigram index.
NAME_SCAN_LIMIT = 2000
SUGGESTION_LIMIT = 10


def combined_confidence(confidences: Iterable[int]) -> int:
    """Independent pieces of evidence: 1 − Π(1 − c). 85 and 60 → 94."""
    doubt = 1.0
    for confidence in confidences:
        doubt *= 1 - confidence / 100
    return round(100 * (1 - doubt))


@dataclass
class DuplicateSuggestion:
    candidate: Candidate
    reasons: list[str] = field(default_factory=list)
    confidences: list[int] = field(default_factory=list)

    @property
    def confidence(self) -> int:
        return combined_confidence(self.confidences)

    def add(self, rule: str, reason: str, confidence: int | None = None) -> None:
        self.reasons.append(reason)
        self.confidences.append(CONFIDENCE[rule] if confidence is None else confidence)


@dataclass(frozen=True)
class CandidateProbe:
    """The details of a person to compare, from a saved record, a form being filled in or an import row."""

    name: str = ""
    email: str = ""
    phone: str = ""
    linkedin_url: str = ""
    github_url: str = ""
    current_company: str = ""
    location: str = ""

    @classmethod
    def of(cls, data: Mapping[str, Any] | Candidate) -> "CandidateProbe":
        get = (lambda name: getattr(data, name, "")) if isinstance(data, Candidate) else data.get
        return cls(**{name: str(get(name) or "") for name in cls.__dataclass_fields__})


def _exact_rules(probe: CandidateProbe) -> list[tuple[str, str, str, str]]:
    """(rule, key field, key value, reason) for each detail the probe has."""
    rules = []
    if key := email_identity(probe.email):
        rules.append(("mailbox", "email_key", key, "same mailbox (email ignoring case, dots and +tags)"))
    if key := phone_key(probe.phone):
        rules.append(("phone", "phone_key", key, "same phone number"))
    if key := profile_key(probe.linkedin_url):
        rules.append(("linkedin", "linkedin_key", key, "same LinkedIn profile"))
    if key := profile_key(probe.github_url):
        rules.append(("github", "github_key", key, "same GitHub profile"))
    return rules


def _similar_names(probe: CandidateProbe, queryset: QuerySet[Candidate]) -> list[tuple[Candidate, float, str]]:
    """Candidates with a similar name and the same company or location: (candidate, similarity, what matched)."""
    company, location = company_key(probe.current_company), company_key(probe.location)
    if not probe.name.strip() or not (company or location):
        return []
    place = Q()
    if company:
        place |= Q(current_company__iexact=probe.current_company.strip())
    if location:
        place |= Q(location__iexact=probe.location.strip())
    rows: list[Any]
    if connection.vendor == "postgresql":
        # The % operator uses the trigram index; the exact similarity is then checked below.
        rows = list(
            queryset.filter(place, name__trigram_similar=probe.name)
            .annotate(similarity=TrigramSimilarity("name", probe.name))
            .filter(similarity__gte=NAME_SIMILARITY_MIN)
            .order_by("-similarity", "id")[:SUGGESTION_LIMIT]
        )
    else:
        rows = list(queryset.filter(place).order_by("-id")[:NAME_SCAN_LIMIT])
    found = []
    for candidate in rows:
        similarity = trigram_similarity(probe.name, candidate.name)
        if similarity < NAME_SIMILARITY_MIN:
            continue
        same = []
        if company and company_key(candidate.current_company) == company:
            same.append("company")
        if location and company_key(candidate.location) == location:
            same.append("location")
        found.append((candidate, similarity, " and ".join(same)))
    return found


def dismissed_ids(*, candidate_id: int) -> set[int]:
    """The candidates a recruiter said are not the same person as this one."""
    pairs = CandidateDuplicate.objects.filter(
        Q(first_id=candidate_id) | Q(second_id=candidate_id), status=DuplicateStatus.NOT_DUPLICATE
    ).values_list("first_id", "second_id")
    return {other for pair in pairs for other in pair if other != candidate_id}


def candidate_duplicates(
    *, data: Mapping[str, Any] | Candidate, exclude_id: int | None = None, limit: int = SUGGESTION_LIMIT
) -> list[DuplicateSuggestion]:
    """Existing candidates that may be the person described by `data` (a record, or field values not yet saved),
    most likely first, each with its reasons and a confidence. Pairs dismissed as "not a duplicate" are left out.
    """
    probe = CandidateProbe.of(data)
    if exclude_id is None and isinstance(data, Candidate):
        exclude_id = data.pk
    queryset = Candidate.objects.all()
    if exclude_id is not None:
        queryset = queryset.exclude(pk=exclude_id).exclude(pk__in=dismissed_ids(candidate_id=exclude_id))

    suggestions: dict[int, DuplicateSuggestion] = {}
    rules = _exact_rules(probe)
    if rules:
        matches = Q()
        for _, key_field, value, _ in rules:
            matches |= Q(**{key_field: value})
        for candidate in queryset.filter(matches).order_by("id")[: limit * 4]:
            suggestion = suggestions.setdefault(candidate.pk, DuplicateSuggestion(candidate))
            for rule, key_field, value, reason in rules:
                if getattr(candidate, key_field) != value:
                    continue
                if rule == "mailbox" and normalise_email(candidate.email) == normalise_email(probe.email):
                    suggestion.add("email", "same email address")
                else:
                    suggestion.add(rule, reason)
    for candidate, similarity, same in _similar_names(probe, queryset):
        suggestion = suggestions.setdefault(candidate.pk, DuplicateSuggestion(candidate))
        # 0.5 similar → 60, identical → 80: a name alone is weaker evidence than any contact detail.
        confidence = CONFIDENCE["name"] + round(40 * (similarity - NAME_SIMILARITY_MIN))
        suggestion.add("name", f"similar name ({similarity:.0%}) and same {same}", confidence)
    ranked = sorted(suggestions.values(), key=lambda s: (-s.confidence, s.candidate.pk))
    return ranked[:limit]


def candidate_duplicate_pairs() -> QuerySet[CandidateDuplicate]:
    """The "Possible duplicates" worklist: open pairs, surest first."""
    return CandidateDuplicate.objects.filter(status=DuplicateStatus.OPEN).select_related("first", "second")


def candidates_matching_keys(
    *, email_keys: Iterable[str] = (), phone_keys: Iterable[str] = (), linkedin_keys: Iterable[str] = ()
) -> QuerySet[Candidate]:
    """Candidates holding any of these comparable details: the import looks people up in bulk with the same keys
    that candidate_duplicates uses for one person.
    """
    matches = Q(pk__in=[])
    for key_field, values in (("email_key", email_keys), ("phone_key", phone_keys), ("linkedin_key", linkedin_keys)):
        values = [value for value in values if value]
        if values:
            matches |= Q(**{f"{key_field}__in": values})
    return Candidate.objects.filter(matches)
