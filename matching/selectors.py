"""Matching a role to candidates: who fits, by an explainable score from 0 to 100 with reasons and gaps; and
running a saved search.

Two steps, so a role's matches cost the same at a million candidates as at a thousand:
1. Retrieval (SQL): the SHORTLIST_SIZE candidates holding most of the role's required skills (then the right
   seniority, then the most recently active); a role without required skills retrieves its pillar's people.
   Excluded always: do-not-contact, anonymised, already in this role's pipeline, off-limits for its client.
2. Scoring (Python, below): each shortlisted candidate gets points per component, at most WEIGHTS[component],
   with a reason for what fits and a gap for what does not. The weights live here and only here.
"""

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, F, IntegerField, Max, Q, QuerySet, Subquery, Value, When
from django.db.models.expressions import RawSQL
from django.http import QueryDict
from django.utils import timezone

from candidates.forms import CandidateSearchForm
from candidates.models import Candidate, CandidateSkill, CandidateStatus, RightToWork, SkillLevel
from candidates.selectors import (
    CLEARANCE_ORDER,
    TS_CONFIG,
    CandidateSearch,
    candidate_filter,
    candidate_search,
    is_postgres,
    skill_ids_q,
)
from roles.models import Clearance, EmploymentType, RemotePolicy, Role, Seniority, Skill
from sonitec.money import SYMBOLS as CURRENCY_SYMBOLS

from .models import MatchAddition, MatchRankingLog, SavedSearch, TalentPoolMember

# The most a component adds to the score; they sum to 100. Documented in docs/search.md.
WEIGHTS: dict[str, int] = {
    "required_skills": 30,
    "nice_to_have_skills": 8,
    "pillar": 10,
    "seniority": 10,
    "pay": 10,
    "availability": 8,
    "location": 6,
    "clearance": 5,
    "right_to_work": 4,
    "recency": 3,
    "text": 6,
}
SHORTLIST_SIZE = 200
# PostgreSQL retrieval's later tiers read at most this many rows each (see _shortlist_ids_by_skill_array).
RETRIEVAL_WINDOW = 2000
# How much a skill counts at each level (years below YEARS_FOR_FULL_CREDIT scale it down further).
LEVEL_CREDIT: dict[str, float] = {
    SkillLevel.FOUNDATION: 0.5,
    SkillLevel.WORKING: 0.8,
    SkillLevel.ADVANCED: 1.0,
    SkillLevel.EXPERT: 1.0,
}
YEARS_FOR_FULL_CREDIT = Decimal("3")
SENIORITY_ORDER: list[str] = list(Seniority.values)
PAY_TOLERANCE = Decimal("0.10")  # up to 10% above the top of the range earns half the pay points
AVAILABILITY_GRACE_DAYS = 60  # points fall to zero this many days after the target date
RECENT_DAYS, STALE_DAYS = 30, 365


@dataclass
class Match:
    candidate: Candidate
    score: int
    reasons: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    points: dict[str, float] = field(default_factory=dict)

    def as_log(self, position: int) -> dict:
        """What the ranking log keeps: no name, email or free text about the person."""
        return {
            "candidate_id": self.candidate.pk,
            "position": position,
            "score": self.score,
            "reasons": self.reasons,
            "gaps": self.gaps,
            "points": {name: round(value, 2) for name, value in self.points.items()},
        }


@dataclass
class RoleRequirements:
    role: Role
    required: list[Skill]
    nice: list[Skill]
    target_date: datetime.date

    def as_log(self) -> dict:
        role = self.role
        return {
            "pillar_id": role.pillar_id,
            "required_skills": [skill.slug for skill in self.required],
            "nice_to_have_skills": [skill.slug for skill in self.nice],
            "seniority": role.seniority,
            "currency": role.currency,
            "salary": [str(role.salary_min or ""), str(role.salary_max or "")],
            "day_rate": [str(role.day_rate_min or ""), str(role.day_rate_max or "")],
            "target_date": self.target_date.isoformat(),
            "location": role.location,
            "remote_policy": role.remote_policy,
            "clearance": role.security_clearance,
            "weights": WEIGHTS,
            "shortlist_size": SHORTLIST_SIZE,
        }


