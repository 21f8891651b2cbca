"""Reads for the pipeline board and the dashboard.

Every figure is aggregated in the database, with a fixed number of queries whatever the data size.
Medians use window functions (ROW_NUMBER and COUNT over a partition), which SQLite and PostgreSQL both
have, so the same SQL gives the same answer on both; only the day arithmetic differs by vendor.
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Count, DecimalField, Exists, F, Max, Min, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from candidates.models import Consent, ConsentPurpose
from roles.models import Pillar, Role, RoleStatus
from sonitec.db_routers import reading_from_replica

from .models import OPEN_STAGES, STAGE_ORDER, Activity, Placement, PlacementStatus, Stage, StageChange, Submission

MONTHS = 12
DASHBOARD_CACHE_SECONDS = 10 * 60


# ---- the board ------------------------------------------------------------------------------------


@dataclass
class BoardCard:
    submission: Submission
    days_in_stage: int
    next_follow_up: datetime.datetime | None
    has_consent: bool = True

    @property
    def warnings(self) -> list[str]:
        """What the recruiter should see a warning icon for on the card."""
        problems = []
        if self.submission.needs_decision:
            problems.append("Needs a decision: the role was filled")
        if not self.has_consent and self.submission.stage in OPEN_STAGES:
            problems.append("No consent to represent recorded for this role")
        return problems


def board_for_role(*, role: Role) -> dict[str, list[BoardCard]]:
    """A role's submissions by stage (every stage present, in pipeline order), in one query."""
    consent = Consent.objects.filter(
        candidate=OuterRef("candidate_id"),
        role=OuterRef("role_id"),
        purpose=ConsentPurpose.REPRESENTATION,
        withdrawn_at=None,
    )
    submissions = (
        Submission.objects.filter(role=role)
        .select_related("candidate", "owner", "rejection_reason")
        # Follow-ups belong to messaging, which builds on pipelines: reached through the relation, not imported.
        .annotate(
            next_follow_up=Min("followups__due_at", filter=Q(followups__status="pending")),
            has_consent=Exists(consent),
        )
        .order_by("stage_changed_at", "id")
    )
    now = timezone.now()
    columns: dict[str, list[BoardCard]] = {stage: [] for stage in [*STAGE_ORDER, Stage.REJECTED, Stage.WITHDRAWN]}
    for submission in submissions:
        card = BoardCard(
            submission,
            (now - submission.stage_changed_at).days,
            submission.next_follow_up,
            submission.has_consent,
        )
        columns.setdefault(submission.stage, []).append(card)
    return columns


# ---- the dashboard --------------------------------------------------------------------------------


@dataclass
class PillarStats:
    pillar: Pillar
    open_roles: int = 0
    current: dict[str, int] = field(default_factory=dict)  # submissions at each stage now
    reached: dict[str, int] = field(default_factory=dict)  # submissions that ever reached each stage
    median_days_to_fill: float | None = None
    fills: int = 0
    median_days_in_stage: dict[str, float] = field(default_factory=dict)

    @property
    def funnel(self) -> list[dict]:
        """Each forward stage with how many reached it and the conversion from the stage before."""
        rows: list[dict] = []
        previous: int | None = None
        for stage in STAGE_ORDER:
            reached = self.reached.get(stage, 0)
            conversion = None if not previous else round(100 * reached / previous)
            rows.append(
                {
                    "stage": stage,
                    "label": Stage(stage).label,
                    "reached": reached,
                    "current": self.current.get(stage, 0),
                    "conversion": conversion,
                }
            )
            previous = reached
        return rows


@dataclass
class MonthStats:
    month: datetime.date
    placements: int = 0
    fees: dict[str, Decimal] = field(default_factory=dict)  # net of rebates, per currency


@dataclass
class RecruiterPipeline:
    name: str
    by_stage: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_stage.values())


@dataclass
class Dashboard:
    pillars: list[PillarStats]
    months: list[MonthStats]
    recruiters: list[RecruiterPipeline]

    @property
    def currencies(self) -> list[str]:
        return sorted({currency for month in self.months for currency in month.fees})


