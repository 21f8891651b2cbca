"""Reads for assessing candidates: scorecards side by side, and pay bands from the agency's own data.

Pay bands: for each pillar × seniority × currency × pay basis (annual salary for permanent roles, day rate for
contract and interim ones), the count, 25th percentile, median and 75th percentile of

- placements' agreed pay (what clients actually paid), by start date within the window, and, separately,
- candidates' desired pay (what people ask for), by when the record was last updated within the window.

A band with fewer than MIN_POINTS data points has no figures at all ("not enough data"): a single placement's
pay must never be readable from a band. Percentiles interpolate linearly between the two nearest values (as
PostgreSQL's percentile_cont does), computed in Python so SQLite and PostgreSQL agree.
"""

import datetime
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from candidates.models import Candidate
from pipelines.models import Placement, Submission
from roles.models import EmploymentType, Pillar, Role, Seniority
from sonitec.money import money_format

from .models import RECOMMENDATION_POINTS, Competency, CompetencyScore, Evidence, Scorecard

MIN_POINTS = 5
WINDOW_DAYS = 730  # two years of placements: enough points per band, recent enough to be the market now
SALARY, DAY_RATE = "salary", "day_rate"
BASIS_LABELS = {SALARY: "a year", DAY_RATE: "a day"}
PLACEMENTS, CANDIDATES = "placements", "candidates"


def pay_basis(employment_type: str) -> str:
    return SALARY if employment_type == EmploymentType.PERMANENT else DAY_RATE


@dataclass(frozen=True)
class BandKey:
    pillar_id: int
    seniority: str
    currency: str
    basis: str


@dataclass
class PayBand:
    key: BandKey
    source: str  # placements or candidates
    count: int
    p25: Decimal | None = None
    median: Decimal | None = None
    p75: Decimal | None = None

    @property
    def enough_data(self) -> bool:
        return self.median is not None

    @property
    def seniority_label(self) -> str:
        return Seniority(self.key.seniority).label

    @property
    def basis_label(self) -> str:
        return BASIS_LABELS[self.key.basis]

    def rounded(self) -> "PayBand":
        """For clients: salaries to the nearest 1,000, day rates to the nearest 25."""
        step = Decimal(1000) if self.key.basis == SALARY else Decimal(25)

        def r(value: Decimal | None) -> Decimal | None:
            return None if value is None else (value / step).quantize(Decimal(1), ROUND_HALF_UP) * step

        return PayBand(self.key, self.source, self.count, r(self.p25), r(self.median), r(self.p75))


def band_from_values(*, key: BandKey, source: str, values: list[Decimal]) -> PayBand:
    """count, p25, median and p75 of the values; no figures at all below MIN_POINTS."""
    if len(values) < MIN_POINTS:
        return PayBand(key, source, len(values))
    p25, median, p75 = statistics.quantiles(values, n=4, method="inclusive")
    cents = Decimal("0.01")
    return PayBand(key, source, len(values), p25.quantize(cents), median.quantize(cents), p75.quantize(cents))


def _placement_points(*, since: datetime.date, filters: Q) -> Iterable[tuple[BandKey, Decimal]]:
    rows = Placement.objects.filter(filters, start_date__gte=since).values_list(
        "submission__role__pillar_id",
        "submission__role__seniority",
        "currency",
        "submission__role__employment_type",
        "agreed_salary",
        "agreed_day_rate",
    )
    for pillar_id, seniority, currency, employment_type, salary, day_rate in rows.iterator(chunk_size=2000):
        basis = pay_basis(employment_type)
        value = salary if basis == SALARY else day_rate
        if value:
            yield BandKey(pillar_id, seniority, currency, basis), value


def _candidate_points(*, since: datetime.date, filters: Q) -> Iterable[tuple[BandKey, Decimal]]:
    rows = (
        Candidate.objects.filter(filters, updated_at__date__gte=since, anonymised_at=None)
        .exclude(primary_pillar=None)
        .exclude(seniority="")
        .filter(Q(desired_salary__gt=0) | Q(desired_day_rate__gt=0))
        .values_list("primary_pillar_id", "seniority", "currency", "desired_salary", "desired_day_rate")
    )
    for pillar_id, seniority, currency, salary, day_rate in rows.iterator(chunk_size=2000):
        if salary:
            yield BandKey(pillar_id, seniority, currency, SALARY), salary
        if day_rate:
            yield BandKey(pillar_id, seniority, currency, DAY_RATE), day_rate


