"""Reads about candidates: finding them (one search for the admin list, the "Find candidates" page, the staff
API and matching) and telling who may be the same person (one duplicate selector for the admin warning, the
"Possible duplicates" list, the staff API and the import), and which consents are in force.

PostgreSQL: a weighted tsvector per candidate (candidates/migrations/0007_…: A name; B title, skills, pillars;
C company, location; D notes and CV text) queried with `websearch_to_tsquery` ("a phrase", -exclude, or), and
trigram similarity on names (misspellings) and emails (fragments). Results are ranked by

    search_rank = ts_rank_cd(document, query)
                + NAME_SIMILARITY_WEIGHT × similarity(name, text)      (name-like text only)
                + RECENCY_WEIGHT × 1 / (1 + days since last activity / RECENCY_HALF_DAYS)

Broad text (a skill half the database holds) is ranked within the first RANK_WINDOW matches the indexes yield, so
a page costs the same at a million candidates as at a thousand. Snippets (`ts_headline`) are made only for the
page shown (`candidate_search_highlights`).

SQLite (the embedded default): every word must appear somewhere in the same document text (substring match),
"-word" excludes; ranked by name match, then recency. Structured filters are the same on both.

Consents:
A consent is in force when it was not withdrawn and has not expired. Each purpose expires on its own clock
(periods in settings, see docs/privacy.md):
- data processing: CONSENT_DATA_PROCESSING_MONTHS after the later of when it was given and the candidate's last
  meaningful contact (`last_activity_at`);
- marketing: CONSENT_MARKETING_MONTHS after it was given;
- representation: CONSENT_REPRESENTATION_DAYS_AFTER_CLOSE days after the role closed (open roles: in force).
Expired consent counts as absent everywhere: every check goes through `consent_in_force_q`.
"""

import datetime
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.postgres.search import TrigramSimilarity
from django.core import signing
from django.db import connection
from django.db.models import BooleanField, Case, Exists, F, FloatField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from roles.models import Clearance, Pillar, Skill
from sonitec.models import DuplicateStatus
from sonitec.normalise import company_key, email_identity, normalise_email, phone_key, profile_key, trigram_similarity

from .models import (
    Candidate,
    CandidateCvText,
    CandidateDuplicate,
    CandidateSkill,
    CandidateStatus,
    Consent,
    ConsentPurpose,
    SkillLevel,
)

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
    *,
    email_keys: Iterable[str] = (),
    phone_keys: Iterable[str] = (),
    linkedin_keys: Iterable[str] = (),
    github_keys: Iterable[str] = (),
) -> QuerySet[Candidate]:
    """Candidates holding any of these comparable details: the import looks people up in bulk with the same keys
    that candidate_duplicates uses for one person. On PostgreSQL each list is one array parameter, so a whole
    file's keys make one short query.
    """
    matches = Q(pk__in=[])
    for key_field, values in (
        ("email_key", email_keys),
        ("phone_key", phone_keys),
        ("linkedin_key", linkedin_keys),
        ("github_key", github_keys),
    ):
        values = [value for value in values if value]
        if values and connection.vendor == "postgresql":
            column = f'"{Candidate._meta.db_table}"."{key_field}"'
            matches |= Q(RawSQL(f"{column} = ANY(%s)", [values], output_field=BooleanField()))  # nosec B611
        elif values:
            matches |= Q(**{f"{key_field}__in": values})
    return Candidate.objects.filter(matches)


# ---- ranking knobs (documented in docs/search.md) -------------------------------------------------------
NAME_SIMILARITY_WEIGHT = 1.0
RECENCY_WEIGHT = 0.1
RECENCY_HALF_DAYS = 90
# Text matching more people than this is ranked within the first RANK_WINDOW matches found.
RANK_WINDOW = 250
# Text of at most this many words, without search operators, is also compared with names by similarity.
NAME_LIKE_MAX_WORDS = 4
# How many similar name words each typed word may stand for.
NAME_WORD_ALTERNATIVES = 20
TS_CONFIG = "sonitec_search"