def dashboard_cached() -> Dashboard:
    """The dashboard, rebuilt only when something it counts has changed.

    The cache key is made of the newest stage change, placement, role and submission edit, read from
    indexed columns, so a move, a placement or a role edit shows on the next page view while unchanged
    data is served without the heavy aggregates.
    """
    # With a read replica (DATABASE_REPLICA_URL) the whole dashboard, cache key included, is read there: figures
    # may trail the primary by a moment, but a key and the figures cached under it always agree.
    with reading_from_replica():
        today = timezone.localdate()
        stamps = [
            StageChange.objects.aggregate(v=Max("id"))["v"],
            Placement.objects.aggregate(v=Max("updated_at"))["v"],
            Role.objects.aggregate(v=Max("updated_at"))["v"],
            Submission.objects.aggregate(v=Max("updated_at"))["v"],
        ]
        # Timestamps contain spaces, which some cache backends refuse in keys: use a digest of them.
        key = "pipelines:dashboard:" + hashlib.sha256(repr([today, *stamps]).encode()).hexdigest()
        dashboard = cache.get(key)
        if dashboard is None:
            dashboard = dashboard_build(today=today)
            cache.set(key, dashboard, DASHBOARD_CACHE_SECONDS)
        return dashboard


def dashboard_build(*, today: datetime.date | None = None) -> Dashboard:
    """Every dashboard figure, in seven queries."""
    today = today or timezone.localdate()
    pillars = {
        p.pk: PillarStats(pillar=p, open_roles=p.open_roles)
        for p in Pillar.objects.annotate(open_roles=Count("roles", filter=Q(roles__status=RoleStatus.OPEN)))
    }
    for row in Submission.objects.values("role__pillar_id", "stage").annotate(n=Count("id")).order_by():
        if row["role__pillar_id"] in pillars:
            pillars[row["role__pillar_id"]].current[row["stage"]] = row["n"]
    reached = (
        StageChange.objects.values("submission__role__pillar_id", "to_stage")
        .annotate(n=Count("submission_id", distinct=True))
        .order_by()
    )
    for row in reached:
        if row["submission__role__pillar_id"] in pillars:
            pillars[row["submission__role__pillar_id"]].reached[row["to_stage"]] = row["n"]
    for pillar_id, median, count in median_days_to_fill():
        if pillar_id in pillars:
            pillars[pillar_id].median_days_to_fill, pillars[pillar_id].fills = median, count
    for pillar_id, stage, median, _count in median_days_in_stage():
        if pillar_id in pillars:
            pillars[pillar_id].median_days_in_stage[stage] = median
    return Dashboard(
        pillars=list(pillars.values()), months=placements_by_month(today=today), recruiters=recruiter_pipelines()
    )


def placements_by_month(*, today: datetime.date) -> list[MonthStats]:
    """Placements made and fees earned (net of rebates) in each of the last twelve months, oldest first."""
    months: list[datetime.date] = []
    year, month_number = today.year, today.month
    for _ in range(MONTHS):
        months.append(datetime.date(year, month_number, 1))
        year, month_number = (year, month_number - 1) if month_number > 1 else (year - 1, 12)
    months.reverse()
    stats = {m: MonthStats(month=m) for m in months}
    since = timezone.make_aware(datetime.datetime.combine(months[0], datetime.time.min))
    money: DecimalField = DecimalField(max_digits=14, decimal_places=2)
    rows = (
        Placement.objects.filter(created_at__gte=since)
        .annotate(month=TruncMonth("created_at"))
        .values("month", "currency")
        .annotate(
            n=Count("id"),
            net=Sum(
                F("fee_amount") - Coalesce("rebate_amount", Value(Decimal("0")), output_field=money), output_field=money
            ),
        )
        .order_by()
    )
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        entry = stats.get(month.replace(day=1))
        if entry is None:
            continue
        entry.placements += row["n"]
        entry.fees[row["currency"]] = entry.fees.get(row["currency"], Decimal("0")) + (row["net"] or Decimal("0"))
    return list(stats.values())


def recruiter_pipelines() -> list[RecruiterPipeline]:
    """Each recruiter's open submissions by stage, busiest first."""
    rows = (
        Submission.objects.filter(stage__in=OPEN_STAGES)
        .values("owner_id", "owner__username", "owner__first_name", "owner__last_name", "stage")
        .annotate(n=Count("id"))
        .order_by()
    )
    recruiters: dict[int | None, RecruiterPipeline] = {}
    for row in rows:
        name = " ".join(filter(None, [row["owner__first_name"], row["owner__last_name"]])) or (
            row["owner__username"] or "Unassigned"
        )
        entry = recruiters.setdefault(row["owner_id"], RecruiterPipeline(name=name, by_stage={}))
        entry.by_stage[row["stage"]] = row["n"]
    return sorted(recruiters.values(), key=lambda r: (-r.total, r.name))