def role_requirements(*, role: Role) -> RoleRequirements:
    return RoleRequirements(
        role=role,
        required=list(role.required_skills.all()),
        nice=list(role.nice_to_have_skills.all()),
        target_date=role.target_date or timezone.localdate() + datetime.timedelta(days=30),
    )


def role_match_pool(*, role: Role) -> QuerySet[Candidate]:
    """Everyone who may be matched to this role at all."""
    return candidate_filter(params=CandidateSearch(not_in_role_id=role.pk, not_off_limits_for_id=role.client_id))


def _shortlist_ids(requirements: RoleRequirements) -> list[int]:
    role = requirements.role
    pool = role_match_pool(role=role)
    required_ids = [skill.pk for skill in requirements.required]
    if not required_ids:
        pillar_people = pool.filter(Q(primary_pillar_id=role.pillar_id) | Q(other_pillars=role.pillar_id))
        return list(
            pillar_people.order_by("-last_activity_at", "-pk").values_list("pk", flat=True).distinct()[:SHORTLIST_SIZE]
        )
    if is_postgres():
        return _shortlist_ids_by_skill_array(pool, role, required_ids)
    seniority_fit = Case(When(candidate__seniority=role.seniority, then=Value(1)), default=Value(0))
    rows = (
        CandidateSkill.objects.filter(skill_id__in=required_ids, candidate__in=pool.values("pk"))
        .values("candidate_id")
        .annotate(
            held=Count("pk"),
            seniority_fit=Max(seniority_fit, output_field=IntegerField()),
            active=Max("candidate__last_activity_at"),
        )
        .order_by("-held", "-seniority_fit", "-active", "-candidate_id")
    )
    return [row["candidate_id"] for row in rows[:SHORTLIST_SIZE]]


def _shortlist_ids_by_skill_array(pool: QuerySet[Candidate], role: Role, required_ids: list[int]) -> list[int]:
    """The same order from the skill id array, in tiers so each reads few rows: holders of every required skill
    at the role's seniority (one GIN index on skills and seniority), then at other seniorities, then holders of
    some, most held first; the most recently active first within each tier. The later tiers run only when the
    earlier ones are short, and read at most RETRIEVAL_WINDOW rows each."""
    recency = F("last_activity_at").desc(nulls_last=True)
    every = skill_ids_q("@>", required_ids)
    ids = list(
        pool.filter(every, seniority=role.seniority)
        .order_by(recency, "-pk")
        .values_list("pk", flat=True)[:SHORTLIST_SIZE]
    )

    def first_holders(condition: Q) -> QuerySet[Candidate]:
        window = pool.filter(condition).order_by().values("pk")[:RETRIEVAL_WINDOW]
        return Candidate.objects.filter(pk__in=Subquery(window))

    if len(ids) < SHORTLIST_SIZE:
        others = first_holders(every & ~Q(seniority=role.seniority)).order_by(recency, "-pk")
        ids.extend(others.values_list("pk", flat=True)[: SHORTLIST_SIZE - len(ids)])
    if len(ids) < SHORTLIST_SIZE and len(required_ids) > 1:
        held = RawSQL(
            "cardinality(ARRAY(SELECT unnest(skill_ids) INTERSECT SELECT unnest(%s::bigint[])))",  # nosec B611
            [required_ids],
            output_field=IntegerField(),
        )
        seniority_fit = Case(When(seniority=role.seniority, then=Value(1)), default=Value(0)).desc()
        some = first_holders(skill_ids_q("&&", required_ids) & ~every).order_by(
            held.desc(), seniority_fit, recency, "-pk"
        )
        ids.extend(some.values_list("pk", flat=True)[: SHORTLIST_SIZE - len(ids)])
    return ids