def pay_bands(
    *,
    source: str = PLACEMENTS,
    pillar_ids: Iterable[int] | None = None,
    seniority: str | None = None,
    currency: str | None = None,
    today: datetime.date | None = None,
    window_days: int = WINDOW_DAYS,
) -> dict[BandKey, PayBand]:
    """Every band with at least one data point in the window, from placements or from candidates. One query."""
    since = (today or timezone.localdate()) - datetime.timedelta(days=window_days)
    pillar_ids = list(pillar_ids) if pillar_ids is not None else None
    if source == PLACEMENTS:
        prefix = "submission__role__"
        filters = Q()
        if pillar_ids is not None:
            filters &= Q(**{f"{prefix}pillar_id__in": pillar_ids})
        if seniority:
            filters &= Q(**{f"{prefix}seniority": seniority})
        if currency:
            filters &= Q(currency=currency)
        points = _placement_points(since=since, filters=filters)
    else:
        filters = Q()
        if pillar_ids is not None:
            filters &= Q(primary_pillar_id__in=pillar_ids)
        if seniority:
            filters &= Q(seniority=seniority)
        if currency:
            filters &= Q(currency=currency)
        points = _candidate_points(since=since, filters=filters)
    grouped: dict[BandKey, list[Decimal]] = defaultdict(list)
    for key, value in points:
        grouped[key].append(value)
    return {key: band_from_values(key=key, source=source, values=values) for key, values in grouped.items()}


@dataclass
class RoleMarket:
    """Where a role's pay range sits against the agency's band for its pillar, seniority, currency and basis."""

    role: Role
    placements: PayBand
    candidates: PayBand
    role_low: Decimal | None
    role_high: Decimal | None
    position: str  # below, within, above, or "" (no range or not enough data)

    @property
    def position_label(self) -> str:
        return {"below": "below market", "within": "within market", "above": "above market"}.get(self.position, "")


def role_market(*, role: Role, today: datetime.date | None = None) -> RoleMarket:
    """The role's range against the placements band: below when its midpoint is under the band's 25th percentile,
    above when over the 75th, within otherwise. Two queries."""
    basis = pay_basis(role.employment_type)
    key = BandKey(role.pillar_id, role.seniority, role.currency, basis)
    bands = {}
    for source in (PLACEMENTS, CANDIDATES):
        found = pay_bands(
            source=source, pillar_ids=[role.pillar_id], seniority=role.seniority, currency=role.currency, today=today
        )
        bands[source] = found.get(key) or PayBand(key, source, 0)
    low, high = (role.salary_min, role.salary_max) if basis == SALARY else (role.day_rate_min, role.day_rate_max)
    position = ""
    band = bands[PLACEMENTS]
    if band.enough_data and (low or high):
        midpoint = ((low or high) + (high or low)) / 2  # type: ignore[operator]
        p25, p75 = band.p25 or Decimal(0), band.p75 or Decimal(0)  # both set when there is enough data
        position = "below" if midpoint < p25 else "above" if midpoint > p75 else "within"
    return RoleMarket(role, bands[PLACEMENTS], bands[CANDIDATES], low, high, position)


@dataclass
class PillarBudgetGuide:
    pillar: Pillar
    seniority: str
    bands: list[PayBand]  # rounded, each with enough data

    @property
    def seniority_label(self) -> str:
        return Seniority(self.seniority).label if self.seniority else ""


def budget_guide(*, pillar_seniorities: list[tuple[Pillar, str]], today: datetime.date | None = None):
    """For an intake: per pillar (and the seniority asked, or every seniority when none was), the placement bands
    with enough data, rounded. One query."""
    bands = pay_bands(source=PLACEMENTS, pillar_ids=[p.pk for p, _ in pillar_seniorities], today=today)
    guides = []
    for pillar, seniority in pillar_seniorities:
        found = [
            band.rounded()
            for key, band in sorted(bands.items(), key=lambda item: (_seniority_rank(item[0].seniority), item[0].basis))
            if key.pillar_id == pillar.pk and band.enough_data and (not seniority or key.seniority == seniority)
        ]
        guides.append(PillarBudgetGuide(pillar, seniority, found))
    return guides


def _money(amount: Decimal | None, band: PayBand) -> str:
    return money_format(amount, band.key.currency)