# ---- medians --------------------------------------------------------------------------------------


def _days_between(start: str, end: str) -> str:
    """SQL for the (fractional) days from `start` to `end`, two timestamp expressions."""
    if connection.vendor == "postgresql":
        return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0)"
    return f"(julianday({end}) - julianday({start}))"


def _date_days_between(start_date: str, end_timestamp: str) -> str:
    """SQL for whole days from a date column to the date of a timestamp column."""
    if connection.vendor == "postgresql":
        return f"(CAST({end_timestamp} AS date) - {start_date})"
    return f"CAST(julianday(date({end_timestamp})) - julianday({start_date}) AS INTEGER)"


def _median_sql(samples_sql: str, group_columns: list[str]) -> str:
    """Wrap a query yielding (group columns..., value) rows so it returns (group columns..., median, count).

    The middle row (or the mean of the two middle rows) of each group, picked by its rank: portable SQL,
    no PERCENTILE_CONT needed.
    """
    groups = ", ".join(group_columns)
    # Safe SQL: only identifiers written in this module are formatted in; values are bound parameters.
    return f"""
        WITH samples AS ({samples_sql}),
        ranked AS (
            SELECT {groups}, value,
                   ROW_NUMBER() OVER (PARTITION BY {groups} ORDER BY value) AS rank_in_group,
                   COUNT(*) OVER (PARTITION BY {groups}) AS group_size
            FROM samples
        )
        SELECT {groups}, AVG(value) AS median, MAX(group_size) AS n
        FROM ranked
        WHERE rank_in_group IN ((group_size + 1) / 2, (group_size + 2) / 2)
        GROUP BY {groups}
    """  # nosec B608