def _text_relevance(requirements: RoleRequirements, ids: Sequence[int]) -> dict[int, float]:
    """0..1 per candidate: how well their search document matches the role's title and description."""
    role = requirements.role
    words = re.findall(r"[A-Za-z][A-Za-z0-9+#.-]{2,}", f"{role.title} {role.title} {role.description[:500]}")
    words = list(dict.fromkeys(word.lower() for word in words))[:30]
    if not words or not ids:
        return {}
    if is_postgres():
        table = Candidate._meta.db_table
        query = " or ".join(words)
        rank = RawSQL(f'ts_rank_cd("{table}"."search_document", websearch_to_tsquery(\'{TS_CONFIG}\', %s))', [query])  # nosec B611
        rows = Candidate.objects.filter(pk__in=ids).annotate(text_rank=rank).values_list("pk", "text_rank")
        return {pk: min(1.0, float(value or 0) / 0.5) for pk, value in rows}
    title_words = {word.lower() for word in re.findall(r"\w+", role.title) if len(word) > 2}
    rows2 = Candidate.objects.filter(pk__in=ids).values_list("pk", "current_title")
    return {
        pk: len(title_words & {word.lower() for word in re.findall(r"\w+", title)}) / max(1, len(title_words))
        for pk, title in rows2
    }


@dataclass(frozen=True)
class HeldSkill:
    """A skill the candidate holds, as scoring needs it."""

    level: str
    years: Decimal


@dataclass(frozen=True)
class CandidateFacts:
    """What scoring reads beyond the candidate's own columns: the role's skills they hold and whether the role's
    pillar is one of their other pillars."""

    held: dict[int, HeldSkill] = field(default_factory=dict)
    other_pillar: bool = False
    text_relevance: float = 0.0


def _candidate_facts(requirements: RoleRequirements, ids: Sequence[int]) -> dict[int, CandidateFacts]:
    """Facts for the shortlisted candidates, as rows (no model instances): only the role's skills and pillar."""
    skill_ids = [skill.pk for skill in (*requirements.required, *requirements.nice)]
    held: dict[int, dict[int, HeldSkill]] = {pk: {} for pk in ids}
    rows = CandidateSkill.objects.filter(candidate_id__in=ids, skill_id__in=skill_ids).values_list(
        "candidate_id", "skill_id", "level", "years"
    )
    for candidate_id, skill_id, level, years in rows:
        held[candidate_id][skill_id] = HeldSkill(level=level, years=years)
    also = set(
        Candidate.other_pillars.through.objects.filter(
            candidate_id__in=ids, pillar_id=requirements.role.pillar_id
        ).values_list("candidate_id", flat=True)
    )
    relevance = _text_relevance(requirements, ids)
    return {
        pk: CandidateFacts(held=held[pk], other_pillar=pk in also, text_relevance=relevance.get(pk, 0.0)) for pk in ids
    }


def role_matches(*, role: Role) -> list[Match]:
    """All shortlisted matches for the role, best first (ties: most recently active). A fixed number of queries."""
    requirements = role_requirements(role=role)
    ids = _shortlist_ids(requirements)
    candidates = list(Candidate.objects.filter(pk__in=ids).select_related("primary_pillar"))
    facts = _candidate_facts(requirements, ids)
    matches = [score_candidate(requirements, candidate, facts[candidate.pk]) for candidate in candidates]
    never = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    matches.sort(key=lambda m: (m.score, m.candidate.last_activity_at or never, m.candidate.pk), reverse=True)
    return matches


# ---- scoring ----------------------------------------------------------------------------------------------


def _money(currency: str, amount: Decimal | None) -> str:
    if amount is None:
        return "?"
    symbol = CURRENCY_SYMBOLS.get(currency, currency + " ")
    if amount >= 1000:
        thousands = amount / 1000
        return f"{symbol}{thousands:.0f}k" if thousands == thousands.to_integral() else f"{symbol}{thousands:.1f}k"
    return f"{symbol}{amount:.0f}"