SKILL_LEVEL_ORDER: list[str] = [SkillLevel.FOUNDATION, SkillLevel.WORKING, SkillLevel.ADVANCED, SkillLevel.EXPERT]
CLEARANCE_ORDER: list[str] = [Clearance.NONE, Clearance.BPSS, Clearance.CTC, Clearance.SC, Clearance.DV]

HIGHLIGHT_START, HIGHLIGHT_STOP = "\x02", "\x03"


@dataclass(frozen=True)
class CandidateSearch:
    """What a recruiter asks for: text plus structured filters. Every field is optional."""

    q: str = ""
    pillar: Pillar | None = None
    skills: Sequence[Skill] = ()  # all of these
    skills_any: Sequence[Skill] = ()  # at least one of these
    skill_level: str = ""  # minimum level for the skills above
    skill_years: Decimal | None = None  # minimum years for the skills above
    seniority: str = ""
    available_by: datetime.date | None = None
    max_salary: Decimal | None = None
    max_day_rate: Decimal | None = None
    currency: str = "GBP"
    location: str = ""
    remote: str = ""
    right_to_work: str = ""
    clearance: str = ""  # at least this clearance
    status: str = ""
    not_in_role_id: int | None = None
    not_off_limits_for_id: int | None = None
    include_do_not_contact: bool = False
    exclude_ids: Sequence[int] = field(default=())

    @property
    def text(self) -> str:
        return " ".join(self.q.split())[:200]

    def is_empty(self) -> bool:
        return self == CandidateSearch()


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _name_like(text: str) -> bool:
    """Short text without search operators may be a (misspelt) name or an email fragment."""
    if not text or '"' in text or re.search(r"(^|\s)-\S", text) or re.search(r"\sor\s", text, re.IGNORECASE):
        return False
    return len(text.split()) <= NAME_LIKE_MAX_WORDS


def _levels_at_least(level: str) -> list[str]:
    return SKILL_LEVEL_ORDER[SKILL_LEVEL_ORDER.index(level) :] if level in SKILL_LEVEL_ORDER else SKILL_LEVEL_ORDER


def candidate_filter(*, params: CandidateSearch, queryset: QuerySet[Candidate] | None = None) -> QuerySet[Candidate]:
    """The structured filters alone (no text): who may be shown at all, and who fits the filters."""
    qs = Candidate.objects.all() if queryset is None else queryset
    qs = qs.filter(anonymised_at__isnull=True)
    if params.status:
        qs = qs.filter(status=params.status)
    elif not params.include_do_not_contact:
        qs = qs.exclude(status=CandidateStatus.DO_NOT_CONTACT)
    if params.pillar is not None:
        other = Candidate.other_pillars.through.objects.filter(candidate_id=OuterRef("pk"), pillar_id=params.pillar.pk)
        qs = qs.filter(Q(primary_pillar_id=params.pillar.pk) | Exists(other))
    skill_terms: dict[str, object] = {}
    if params.skill_level:
        skill_terms["level__in"] = _levels_at_least(params.skill_level)
    if params.skill_years is not None:
        skill_terms["years__gte"] = params.skill_years
    if is_postgres():
        # The skill id array (GIN) finds the holders; level and years, when asked for, are checked per skill.
        if params.skills:
            qs = qs.filter(skill_ids_q("@>", params.skills))
        if params.skills_any:
            qs = qs.filter(skill_ids_q("&&", params.skills_any))
        if not skill_terms:
            return _filter_rest(qs, params)
    for skill in params.skills:
        qs = qs.filter(Exists(CandidateSkill.objects.filter(candidate_id=OuterRef("pk"), skill=skill, **skill_terms)))
    if params.skills_any:
        any_of = CandidateSkill.objects.filter(
            candidate_id=OuterRef("pk"), skill__in=[skill.pk for skill in params.skills_any], **skill_terms
        )
        qs = qs.filter(Exists(any_of))
    return _filter_rest(qs, params)