def _run(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def median_days_to_fill() -> list[tuple[int, float, int]]:
    """Per pillar: (pillar id, median days from a role opening to each placement on it, placements counted)."""
    placement, submission, role = Placement._meta.db_table, Submission._meta.db_table, Role._meta.db_table
    samples = f"""
        SELECT r.pillar_id AS pillar_id, {_date_days_between("r.opened_on", "p.created_at")} AS value
        FROM {placement} p
        JOIN {submission} s ON s.id = p.submission_id
        JOIN {role} r ON r.id = s.role_id
        WHERE r.opened_on IS NOT NULL
    """  # nosec B608
    sql = _median_sql(samples, ["pillar_id"])
    return [(pillar_id, float(median), n) for pillar_id, median, n in _run(sql, [])]


def median_days_in_stage() -> list[tuple[int, str, float, int]]:
    """Per pillar and open stage: (pillar id, stage, median days spent there before moving on, stays counted).

    A stay is the time from entering a stage to the next stage change; stays still running are left out,
    so the figure describes how long stages take, not how old the current pipeline is.
    """
    change, submission, role = StageChange._meta.db_table, Submission._meta.db_table, Role._meta.db_table
    placeholders = ", ".join(["%s"] * len(OPEN_STAGES))
    samples = f"""
        SELECT pillar_id, stage, {_days_between("entered_at", "left_at")} AS value
        FROM (
            SELECT r.pillar_id AS pillar_id, c.to_stage AS stage, c.changed_at AS entered_at,
                   LEAD(c.changed_at) OVER (PARTITION BY c.submission_id ORDER BY c.changed_at, c.id) AS left_at
            FROM {change} c
            JOIN {submission} s ON s.id = c.submission_id
            JOIN {role} r ON r.id = s.role_id
        ) stays
        WHERE left_at IS NOT NULL AND stage IN ({placeholders})
    """  # nosec B608
    sql = _median_sql(samples, ["pillar_id", "stage"])
    rows = _run(sql, [str(stage) for stage in OPEN_STAGES])
    return [(pillar_id, stage, float(median), n) for pillar_id, stage, median, n in rows]


# ---- "My day": the recruiter's headline figures and lists ----------------------------------------


@dataclass
class QuarterFigures:
    placements: int = 0
    fees: dict[str, Decimal] = field(default_factory=dict)  # per currency, net of rebates


@dataclass
class MyDay:
    open_roles: int
    people_in_play: int
    submitted_this_week: int
    interviews_this_week: int
    this_quarter: QuarterFigures
    last_quarter: QuarterFigures
    quiet_roles: list[Role]
    guarantees_ending: list[Placement]
    rejections_by_reason: list[tuple[str, int]]


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


QUIET_DAYS = 7
GUARANTEE_HORIZON_DAYS = 14
REJECTIONS_SINCE_DAYS = 90


def my_day(*, owner=None, today: datetime.date | None = None) -> MyDay:
    """The "My day" figures for one recruiter (`owner`), or for everyone (None), in a fixed nine queries.

    Weeks start on Monday and quarters on the first of January, April, July and October, in TIME_ZONE.
    Fees are net of rebates, per currency, counted on the day the placement was made.
    """
    today = today or timezone.localdate()
    week_start = _local_midnight(today - datetime.timedelta(days=today.weekday()))
    this_quarter = quarter_start(today)
    last_quarter = quarter_start(this_quarter - datetime.timedelta(days=1))
    mine = Q(owner=owner) if owner is not None else Q()
    submission_mine = Q(submission__owner=owner) if owner is not None else Q()

    roles = Role.objects.filter(mine, status=RoleStatus.OPEN)
    open_roles = roles.count()
    people_in_play = Submission.objects.filter(mine, stage__in=OPEN_STAGES).values("candidate_id").distinct().count()
    moves = StageChange.objects.filter(submission_mine, changed_at__gte=week_start).aggregate(
        submitted=Count("id", filter=Q(to_stage=Stage.SUBMITTED)),
        interviews=Count("id", filter=Q(to_stage=Stage.INTERVIEW)),
    )
    money: DecimalField = DecimalField(max_digits=14, decimal_places=2)
    quarters = {this_quarter: QuarterFigures(), last_quarter: QuarterFigures()}
    placed = (
        Placement.objects.filter(submission_mine, created_at__gte=_local_midnight(last_quarter))
        .annotate(is_this=Case(When(created_at__gte=_local_midnight(this_quarter), then=True), default=False))
        .values("is_this", "currency")
        .annotate(
            n=Count("id"),
            net=Sum(
                F("fee_amount") - Coalesce("rebate_amount", Value(Decimal("0")), output_field=money), output_field=money
            ),
        )
        .order_by()
    )
    for row in placed:
        figures = quarters[this_quarter if row["is_this"] else last_quarter]
        figures.placements += row["n"]
        figures.fees[row["currency"]] = figures.fees.get(row["currency"], Decimal("0")) + (row["net"] or 0)

    since = timezone.now() - datetime.timedelta(days=QUIET_DAYS)
    recent_activity = Activity.objects.filter(
        Q(role=OuterRef("pk")) | Q(submission__role=OuterRef("pk")), occurred_at__gte=since
    )
    recent_move = StageChange.objects.filter(submission__role=OuterRef("pk"), changed_at__gte=since)
    quiet_roles = list(
        roles.filter(~Exists(recent_activity), ~Exists(recent_move))
        .select_related("client")
        .order_by("opened_on", "id")[:10]
    )
    guarantees_ending = list(
        Placement.objects.filter(
            submission_mine,
            status__in=[PlacementStatus.PENDING_START, PlacementStatus.STARTED],
            guarantee_ends_on__gte=today,
            guarantee_ends_on__lte=today + datetime.timedelta(days=GUARANTEE_HORIZON_DAYS),
        )
        .select_related("submission__candidate", "submission__role__client")
        .order_by("guarantee_ends_on", "id")[:10]
    )
    rejected = (
        Submission.objects.filter(
            mine,
            stage=Stage.REJECTED,
            stage_changed_at__gte=timezone.now() - datetime.timedelta(days=REJECTIONS_SINCE_DAYS),
        )
        .values("rejection_reason__label")
        .annotate(n=Count("id"))
        .order_by("-n", "rejection_reason__label")
    )
    return MyDay(
        open_roles=open_roles,
        people_in_play=people_in_play,
        submitted_this_week=moves["submitted"],
        interviews_this_week=moves["interviews"],
        this_quarter=quarters[this_quarter],
        last_quarter=quarters[last_quarter],
        quiet_roles=quiet_roles,
        guarantees_ending=guarantees_ending,
        rejections_by_reason=[(row["rejection_reason__label"] or "No coded reason", row["n"]) for row in rejected],
    )