def _skill_credit(held: HeldSkill) -> float:
    level = LEVEL_CREDIT.get(held.level, 0.8)
    years = min(Decimal("1"), held.years / YEARS_FOR_FULL_CREDIT) if YEARS_FOR_FULL_CREDIT else Decimal("1")
    return level * (0.6 + 0.4 * float(years))


def _weeks_or_days(days: int) -> str:
    if days >= 14:
        return f"{days // 7} weeks"
    return f"{days} day" + ("" if days == 1 else "s")


def score_candidate(requirements: RoleRequirements, candidate: Candidate, facts: CandidateFacts) -> Match:
    """The explainable score of one candidate for one role, from the candidate and `facts` (no queries)."""
    role = requirements.role
    match = Match(candidate=candidate, score=0)
    points = match.points
    held = facts.held

    # Required skills: how many are held, at what level and experience.
    if requirements.required:
        have = [skill for skill in requirements.required if skill.pk in held]
        credit = sum(_skill_credit(held[skill.pk]) for skill in have) / len(requirements.required)
        points["required_skills"] = WEIGHTS["required_skills"] * credit
        if have:
            levels = sorted({SkillLevel(held[skill.pk].level).label.lower() for skill in have})
            names = ", ".join(skill.name for skill in have)
            match.reasons.append(
                f"{names}: {len(have)} of {len(requirements.required)} required skills, {'/'.join(levels)}"
            )
        for skill in requirements.required:
            if skill.pk not in held:
                match.gaps.append(f"no {skill.name}")
    else:
        points["required_skills"] = WEIGHTS["required_skills"] * 0.5
    # Nice-to-have skills.
    if requirements.nice:
        nice = [skill for skill in requirements.nice if skill.pk in held]
        points["nice_to_have_skills"] = WEIGHTS["nice_to_have_skills"] * len(nice) / len(requirements.nice)
        if nice:
            match.reasons.append(f"nice to have: {', '.join(skill.name for skill in nice)}")
    else:
        points["nice_to_have_skills"] = WEIGHTS["nice_to_have_skills"] * 0.5
    # Pillar.
    if candidate.primary_pillar_id == role.pillar_id:
        points["pillar"] = WEIGHTS["pillar"]
        match.reasons.append(f"{role.pillar.name} is their main pillar")
    elif facts.other_pillar:
        points["pillar"] = WEIGHTS["pillar"] * 0.6
        match.reasons.append(f"also works as {role.pillar.name}")
    else:
        points["pillar"] = 0
        main = candidate.primary_pillar.name if candidate.primary_pillar else "no pillar recorded"
        match.gaps.append(f"main pillar is {main}")
    _score_seniority(role, candidate, match)
    _score_pay(role, candidate, match)
    _score_availability(requirements.target_date, candidate, match)
    _score_location(role, candidate, match)
    _score_clearance(role, candidate, match)
    _score_right_to_work(candidate, match)
    _score_recency(candidate, match)
    points["text"] = WEIGHTS["text"] * max(0.0, min(1.0, facts.text_relevance))
    if facts.text_relevance >= 0.5:
        match.reasons.append(f"profile matches “{role.title}”")
    match.score = max(0, min(100, round(sum(points.values()))))
    return match


def _score_seniority(role: Role, candidate: Candidate, match: Match) -> None:
    if not candidate.seniority:
        match.points["seniority"] = WEIGHTS["seniority"] * 0.5
        match.gaps.append("seniority unknown")
        return
    distance = abs(SENIORITY_ORDER.index(candidate.seniority) - SENIORITY_ORDER.index(role.seniority))
    match.points["seniority"] = WEIGHTS["seniority"] * {0: 1.0, 1: 0.5}.get(distance, 0.0)
    label = Seniority(candidate.seniority).label.lower()
    if distance == 0:
        match.reasons.append(f"{label}, as asked")
    else:
        match.gaps.append(f"{label}; role is {Seniority(role.seniority).label.lower()}")