def skill_ids_q(operator: Literal["@>", "&&"], skills: Iterable[Skill | int]) -> Q:
    """PostgreSQL: candidates whose skill id array holds all (`@>`) or any (`&&`) of these skills."""
    ids = sorted(skill if isinstance(skill, int) else skill.pk for skill in skills)
    return Q(RawSQL(f"skill_ids {operator} %s::bigint[]", [ids], output_field=BooleanField()))  # nosec B611


def _filter_rest(qs: QuerySet[Candidate], params: CandidateSearch) -> QuerySet[Candidate]:
    if params.seniority:
        qs = qs.filter(seniority=params.seniority)
    if params.available_by is not None:
        days = (params.available_by - timezone.localdate()).days
        qs = qs.filter(
            Q(available_from__lte=params.available_by)
            | Q(available_from__isnull=True, notice_period_days__lte=max(days, 0))
        )
    if params.max_salary is not None:
        qs = qs.filter(desired_salary__lte=params.max_salary, currency=params.currency)
    if params.max_day_rate is not None:
        qs = qs.filter(desired_day_rate__lte=params.max_day_rate, currency=params.currency)
    if params.location and is_postgres():
        # ILIKE (not icontains' UPPER … LIKE) so the trigram part of the skill filters' GIN index serves it.
        pattern = f"%{_like_escape(params.location)}%"
        qs = qs.filter(Q(RawSQL("location ILIKE %s", [pattern], output_field=BooleanField())))  # nosec B611
    elif params.location:
        qs = qs.filter(location__icontains=params.location)
    if params.remote:
        qs = qs.filter(remote_preference=params.remote)
    if params.right_to_work:
        qs = qs.filter(right_to_work=params.right_to_work)
    if params.clearance and params.clearance in CLEARANCE_ORDER:
        qs = qs.filter(security_clearance__in=CLEARANCE_ORDER[CLEARANCE_ORDER.index(params.clearance) :])
    if params.not_in_role_id is not None:
        qs = qs.exclude(submissions__role_id=params.not_in_role_id)
    if params.not_off_limits_for_id is not None:
        qs = qs.exclude(off_limits_clients__id=params.not_off_limits_for_id)
    if params.exclude_ids:
        qs = qs.exclude(pk__in=list(params.exclude_ids))
    return qs


def candidate_search(*, params: CandidateSearch, queryset: QuerySet[Candidate] | None = None) -> QuerySet[Candidate]:
    """Candidates fitting `params`; with text, ranked best first and annotated with `search_rank`.

    Without text the caller's order applies (the queryset's default: by name).
    """
    qs = candidate_filter(params=params, queryset=queryset)
    text = params.text
    if not text:
        return qs
    if is_postgres():
        return _postgres_text(qs, text)
    return _substring_text(qs, text)