def budget_guide_text(guide: PillarBudgetGuide) -> str:
    """A pay-band guide as a line of text, e.g. for a draft role's notes."""
    heading = f"Pay guide for {guide.seniority_label or 'any'} {guide.pillar.name} (agency placements, last "
    heading += f"{WINDOW_DAYS * 12 // 365} months): "
    if not guide.bands:
        return heading + "not enough data."
    return (
        heading
        + "; ".join(
            f"{_money(band.p25, band)}–{_money(band.p75, band)} {band.basis_label}, median {_money(band.median, band)}"
            for band in guide.bands
        )
        + "."
    )


def _seniority_rank(seniority: str) -> int:
    values = list(Seniority.values)
    return values.index(seniority) if seniority in values else len(values)


@dataclass
class BandRow:
    pillar: Pillar
    placements: PayBand
    candidates: PayBand | None


def pay_band_table(*, today: datetime.date | None = None) -> list[BandRow]:
    """The dashboard's table: every placements band in the window, with the candidates' band beside it. Three
    queries whatever the data size."""
    pillars = {p.pk: p for p in Pillar.objects.all()}
    placements = pay_bands(source=PLACEMENTS, today=today)
    candidates = pay_bands(source=CANDIDATES, today=today)
    rows = [
        BandRow(pillars[key.pillar_id], band, candidates.get(key))
        for key, band in placements.items()
        if key.pillar_id in pillars
    ]
    rows.sort(
        key=lambda row: (
            row.pillar.position,
            row.pillar.name,
            _seniority_rank(row.placements.key.seniority),
            row.placements.key.currency,
            row.placements.key.basis,
        )
    )
    return rows


# ---- scorecards side by side ---------------------------------------------------------------------------


@dataclass
class ScorecardRow:
    competency: Competency
    scores: list[int | None]
    average: float | None


@dataclass
class ScorecardTable:
    scorecards: list[Scorecard]
    rows: list[ScorecardRow] = field(default_factory=list)
    recommendation_average: float | None = None

    @property
    def recommendation_label(self) -> str:
        """The panel's average recommendation in words (strong yes 4 … strong no 1)."""
        value = self.recommendation_average
        if value is None:
            return ""
        if value >= 3.5:
            return "Strong yes"
        if value >= 2.5:
            return "Yes"
        if value >= 1.5:
            return "No"
        return "Strong no"


def submission_scorecards(*, submission: Submission) -> ScorecardTable:
    """Every scorecard of a submission's interviews side by side, with the average per competency of the role's
    pillar rubric. Three queries whatever the number of scorecards."""
    scorecards = list(
        Scorecard.objects.filter(interview__submission=submission)
        .select_related("interview", "interviewer", "client_interviewer", "entered_by")
        .prefetch_related(Prefetch("scores", queryset=CompetencyScore.objects.order_by("id")))
        .order_by("interview__scheduled_at", "submitted_at", "id")
    )
    table = ScorecardTable(scorecards)
    if not scorecards:
        return table
    competencies = list(Competency.objects.filter(pillar_id=submission.role.pillar_id).order_by("position", "id"))
    by_card = [{score.competency_id: score.score for score in card.scores.all()} for card in scorecards]
    for competency in competencies:
        scores = [card.get(competency.pk) for card in by_card]
        given = [s for s in scores if s is not None]
        table.rows.append(ScorecardRow(competency, scores, round(sum(given) / len(given), 2) if given else None))
    points = [RECOMMENDATION_POINTS[card.recommendation] for card in scorecards]  # type: ignore[index]
    table.recommendation_average = round(sum(points) / len(points), 2)
    return table


# ---- evidence ------------------------------------------------------------------------------------------


def verified_skill_ids(*, candidate: Candidate) -> set[int]:
    """Skills a recruiter has seen verified evidence for."""
    return set(
        Evidence.objects.filter(candidate=candidate, verified_at__isnull=False, skill__isnull=False).values_list(
            "skill_id", flat=True
        )
    )


def skill_verified_annotation() -> Exists:
    """For a CandidateSkill queryset: whether verified evidence of that skill exists for that candidate."""
    return Exists(
        Evidence.objects.filter(
            candidate_id=OuterRef("candidate_id"), skill_id=OuterRef("skill_id"), verified_at__isnull=False
        )
    )