def _score_pay(role: Role, candidate: Candidate, match: Match) -> None:
    weight = WEIGHTS["pay"]
    if role.employment_type == EmploymentType.PERMANENT:
        low, high, asks, unit = role.salary_min, role.salary_max, candidate.desired_salary, "salary"
    else:
        low, high, asks, unit = role.day_rate_min, role.day_rate_max, candidate.desired_day_rate, "day rate"
    if low is None and high is None:
        match.points["pay"] = weight * 0.5
        return
    if asks is None:
        match.points["pay"] = weight * 0.5
        match.gaps.append(f"desired {unit} unknown")
        return
    if candidate.currency != role.currency:
        match.points["pay"] = 0
        match.gaps.append(f"asks in {candidate.currency}; role pays in {role.currency}")
        return
    band = f"{_money(role.currency, low)}–{_money(role.currency, high)}"
    asks_text = _money(role.currency, asks)
    if high is None or asks <= high:
        match.points["pay"] = weight
        where = "within" if low is None or asks >= low else "below"
        match.reasons.append(f"asks {asks_text}, {where} {band}")
    elif asks <= high * (1 + PAY_TOLERANCE):
        match.points["pay"] = weight * 0.5
        match.gaps.append(f"asks {asks_text}, a little above {band}")
    else:
        match.points["pay"] = 0
        match.gaps.append(f"asks {asks_text}, above {band}")


def _score_availability(target: datetime.date, candidate: Candidate, match: Match) -> None:
    weight = WEIGHTS["availability"]
    today = timezone.localdate()
    if candidate.available_from is not None:
        available = max(candidate.available_from, today)
    elif candidate.notice_period_days is not None:
        available = today + datetime.timedelta(days=candidate.notice_period_days)
    else:
        match.points["availability"] = weight * 0.5
        match.gaps.append("availability unknown")
        return
    early = (target - available).days
    if early >= 0:
        match.points["availability"] = weight
        match.reasons.append(
            "available by the target date" if early == 0 else f"available {_weeks_or_days(early)} before target date"
        )
    else:
        late = -early
        match.points["availability"] = weight * max(0.0, 1 - late / AVAILABILITY_GRACE_DAYS)
        match.gaps.append(f"available {_weeks_or_days(late)} after target date")


def _score_location(role: Role, candidate: Candidate, match: Match) -> None:
    weight = WEIGHTS["location"]
    if role.remote_policy == RemotePolicy.REMOTE:
        match.points["location"] = weight
        if candidate.remote_preference == RemotePolicy.REMOTE:
            match.reasons.append("wants remote; role is remote")
        return
    same_place = bool(role.location and candidate.location) and (
        role.location.lower() in candidate.location.lower() or candidate.location.lower() in role.location.lower()
    )
    if same_place:
        match.points["location"] = weight
        match.reasons.append(f"based in {candidate.location}")
    elif candidate.remote_preference == RemotePolicy.REMOTE:
        match.points["location"] = 0
        policy = RemotePolicy(role.remote_policy).label.lower()
        match.gaps.append(f"wants remote; role is {policy}" + (f" in {role.location}" if role.location else ""))
    else:
        match.points["location"] = weight * 0.5
        if role.location and candidate.location:
            match.gaps.append(f"based in {candidate.location}; role is in {role.location}")


def _score_clearance(role: Role, candidate: Candidate, match: Match) -> None:
    weight = WEIGHTS["clearance"]
    needed = role.security_clearance
    if needed == Clearance.NONE:
        match.points["clearance"] = weight
        return
    has = candidate.security_clearance
    if CLEARANCE_ORDER.index(has) >= CLEARANCE_ORDER.index(needed):
        match.points["clearance"] = weight
        match.reasons.append(f"{Clearance(has).label} cleared")
    else:
        match.points["clearance"] = 0
        match.gaps.append(f"needs {Clearance(needed).label} clearance (has {Clearance(has).label.lower()})")