def _postgres_text(qs: QuerySet[Candidate], text: str) -> QuerySet[Candidate]:
    table = Candidate._meta.db_table
    tsquery = f"websearch_to_tsquery('{TS_CONFIG}', %s)"
    # The match runs inside a subquery where Django aliases the table, so its columns are left unqualified
    # (the filters above add no joined table with these column names).
    name_like = _name_like(text)
    # Misspelt names: the name words similar to each word typed, looked up in the document's names (A weight),
    # OR-ed into the same tsquery so one GIN scan serves both.
    names = _name_tsquery(text) if name_like else ""
    document_match = f"search_document @@ ({tsquery} || %s::tsquery)" if names else f"search_document @@ {tsquery}"
    conditions = [RawSQL(document_match, [text, names] if names else [text], output_field=BooleanField())]  # nosec B611
    if name_like:
        # A fragment of an email uses the email trigram index.
        if " " not in text and len(text) >= 3:
            pattern = f"%{_like_escape(text.lower())}%"
            conditions.append(RawSQL("email ILIKE %s", [pattern], output_field=BooleanField()))
    matches = Q()
    for condition in conditions:
        matches |= Q(condition)
    # The first RANK_WINDOW matches in whatever order the indexes yield them (no sort of every match), so text
    # that a third of the database holds costs the same as a name.
    window = qs.filter(matches).order_by().values("pk")[:RANK_WINDOW]
    rank_sql = f'ts_rank_cd("{table}"."search_document", {tsquery})'
    rank_params: list[object] = [text]
    if name_like:
        rank_sql += f' + %s * GREATEST(similarity("{table}"."name", %s), word_similarity(%s, "{table}"."name"))'
        rank_params += [NAME_SIMILARITY_WEIGHT, text, text]
    rank_sql += (
        f' + %s / (1 + coalesce(EXTRACT(EPOCH FROM (now() - "{table}"."last_activity_at")) / 86400.0, 3650) / %s)'
    )
    rank_params += [RECENCY_WEIGHT, RECENCY_HALF_DAYS]
    return (
        Candidate.objects.filter(pk__in=Subquery(window))
        .annotate(search_rank=RawSQL(rank_sql, rank_params, output_field=FloatField()))  # nosec B611
        .order_by("-search_rank", "-pk")
    )


def _name_tsquery(text: str) -> str:
    """A tsquery for names like `text`, one query: every word typed must match a name word (A weight) that is
    similar to it (`<%`: word similarity at least pg_trgm.word_similarity_threshold), the closest first.
    Empty when some word is like no name word at all."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT typed.word, array_remove(array_agg(alike.word ORDER BY word_similarity(typed.word, alike.word)
                                                         DESC, alike.word), NULL)
                 FROM (SELECT DISTINCT candidate_name_words(%s) AS word) typed
                 LEFT JOIN LATERAL (SELECT known.word FROM candidate_name_word known
                                     WHERE typed.word <%% known.word
                                     ORDER BY word_similarity(typed.word, known.word) DESC, known.word
                                     LIMIT %s) alike ON true
                GROUP BY typed.word""",
            [text, NAME_WORD_ALTERNATIVES],
        )
        rows = cursor.fetchall()
    if not rows or any(not words for _, words in rows):
        return ""
    return " & ".join("(" + " | ".join(f"'{_tsquery_escape(word)}':A" for word in words) + ")" for _, words in rows)


def _tsquery_escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("'", "''")


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _word_q(word: str) -> Q:
    skill = CandidateSkill.objects.filter(candidate_id=OuterRef("pk"), skill__name__icontains=word)
    other = Candidate.other_pillars.through.objects.filter(candidate_id=OuterRef("pk"), pillar__name__icontains=word)
    cv = CandidateCvText.objects.filter(candidate_id=OuterRef("pk"), text__icontains=word)
    return Q(
        Q(name__icontains=word)
        | Q(email__icontains=word)
        | Q(current_title__icontains=word)
        | Q(current_company__icontains=word)
        | Q(location__icontains=word)
        | Q(notes__icontains=word)
        | Q(primary_pillar__name__icontains=word)
        | Exists(skill)
        | Exists(other)
        | Exists(cv)
    )


def _substring_words(text: str) -> tuple[list[str], list[str]]:
    """Words to find and words to exclude; a "quoted phrase" is one word."""
    wanted: list[str] = []
    unwanted: list[str] = []
    for match in re.finditer(r'(-?)"([^"]+)"|(-?)(\S+)', text):
        negated = match.group(1) or match.group(3)
        word = (match.group(2) or match.group(4) or "").strip()
        if not word or word.lower() == "or":
            continue
        (unwanted if negated else wanted).append(word)
    return wanted, unwanted