def _score_right_to_work(candidate: Candidate, match: Match) -> None:
    weight = WEIGHTS["right_to_work"]
    if candidate.right_to_work == RightToWork.YES:
        match.points["right_to_work"] = weight
    elif candidate.right_to_work == RightToWork.SPONSORSHIP:
        match.points["right_to_work"] = 0
        match.gaps.append("needs sponsorship")
    else:
        match.points["right_to_work"] = weight * 0.5
        match.gaps.append("right to work unknown")


def _score_recency(candidate: Candidate, match: Match) -> None:
    weight = WEIGHTS["recency"]
    if candidate.last_activity_at is None:
        match.points["recency"] = 0
        return
    days = max(0, (timezone.now() - candidate.last_activity_at).days)
    if days <= RECENT_DAYS:
        match.points["recency"] = weight
        match.reasons.append("active in the last month")
    else:
        match.points["recency"] = weight * max(0.0, 1 - (days - RECENT_DAYS) / (STALE_DAYS - RECENT_DAYS))


# ---- saved searches ----------------------------------------------------------------------------------------

# A saved search compares its first results only, run after run (the Run page and the daily digest alike).
SAVED_SEARCH_SEEN_LIMIT = 500


def saved_search_form(*, saved_search: SavedSearch) -> CandidateSearchForm:
    """The saved query parameters in the Find page's form, which checks them and turns slugs into objects: a
    search saved before a skill was removed no longer validates."""
    query = QueryDict(mutable=True)
    for key, value in saved_search.query.items():
        query[key] = value
    return CandidateSearchForm(query)


def saved_search_result_ids(
    *, params: CandidateSearch, contactable_only: bool = False, changed_since: datetime.datetime | None = None
) -> list[int]:
    """The first SAVED_SEARCH_SEEN_LIMIT results of a search, in its order, through the one search selector.

    contactable_only leaves out do-not-contact people even when the search asks for them (an email lists only
    people who may be approached); anonymised people are never found. changed_since keeps to the people added or
    changed since then (their `updated_at`).
    """
    queryset = Candidate.objects.all()
    if contactable_only:
        queryset = queryset.exclude(status=CandidateStatus.DO_NOT_CONTACT)
    if changed_since is not None:
        queryset = queryset.filter(updated_at__gte=changed_since)
    results = candidate_search(params=params, queryset=queryset)
    return list(results.values_list("pk", flat=True)[:SAVED_SEARCH_SEEN_LIMIT])


# ---- what matching holds about one person (their subject access export) ---------------------------------------


def candidate_matching_record(*, candidate_id: int) -> dict[str, list[dict]]:
    """The talent pools a person is in, every matches list they were shown in (role, when, position, score,
    reasons, gaps) and the additions to a pipeline made from one. Four queries."""
    logs = MatchRankingLog.objects.select_related("role").order_by("shown_at", "pk")
    if is_postgres():
        logs = logs.filter(results__contains=[{"candidate_id": candidate_id}])
    else:  # SQLite has no JSON containment: narrow by the stored text, then check each row below
        logs = logs.filter(results__icontains=f'"candidate_id": {candidate_id},')
    rankings = [
        {
            "role": log.role.title,
            "shown_at": log.shown_at,
            "position": row.get("position"),
            "score": row.get("score"),
            "reasons": row.get("reasons", []),
            "gaps": row.get("gaps", []),
        }
        for log in logs
        for row in log.results
        if row.get("candidate_id") == candidate_id
    ]
    pools = TalentPoolMember.objects.filter(candidate_id=candidate_id).select_related("pool").order_by("added_at")
    additions = MatchAddition.objects.filter(candidate_id=candidate_id).select_related("role").order_by("added_at")
    return {
        "talent_pools": [{"pool": member.pool.name, "added_at": member.added_at} for member in pools],
        "match_rankings": rankings,
        "match_additions": [
            {"role": addition.role.title, "score": addition.score, "added_at": addition.added_at}
            for addition in additions
        ],
    }