def _substring_text(qs: QuerySet[Candidate], text: str) -> QuerySet[Candidate]:
    wanted, unwanted = _substring_words(text)
    for word in wanted:
        qs = qs.filter(_word_q(word))
    for word in unwanted:
        qs = qs.exclude(_word_q(word))
    return qs.annotate(
        search_rank=Case(When(name__icontains=text, then=Value(1.0)), default=Value(0.5), output_field=FloatField())
    ).order_by("-search_rank", F("last_activity_at").desc(nulls_last=True), "-pk")


# ---- snippets for the page shown ------------------------------------------------------------------------


def _document_texts(ids: Iterable[int]) -> dict[int, str]:
    """The searchable text of these candidates (without their names), for snippets. Two queries."""
    ids = list(ids)
    texts: dict[int, list[str]] = {}
    rows = Candidate.objects.filter(pk__in=ids).values_list(
        "pk", "current_title", "current_company", "location", "notes", "primary_pillar__name"
    )
    for pk, *parts in rows:
        texts[pk] = [part for part in parts if part]
    for candidate_id, skill_name in CandidateSkill.objects.filter(candidate_id__in=ids).values_list(
        "candidate_id", "skill__name"
    ):
        texts.setdefault(candidate_id, []).append(skill_name)
    for candidate_id, cv_text in CandidateCvText.objects.filter(candidate_id__in=ids).values_list(
        "candidate_id", "text"
    ):
        texts.setdefault(candidate_id, []).append(cv_text[:20000])
    return {pk: " · ".join(parts) for pk, parts in texts.items()}


def candidate_search_highlights(*, candidate_ids: Sequence[int], q: str) -> dict[int, SafeString]:
    """An HTML snippet per candidate showing where the text matched (<mark>); only for the ids given.

    The same number of queries whatever the number of ids.
    """
    text = " ".join(q.split())[:200]
    if not text or not candidate_ids:
        return {}
    documents = _document_texts(candidate_ids)
    if not documents:
        return {}
    if is_postgres():
        snippets = _postgres_headlines(documents, text)
    else:
        snippets = {pk: _substring_headline(document, text) for pk, document in documents.items()}
    return {pk: _render_snippet(snippet) for pk, snippet in snippets.items() if snippet}


def _postgres_headlines(documents: dict[int, str], text: str) -> dict[int, str]:
    options = f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_STOP}, MaxWords=25, MinWords=8, MaxFragments=2"
    ids, bodies = list(documents), [documents[pk] for pk in documents]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT doc.id, ts_headline('{TS_CONFIG}', doc.body, websearch_to_tsquery('{TS_CONFIG}', %s), %s)
                  FROM unnest(%s::bigint[], %s::text[]) AS doc(id, body)""",  # nosec B608
            [text, options, ids, bodies],
        )
        rows = cursor.fetchall()
    # ts_headline returns the start of the text when nothing matched: keep only real highlights.
    return {pk: snippet for pk, snippet in rows if HIGHLIGHT_START in snippet}


def _substring_headline(document: str, text: str) -> str:
    wanted, _ = _substring_words(text)
    lowered = document.lower()
    for word in wanted:
        at = lowered.find(word.lower())
        if at >= 0:
            start, end = max(0, at - 60), min(len(document), at + len(word) + 60)
            return (
                ("…" if start else "")
                + document[start:at]
                + HIGHLIGHT_START
                + document[at : at + len(word)]
                + HIGHLIGHT_STOP
                + document[at + len(word) : end]
                + ("…" if end < len(document) else "")
            )
    return ""


def _render_snippet(snippet: str) -> SafeString:
    html = escape(snippet).replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>")
    # Escaped above; only our own <mark> tags are added.
    return mark_safe(html)  # nosec B308 B703


# ---- consents in force and the self-service link ------------------------------------------------------

SELF_SERVICE_SALT = "candidates.self-service"


def consent_in_force_q(*, now: datetime.datetime | None = None, prefix: str = "") -> Q:
    """A filter for Consent rows (or, with `prefix="consents__"`, rows related to them) that are in force now."""
    now = now or timezone.now()
    data_since = now - relativedelta(months=settings.CONSENT_DATA_PROCESSING_MONTHS)
    marketing_since = now - relativedelta(months=settings.CONSENT_MARKETING_MONTHS)
    closed_since = timezone.localdate(now) - datetime.timedelta(days=settings.CONSENT_REPRESENTATION_DAYS_AFTER_CLOSE)

    def q(**lookups) -> Q:
        return Q(**{f"{prefix}{key}": value for key, value in lookups.items()})

    return q(withdrawn_at=None) & (
        (
            q(purpose=ConsentPurpose.DATA_PROCESSING)
            & (q(given_at__gte=data_since) | q(candidate__last_activity_at__gte=data_since))
        )
        | (q(purpose=ConsentPurpose.MARKETING) & q(given_at__gte=marketing_since))
        | (q(purpose=ConsentPurpose.REPRESENTATION) & (q(role__closed_on=None) | q(role__closed_on__gte=closed_since)))
    )


def consent_is_current(
    *, candidate: Candidate, purpose: str = ConsentPurpose.DATA_PROCESSING, role=None, now=None
) -> bool:
    return (
        Consent.objects.filter(candidate=candidate, purpose=purpose, role=role)
        .filter(consent_in_force_q(now=now))
        .exists()
    )


def consent_expires_at(*, consent: Consent) -> datetime.datetime | None:
    """When this consent lapses (None: not on a clock, e.g. representation for a role still open).

    Reads `consent.candidate` and `consent.role`: select them with the consent when listing many.
    """
    if consent.purpose == ConsentPurpose.DATA_PROCESSING:
        last_contact = consent.candidate.last_activity_at
        start = max(consent.given_at, last_contact) if last_contact else consent.given_at
        return start + relativedelta(months=settings.CONSENT_DATA_PROCESSING_MONTHS)
    if consent.purpose == ConsentPurpose.MARKETING:
        return consent.given_at + relativedelta(months=settings.CONSENT_MARKETING_MONTHS)
    if consent.role is not None and consent.role.closed_on is not None:
        end = consent.role.closed_on + datetime.timedelta(days=settings.CONSENT_REPRESENTATION_DAYS_AFTER_CLOSE)
        return timezone.make_aware(datetime.datetime.combine(end, datetime.time.max))
    return None


def consent_state(*, consent: Consent, now: datetime.datetime | None = None) -> str:
    """'withdrawn', 'expired' or 'in force', as shown to staff and to the candidate."""
    now = now or timezone.now()
    if consent.withdrawn_at is not None:
        return "withdrawn"
    expires = consent_expires_at(consent=consent)
    return "expired" if expires is not None and expires < now else "in force"


# ---- the self-service link: no login, a signed token naming the candidate --------------------------------------


def candidate_self_service_token(*, candidate: Candidate) -> str:
    return signing.dumps({"candidate": candidate.pk}, salt=SELF_SERVICE_SALT, compress=True)


def candidate_from_self_service_token(*, token: str) -> Candidate | None:
    """The candidate a link was made for, or None if it was tampered with, is too old, or they were erased."""
    try:
        data = signing.loads(
            token, salt=SELF_SERVICE_SALT, max_age=datetime.timedelta(days=settings.SELF_SERVICE_LINK_DAYS)
        )
    except signing.BadSignature:
        return None
    return Candidate.objects.filter(pk=data.get("candidate"), anonymised_at=None).first()


def candidate_self_service_url(*, candidate: Candidate) -> str:
    path = reverse("public:privacy_self_service", args=[candidate_self_service_token(candidate=candidate)])
    return f"{settings.PUBLIC_BASE_URL}{path}"


def candidate_email_footer(*, candidate: Candidate) -> str:
    """The lines every email to a candidate ends with: their self-service link (see consents, withdraw, ask)."""
    return (
        "\n\n--\nSee the consents we hold for you, withdraw any of them, or ask for a copy or the erasure of your "
        f"data (no login needed): {candidate_self_service_url(candidate=candidate)}\n"
    )
