"""Realistic demo data: clients in the seed's industries, roles in every pillar, candidates, pipelines, placements.

Deterministic for a given --seed, and built with bulk inserts so 100,000 candidates take minutes, not hours.
"""

import datetime
import random
import time
from collections.abc import Iterator
from decimal import Decimal
from itertools import combinations

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from candidates.models import (
    Candidate,
    CandidateCvText,
    CandidateSkill,
    CandidateStatus,
    Consent,
    ConsentMethod,
    ConsentPurpose,
    Source,
)
from clients.models import Client, ClientStatus, CompanySize, Contact, Industry
from leads.models import Enquiry, Intake
from messaging.models import FollowUp, FollowUpRule, Message, MessageStatus, RuleKey
from pipelines import fees
from pipelines.models import (
    OPEN_STAGES,
    STAGE_ORDER,
    Activity,
    ActivityKind,
    Placement,
    PlacementStatus,
    RejectionReason,
    Stage,
    StageChange,
    Submission,
)
from privacy.models import RenewalRequest
from roles.models import (
    EmploymentType,
    FeeType,
    PartnerVisibility,
    Pillar,
    RemotePolicy,
    Role,
    RoleStatus,
    Seniority,
)
from sonitec.models import User
from sonitec.normalise import email_identity, phone_key

FIRST_NAMES = [
    "Amara",
    "Ben",
    "Chen",
    "Dana",
    "Elif",
    "Farah",
    "Gareth",
    "Hana",
    "Ivan",
    "Jia",
    "Kofi",
    "Lena",
    "Mateo",
    "Nadia",
    "Owen",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tomasz",
    "Uma",
    "Viktor",
    "Wen",
    "Yusuf",
    "Zara",
    "Aisha",
    "Bruno",
    "Carmen",
    "Daniel",
    "Emma",
    "Felix",
    "Grace",
    "Hugo",
    "Isla",
    "James",
    "Kenji",
    "Laura",
    "Marek",
    "Nina",
    "Oscar",
    "Paula",
    "Rahul",
    "Sofia",
    "Theo",
    "Ana",
    "Wei",
    "Yara",
    "Luca",
    "Maya",
    "Noah",
]
LAST_NAMES = [
    "Adeyemi",
    "Brennan",
    "Costa",
    "Dubois",
    "Evans",
    "Fischer",
    "Garcia",
    "Hughes",
    "Iqbal",
    "Jensen",
    "Khan",
    "Larsen",
    "Morgan",
    "Nakamura",
    "O'Neill",
    "Patel",
    "Quigley",
    "Rossi",
    "Schmidt",
    "Thompson",
    "Varga",
    "Walsh",
    "Xu",
    "Young",
    "Ahmed",
    "Baker",
    "Clarke",
    "Davies",
    "Edwards",
    "Fernandez",
    "Green",
    "Hall",
    "Ito",
    "Kowalski",
    "Lopez",
    "Mensah",
    "Novak",
    "Okoye",
    "Petrov",
    "Reid",
    "Silva",
    "Taylor",
    "Ueda",
    "Weber",
    "Yilmaz",
    "Zhou",
    "Murphy",
    "Singh",
]
COMPANY_WORDS = [
    "Apex",
    "Blue",
    "Cobalt",
    "Delta",
    "Ember",
    "Forge",
    "Granite",
    "Helix",
    "Iron",
    "Juno",
    "Kestrel",
    "Lumen",
    "Meridian",
    "Nova",
    "Orbit",
    "Pioneer",
    "Quantum",
    "Radiant",
    "Sable",
    "Titan",
    "Vector",
    "Zenith",
]
COMPANY_SUFFIXES = ["Robotics", "Autonomy", "Systems", "Dynamics", "Labs", "Analytics", "Defence", "Industries"]
CITIES = ["London", "Manchester", "Cambridge", "Bristol", "Edinburgh", "Leeds", "Oxford", "Belfast", "Remote (UK)"]
TITLES = {
    "data-engineer": ["Data Engineer", "Senior Data Engineer", "Data Platform Engineer", "Analytics Engineer"],
    "ml-engineer": ["ML Engineer", "Senior ML Engineer", "Applied ML Engineer", "ML Platform Engineer"],
    "mlops-engineer": ["MLOps Engineer", "Senior MLOps Engineer", "ML Infrastructure Engineer"],
    "embedded-ai-engineer": ["Embedded AI Engineer", "Edge ML Engineer", "Perception Engineer (Embedded)"],
    "ai-security-engineer": ["AI Security Engineer", "ML Red Team Engineer", "AI Governance Engineer"],
    "ai-ml-leader": ["Head of AI", "VP Engineering (AI)", "Technical Director, ML", "ML Engineering Manager"],
}
INDUSTRIES = [
    Industry.ROBOTICS,
    Industry.AUTONOMOUS,
    Industry.MANUFACTURING,
    Industry.DEFENCE,
    Industry.FINANCE,
    Industry.HEALTHCARE,
    Industry.SOFTWARE,
    Industry.ENERGY,
]
SALARY_BANDS = {
    Seniority.JUNIOR: (45000, 60000),
    Seniority.MID: (60000, 80000),
    Seniority.SENIOR: (80000, 110000),
    Seniority.LEAD: (100000, 130000),
    Seniority.PRINCIPAL: (120000, 160000),
    Seniority.EXECUTIVE: (150000, 220000),
}
BATCH = 2000
# From this many candidates on, PostgreSQL loads them with COPY and rebuilds the search indexes afterwards.
COPY_FROM = 5000
CV_SHARE = 0.15  # the share of candidates with CV text
CV_SENTENCES = [
    "Built {skill} pipelines for a {industry} company at {company}.",
    "Led a team of {n} engineers shipping {skill} models to production.",
    "Cut inference latency by {n}0% with {skill} on edge hardware.",
    "Designed monitoring and drift detection for {n} models in {industry}.",
    "Migrated batch jobs to {skill}, saving {n}00k a year.",
    "Mentored juniors and ran hiring loops for the {pillar} team.",
    "Wrote the data quality checks and lineage for {skill} workloads.",
    "Presented work on {skill} at a {industry} conference.",
    "Owned the roadmap for {skill} adoption across {n} product teams.",
    "Red-teamed {skill} systems against adversarial attacks.",
]
# The planted candidate and role: a person to find by a misspelt name, a skill, a CV phrase and filters, and
# the role she fits best (docs/search.md walks through them).
PLANTED_EMAIL = "lena.usman@planted.example"
PLANTED_CV = (
    "Embedded AI engineer. Led edge inference on autonomous drones for a defence prime, quantising vision "
    "models with TensorRT and ONNX Runtime on Jetson boards; TinyML keyword spotting on Cortex-M parts."
)


SKILL_LEVELS = ["working", "advanced", "expert"]
NOTICE_DAYS = [0, 30, 30, 60, 90]
RIGHT_TO_WORK = ["yes", "yes", "yes", "unknown", "sponsorship"]
CLEARANCES = ["none", "none", "none", "bpss", "sc", "dv"]
# The bulk load's columns (see _copy_candidates).
SEED_COLUMNS = (
    "id, name, email, phone, location, linkedin_url, github_url, primary_pillar_id, seniority, current_title, "
    "current_company, notice_period_days, available_from, currency, desired_salary, right_to_work, "
    "security_clearance, remote_preference, source, owner_id, status, cv, cv_original_name, notes, "
    "last_activity_at, created_at, updated_at, email_key, phone_key, linkedin_key, github_key"
)
SEED_EXTRA_COLUMNS = "skill_ids, skill_names, skill_years, skill_levels, cv_text"
LOADED_TABLES = [
    "candidates_candidate",
    "candidates_candidateskill",
    "candidates_candidatecvtext",
    "candidates_consent",
]
SENIORITIES = list(Seniority.values)
REMOTE_POLICIES = list(RemotePolicy.values)
SOURCES = [Source.JOB_BOARD, Source.SOURCED, Source.REFERRAL, Source.DIRECT]
STATUSES = [CandidateStatus.ACTIVE] * 6 + [CandidateStatus.PASSIVE] * 3 + [CandidateStatus.DO_NOT_CONTACT]


def timedelta_text(seconds: float) -> str:
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"


class Command(BaseCommand):
    help = "Create realistic demo data (clients, roles, candidates, pipelines, placements)."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=12)
        parser.add_argument("--roles", type=int, default=30)
        parser.add_argument("--candidates", type=int, default=300)
        parser.add_argument(
            "--submissions", type=int, default=None, help="Default: about one per candidate, at most 50,000."
        )
        parser.add_argument("--seed", type=int, default=2026, help="The same seed gives the same data.")

    def handle(self, *args, **options):
        rng = random.Random(options["seed"])
        pillars = list(Pillar.objects.prefetch_related("skills"))
        if not pillars:
            self.stderr.write("No pillars: run migrate first.")
            return
        submissions = options["submissions"]
        if submissions is None:
            submissions = min(options["candidates"], 50_000)
        progress = options["verbosity"] > 0
        started = time.monotonic()
        with transaction.atomic():
            recruiters = self._recruiters()
            clients = self._clients(rng, options["clients"], recruiters)
            roles = self._roles(rng, options["roles"], clients, pillars, recruiters)
            planted = self._plant(roles, clients, recruiters) if options["candidates"] > 0 else []
            count = options["candidates"] - len(planted)
            if connection.vendor == "postgresql" and count >= COPY_FROM:
                candidate_ids = self._copy_candidates(rng, count, pillars, recruiters, progress)
            else:
                candidate_ids = self._candidates(rng, count, pillars, recruiters, progress)
            candidate_ids = [*planted, *candidate_ids]
            self._submissions(rng, submissions, roles, candidate_ids, recruiters, progress)
            quiet = self._quiet_people(candidate_ids)
            self._workspace(rng, recruiters, roles)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: {len(clients)} clients, {len(roles)} roles, {len(candidate_ids)} candidates, "
                f"{submissions} submissions, {quiet} people not heard from for over two years, "
                f"in {timedelta_text(time.monotonic() - started)}."
            )
        )

    def _quiet_people(self, candidate_ids: list[int]) -> int:
        """Some people not heard from for over two years, so the retention rules have someone to act on: every
        twentieth candidate without submissions; a third of them were already asked to renew 45 days ago."""
        if not candidate_ids:
            return 0
        now = timezone.now()
        quiet = list(
            Candidate.objects.filter(pk__gte=min(candidate_ids), submissions__isnull=True)
            .exclude(email=PLANTED_EMAIL)  # the planted fit stays recently active
            .order_by("pk")
            .values_list("pk", flat=True)
        )[::20]
        # One UPDATE per distinct date rather than per person: tens of thousands of people at a million.
        by_age: dict[int, list[int]] = {}
        for number, pk in enumerate(quiet):
            by_age.setdefault(760 + (number * 37) % 300, []).append(pk)
        for days, pks in by_age.items():
            when = now - datetime.timedelta(days=days)
            Candidate.objects.filter(pk__in=pks).update(last_activity_at=when, created_at=when)
            Consent.objects.filter(candidate_id__in=pks).update(given_at=when)
        RenewalRequest.objects.bulk_create(
            RenewalRequest(candidate_id=pk, sent_at=now - datetime.timedelta(days=45)) for pk in quiet[::3]
        )
        return len(quiet)

    def _recruiters(self) -> list[User]:
        recruiters = []
        for username, first, last in [("alex", "Alex", "Reed"), ("sam", "Sam", "Okafor"), ("jo", "Jo", "Lindqvist")]:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "is_staff": True,
                    "email": f"{username}@sonitec.example",
                },
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            recruiters.append(user)
        return recruiters

    def _clients(self, rng, count, recruiters) -> list[Client]:
        clients = []
        for index in range(count):
            name = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_SUFFIXES)}"
            slug = name.lower().replace(" ", "") + str(index)
            client = Client.objects.create(
                name=name,
                website=f"https://www.{slug}.example",
                industry=INDUSTRIES[index % len(INDUSTRIES)],
                size=rng.choice(CompanySize.values),
                location=rng.choice(CITIES),
                status=rng.choice([ClientStatus.ACTIVE] * 3 + [ClientStatus.PROSPECT, ClientStatus.LEAD]),
                account_owner=rng.choice(recruiters),
                default_fee_percent=Decimal(rng.choice([18, 20, 22, 25])),
                default_guarantee_days=rng.choice([60, 90, 90, 120]),
            )
            for position in range(2):
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                Contact.objects.create(
                    client=client,
                    name=f"{first} {last}",
                    email=f"{first}.{last}@{slug}.example".lower(),
                    job_title=["Head of Data", "CTO", "Talent Partner", "VP Engineering"][(index + position) % 4],
                    is_primary=position == 0,
                )
            clients.append(client)
        return clients

    def _roles(self, rng, count, clients, pillars, recruiters) -> list[Role]:
        roles = []
        for index in range(count):
            pillar = pillars[index % len(pillars)]
            seniority = (
                Seniority.EXECUTIVE
                if pillar.slug == "ai-ml-leader"
                else rng.choice([Seniority.MID, Seniority.SENIOR, Seniority.SENIOR, Seniority.LEAD])
            )
            low, high = SALARY_BANDS[seniority]
            contract = rng.random() < 0.2
            status = rng.choice([RoleStatus.OPEN] * 6 + [RoleStatus.DRAFT, RoleStatus.ON_HOLD])
            role = Role.objects.create(
                client=rng.choice(clients),
                pillar=pillar,
                title=rng.choice(TITLES[pillar.slug]),
                description=f"{pillar.summary}\n\nYou will own: {pillar.owns}",
                seniority=seniority,
                employment_type=EmploymentType.CONTRACT if contract else EmploymentType.PERMANENT,
                location=rng.choice(CITIES),
                remote_policy=rng.choice(RemotePolicy.values),
                salary_min=None if contract else Decimal(low),
                salary_max=None if contract else Decimal(high),
                day_rate_min=Decimal(rng.choice([500, 600, 700])) if contract else None,
                day_rate_max=Decimal(rng.choice([800, 900, 1000])) if contract else None,
                headcount=rng.choice([1, 1, 1, 2, 3]),
                status=status,
                owner=rng.choice(recruiters),
                opened_on=timezone.localdate() - datetime.timedelta(days=rng.randint(5, 300)),
                fee_type=FeeType.FLAT if contract else FeeType.PERCENT,
                flat_fee=Decimal(rng.choice([8000, 10000, 12000])) if contract else None,
                fee_percent=None if contract or rng.random() < 0.5 else Decimal(rng.choice([20, 22, 25])),
                published_on_job_board=status == RoleStatus.OPEN,
                # Most open roles are shared with every partner, so a new partner's key lists roles at once.
                partner_visibility=PartnerVisibility.ALL
                if status == RoleStatus.OPEN and rng.random() < 0.7
                else PartnerVisibility.NONE,
            )
            skills = list(pillar.skills.all())
            role.required_skills.set(rng.sample(skills, k=min(3, len(skills))))
            roles.append(role)
        return roles

    def _candidates(self, rng, count, pillars, recruiters, progress) -> list[int]:
        start = Candidate.objects.count()
        bar = tqdm(total=count, desc="candidates", unit="", disable=not progress, file=self.stderr)
        skills_by_pillar = {pillar.pk: list(pillar.skills.all()) for pillar in pillars}
        now = timezone.now()
        ids: list[int] = []
        for batch_start in range(0, count, BATCH):
            batch = []
            for number in range(start + batch_start, start + min(batch_start + BATCH, count)):
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                pillar = rng.choice(pillars)
                batch.append(
                    Candidate(
                        name=f"{first} {last}",
                        email=f"{first}.{last}.{number}@mail.example".lower().replace("'", ""),
                        phone=f"+4477{number:08d}"[:13],
                        location=rng.choice(CITIES),
                        primary_pillar=pillar,
                        seniority=rng.choice(Seniority.values),
                        current_title=rng.choice(TITLES[pillar.slug]),
                        current_company=f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_SUFFIXES)}",
                        notice_period_days=rng.choice([0, 30, 30, 60, 90]),
                        available_from=timezone.localdate() + datetime.timedelta(days=rng.randint(-30, 120)),
                        desired_salary=Decimal(rng.randrange(50000, 180000, 5000)),
                        remote_preference=rng.choice(RemotePolicy.values),
                        source=rng.choice([Source.JOB_BOARD, Source.SOURCED, Source.REFERRAL, Source.DIRECT]),
                        owner=rng.choice(recruiters),
                        status=rng.choice(
                            [CandidateStatus.ACTIVE] * 6
                            + [CandidateStatus.PASSIVE] * 3
                            + [CandidateStatus.DO_NOT_CONTACT]
                        ),
                        last_activity_at=now - datetime.timedelta(days=rng.randint(0, 400)),
                    )
                )
            for candidate in batch:
                candidate.set_match_keys()  # bulk_create skips save(), where the duplicate keys are kept
            created = Candidate.objects.bulk_create(batch)
            skills, consents = [], []
            for candidate in created:
                pool = skills_by_pillar[candidate.primary_pillar_id]
                for skill in rng.sample(pool, k=min(len(pool), rng.randint(2, 4))):
                    skills.append(
                        CandidateSkill(
                            candidate=candidate,
                            skill=skill,
                            years=Decimal(rng.randint(1, 12)),
                            level=rng.choice(["working", "advanced", "expert"]),
                        )
                    )
                consents.append(
                    Consent(
                        candidate=candidate,
                        purpose=ConsentPurpose.DATA_PROCESSING,
                        method=ConsentMethod.WEB_FORM,
                        notice_version="2026-01",
                        given_at=candidate.last_activity_at or now,
                    )
                )
            CandidateSkill.objects.bulk_create(skills)
            Consent.objects.bulk_create(consents)
            CandidateCvText.objects.bulk_create(
                [
                    CandidateCvText(
                        candidate=candidate, cv_name="demo", text=self._cv_text(rng, candidate.current_company)
                    )
                    for candidate in created
                    if rng.random() < CV_SHARE
                ]
            )
            ids.extend(candidate.pk for candidate in created)
            bar.update(len(created))
        bar.close()
        return ids

    @staticmethod
    def _cv_text(rng, company: str, skills: list[str] | None = None, pillar: str = "ML") -> str:
        skills = skills or ["PyTorch", "Spark", "Kubernetes"]
        sentences = rng.sample(CV_SENTENCES, k=3)
        return " ".join(
            sentence.format(
                skill=rng.choice(skills),
                industry=rng.choice(["robotics", "defence", "manufacturing", "fintech", "healthcare", "energy"]),
                company=company or "a start-up",
                n=rng.randint(2, 9),
                pillar=pillar,
            )
            for sentence in sentences
        )

    def _plant(self, roles, clients, recruiters) -> list[int]:
        """Lena Usman, a strong fit for a planted Bristol embedded AI role; replaces one random candidate."""
        embedded = Pillar.objects.get(slug="embedded-ai-engineer")
        skills = {skill.slug: skill for skill in embedded.skills.all()}
        if Candidate.objects.filter(email=PLANTED_EMAIL).exists():
            return []
        now = timezone.now()
        lena = Candidate.objects.create(
            name="Lena Usman",
            email=PLANTED_EMAIL,
            location="Bristol",
            primary_pillar=embedded,
            seniority=Seniority.SENIOR,
            current_title="Senior Embedded AI Engineer",
            current_company="Kestrel Autonomy",
            notice_period_days=30,
            available_from=datetime.date.today() + datetime.timedelta(days=14),
            desired_salary=Decimal(95000),
            right_to_work="yes",
            security_clearance="sc",
            remote_preference=RemotePolicy.HYBRID,
            owner=recruiters[0],
            last_activity_at=now,
        )
        for slug, level, years in [
            ("onnx", "expert", 6),
            ("tensorrt", "advanced", 4),
            ("tinyml", "advanced", 3),
            ("hardware-integration", "working", 5),
        ]:
            if slug in skills:
                CandidateSkill.objects.create(candidate=lena, skill=skills[slug], level=level, years=Decimal(years))
        CandidateCvText.objects.create(candidate=lena, cv_name="demo", text=PLANTED_CV)
        Consent.objects.create(
            candidate=lena, purpose=ConsentPurpose.DATA_PROCESSING, method=ConsentMethod.EMAIL, notice_version="2026-01"
        )
        if roles:
            role = roles[-1]
            role.pillar, role.title, role.location, role.seniority = (
                embedded,
                "Senior Embedded AI Engineer",
                "Bristol",
                Seniority.SENIOR,
            )
            role.security_clearance, role.currency = "sc", "GBP"
            role.employment_type, role.fee_type, role.flat_fee = EmploymentType.PERMANENT, FeeType.PERCENT, None
            role.salary_min, role.salary_max, role.day_rate_min, role.day_rate_max = (
                Decimal(85000),
                Decimal(100000),
                None,
                None,
            )
            role.target_date = datetime.date.today() + datetime.timedelta(days=30)
            role.description = "Put vision models on drones: ONNX, TensorRT and TinyML on real-time hardware."
            role.save()
            role.required_skills.set([skills[slug] for slug in ("onnx", "tensorrt", "tinyml") if slug in skills])
            role.nice_to_have_skills.set([skills[slug] for slug in ("hardware-integration",) if slug in skills])
        return [lena.pk]

    def _copy_candidates(self, rng, count, pillars, recruiters, progress) -> list[int]:
        """PostgreSQL: a million candidates with skills, consents and CV text in a few minutes.

        One pass of generated rows is copied into a temporary table, then set-based statements write the
        candidates (search document, skill ids and name words from the same SQL functions the triggers use), their
        skills, CV text and consents. Generated rows need no per-row foreign-key checks or triggers, so
        `session_replication_role = replica` turns both off for the load; the loaded tables' indexes that
        no constraint needs are dropped and built once at the end, far faster than millions of index inserts.
        """
        table = Candidate._meta.db_table
        skills_by_pillar = {pillar.pk: sorted(pillar.skills.all(), key=lambda skill: skill.pk) for pillar in pillars}
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT nextval(%s)", [sequence])
            first = cursor.fetchone()[0]
            cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
            # Indexes not behind a constraint (primary keys and unique constraints stay).
            cursor.execute(
                """SELECT indexname, indexdef FROM pg_indexes
                    WHERE tablename = ANY(%s)
                      AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexname::regclass)""",
                [LOADED_TABLES],
            )
            indexes = cursor.fetchall()
            # Tables cannot be altered while foreign-key checks are pending: run the checks so far now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute("SET LOCAL session_replication_role = replica")
            for name, _ in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            cursor.execute(
                f"""CREATE TEMPORARY TABLE seed_candidates (LIKE {table}, skill_names text, skill_years int[],
                    skill_levels text[], cv_text text) ON COMMIT DROP"""
            )
            bar = tqdm(total=count, desc="candidates", unit="", disable=not progress, file=self.stderr)
            with cursor.copy(f"COPY seed_candidates ({SEED_COLUMNS}, {SEED_EXTRA_COLUMNS}) FROM STDIN") as copy:
                for row in self._candidate_rows(rng, first, count, pillars, skills_by_pillar, recruiters):
                    copy.write_row(row)
                    if row[0] % 10000 == 0:
                        bar.update(10000)
            bar.update(count - bar.n)
            bar.close()
            self.stderr.write("Writing candidates, skills, CV text and consents …")
            seed_columns = ", ".join(f"c.{column.strip()}" for column in SEED_COLUMNS.split(","))
            cursor.execute(
                f"""INSERT INTO {table} ({SEED_COLUMNS}, skill_ids, search_document)
                    SELECT {seed_columns}, c.skill_ids,
                           candidate_search_document_of(c.name, c.current_title, c.skill_names, pillar.name,
                                                        c.current_company, c.location, c.notes, c.cv_text)
                      FROM seed_candidates c LEFT JOIN roles_pillar pillar ON pillar.id = c.primary_pillar_id"""  # nosec B608
            )
            cursor.execute(
                """INSERT INTO candidate_name_word (word)
                   SELECT DISTINCT candidate_name_words(name) FROM (SELECT DISTINCT name FROM seed_candidates) names
                   ON CONFLICT DO NOTHING"""
            )
            cursor.execute(
                """INSERT INTO candidates_candidateskill (candidate_id, skill_id, years, level)
                   SELECT c.id, s.skill_id, s.years, s.level
                     FROM seed_candidates c,
                          unnest(c.skill_ids, c.skill_years, c.skill_levels) AS s(skill_id, years, level)"""
            )
            cursor.execute(
                """INSERT INTO candidates_candidatecvtext (candidate_id, cv_name, text, truncated, error, extracted_at)
                   SELECT id, 'demo', cv_text, false, '', created_at FROM seed_candidates WHERE cv_text IS NOT NULL"""
            )
            cursor.execute(
                """INSERT INTO candidates_consent (candidate_id, purpose, method, notice_version, given_at, note)
                   SELECT id, %s, %s, '2026-01', created_at, '' FROM seed_candidates""",
                [ConsentPurpose.DATA_PROCESSING, ConsentMethod.WEB_FORM],
            )
            cursor.execute("SET LOCAL session_replication_role = origin")
            self.stderr.write(f"Building {len(indexes)} indexes …")
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for _, definition in indexes:
                cursor.execute(definition)
            for analysed in LOADED_TABLES:
                cursor.execute(f"ANALYZE {analysed}")
        return list(range(first, first + count))

    def _candidate_rows(self, rng, first, count, pillars, skills_by_pillar, recruiters) -> Iterator[tuple]:
        """The generated candidates, in SEED_COLUMNS + SEED_EXTRA_COLUMNS order (no queries: a COPY is running).

        Hot loop of a million turns: picks index lists with random() (several times cheaper than choice()), and
        each pillar's skill sets of two to four are listed once, with their ids and names.
        """
        now = timezone.now()
        today = datetime.date.today()
        random_ = rng.random

        def pick(sequence):
            return sequence[int(random_() * len(sequence))]

        owners = [recruiter.pk for recruiter in recruiters]
        pillar_rows = []
        for pillar in pillars:
            pool = skills_by_pillar[pillar.pk]
            sets_by_size = [
                [([s.pk for s in held], [s.name for s in held]) for held in combinations(pool, size)]
                for size in range(2, min(4, len(pool)) + 1)
            ] or [[([], [])]]
            pillar_rows.append((pillar.pk, pillar.name, TITLES[pillar.slug], sets_by_size))
        activity = [now - datetime.timedelta(days=day) for day in range(401)]
        available = [today + datetime.timedelta(days=day) for day in range(-30, 121)]
        salaries = list(range(50000, 185000, 5000))
        for candidate_id in range(first, first + count):
            first_name, last_name = pick(FIRST_NAMES), pick(LAST_NAMES)
            pillar_id, pillar_name, titles, sets_by_size = pick(pillar_rows)
            skill_ids, skill_names = pick(pick(sets_by_size))
            company = f"{pick(COMPANY_WORDS)} {pick(COMPANY_SUFFIXES)}"
            email = f"{first_name}.{last_name}.{candidate_id}@mail.example".lower().replace("'", "")
            phone = f"+4477{candidate_id:08d}"[:13]
            created = pick(activity) - datetime.timedelta(seconds=int(random_() * 86400))
            cv_text = None
            if random_() < CV_SHARE:
                cv_text = self._cv_text(rng, company, skill_names, pillar_name)
            yield (
                candidate_id,
                f"{first_name} {last_name}",
                email,
                phone,
                pick(CITIES),
                "",
                "",
                pillar_id,
                pick(SENIORITIES),
                pick(titles),
                company,
                pick(NOTICE_DAYS),
                pick(available),
                "GBP",
                pick(salaries),
                pick(RIGHT_TO_WORK),
                pick(CLEARANCES),
                pick(REMOTE_POLICIES),
                pick(SOURCES),
                pick(owners),
                pick(STATUSES),
                "",
                "",
                "",
                created,
                created,
                now,
                email_identity(email),  # the duplicate rules' comparable keys, as the service writes them
                phone_key(phone),
                "",
                "",
                skill_ids,
                " ".join(skill_names),
                [1 + int(random_() * 12) for _ in skill_ids],
                [pick(SKILL_LEVELS) for _ in skill_ids],
                cv_text,
            )

    def _submissions(self, rng, count, roles, candidate_ids, recruiters, progress) -> None:
        if not roles or not candidate_ids:
            return
        pairs: list[tuple[int, Role]] = []
        seen = set(Submission.objects.values_list("candidate_id", "role_id"))
        attempts = 0
        while len(pairs) < count and attempts < count * 5:
            attempts += 1
            pair = (rng.choice(candidate_ids), rng.choice(roles))
            if (pair[0], pair[1].pk) not in seen:
                seen.add((pair[0], pair[1].pk))
                pairs.append(pair)
        # Most submissions stop early in the funnel; a few reach placed. Every stage appears.
        weights = {
            Stage.SOURCED: 30,
            Stage.SCREENED: 20,
            Stage.SHORTLISTED: 12,
            Stage.SUBMITTED: 10,
            Stage.INTERVIEW: 8,
            Stage.OFFER: 3,
            Stage.PLACED: 2,
            Stage.REJECTED: 12,
            Stage.WITHDRAWN: 3,
        }
        stages, stage_weights = list(weights), list(weights.values())
        reasons = list(RejectionReason.objects.filter(is_active=True))
        placed_per_role: dict[int, int] = {}
        bar = tqdm(total=len(pairs), desc="submissions", unit="", disable=not progress, file=self.stderr)
        now = timezone.now()
        for batch_start in range(0, len(pairs), BATCH):
            chunk = pairs[batch_start : batch_start + BATCH]
            plans = []
            for index, (candidate_id, role) in enumerate(chunk):
                stage = (
                    stages[(batch_start + index) % len(stages)]
                    if batch_start + index < len(stages)
                    else rng.choices(stages, stage_weights)[0]
                )
                if stage == Stage.PLACED and placed_per_role.get(role.pk, 0) >= role.headcount:
                    stage = Stage.OFFER
                if stage == Stage.PLACED:
                    placed_per_role[role.pk] = placed_per_role.get(role.pk, 0) + 1
                path = self._path_to(rng, stage)
                # A pipeline starts after its role opened, so time-to-fill figures are never negative.
                days_open = max(0, min(360, (now.date() - role.opened_on).days)) if role.opened_on else 360
                started = now - datetime.timedelta(days=rng.randint(min(len(path) * 3, days_open), days_open))
                times = [started]
                for _ in path[1:]:
                    times.append(
                        min(now, times[-1] + datetime.timedelta(days=rng.randint(1, 12), hours=rng.randint(0, 23)))
                    )
                plans.append((candidate_id, role, path, times))
            created = Submission.objects.bulk_create(
                [
                    Submission(
                        candidate_id=candidate_id,
                        role=role,
                        stage=path[-1],
                        stage_changed_at=times[-1],
                        owner=role.owner or rng.choice(recruiters),
                        created_at=times[0],
                        exit_reason=reason.label
                        if path[-1] == Stage.REJECTED and reason
                        else ("Accepted another offer" if path[-1] == Stage.WITHDRAWN else ""),
                        rejection_reason=reason if path[-1] == Stage.REJECTED else None,
                    )
                    for (candidate_id, role, path, times), reason in zip(
                        plans, [rng.choice(reasons) if reasons else None for _ in plans], strict=True
                    )
                ]
            )
            changes, placements, consents = [], [], []
            for submission, (candidate_id, role, path, times) in zip(created, plans, strict=True):
                previous = ""
                for stage, when in zip(path, times, strict=True):
                    changes.append(
                        StageChange(
                            submission=submission,
                            from_stage=previous,
                            to_stage=stage,
                            changed_at=when,
                            changed_by=submission.owner,
                        )
                    )
                    if stage == Stage.SUBMITTED:
                        # Nobody reaches the client without consent to be represented, recorded just before.
                        consents.append(
                            Consent(
                                candidate_id=candidate_id,
                                purpose=ConsentPurpose.REPRESENTATION,
                                role=role,
                                method=ConsentMethod.PHONE,
                                given_at=when - datetime.timedelta(hours=2),
                                recorded_by=submission.owner,
                                note="Agreed on a call",
                            )
                        )
                    previous = stage
                if path[-1] == Stage.PLACED:
                    placements.append(self._placement(rng, submission, role, times[-1].date()))
            StageChange.objects.bulk_create(changes)
            Placement.objects.bulk_create(placements)
            Consent.objects.bulk_create(consents)
            bar.update(len(created))
        bar.close()
        # As placement_create does: a role filled at headcount closes and its open submissions await a decision.
        filled = [role.pk for role in roles if placed_per_role.get(role.pk, 0) >= role.headcount]
        Role.objects.filter(pk__in=filled).update(status=RoleStatus.FILLED, closed_on=timezone.localdate())
        Submission.objects.filter(role_id__in=filled, stage__in=OPEN_STAGES).update(needs_decision=True)

    def _workspace(self, rng, recruiters, roles) -> None:
        """What a recruiter's day starts from: new enquiries and intakes, calls and notes, follow-ups due today,
        and messages already sent."""
        now = timezone.now()
        topics = [Enquiry.Topic.HIRING, Enquiry.Topic.HIRING, Enquiry.Topic.OTHER]
        enquiries = [
            ("Priya Nair", "Fernhill Robotics", "We need two embedded ML engineers for our warehouse robots."),
            ("Tom Becker", "Aldgate Insurance", "Looking for an ML platform lead; can you help this quarter?"),
            ("Lena Fischer", "Nordlicht Energy", "Our data team is drowning in pipelines. Who should we hire first?"),
            ("Marcus Hale", "Cobalt Health", "We need an AI security review for our triage model."),
            ("Aisha Khan", "Brightwater Retail", "Do you recruit contractors for a three-month MLOps project?"),
        ]
        Enquiry.objects.bulk_create(
            Enquiry(
                name=name,
                email=f"{name.split()[0].lower()}@{company.split()[0].lower()}.example",
                company=company,
                topic=topics[i % len(topics)],
                message=text,
                consent_at=now - datetime.timedelta(hours=3 * i + 1),
                consent_notice_version="2026-01",
                created_at=now - datetime.timedelta(hours=3 * i + 1),
            )
            for i, (name, company, text) in enumerate(enquiries)
        )
        intakes = [
            ("Harbour Logistics", "harbourlogistics.example", Industry.MANUFACTURING, "Ella Morgan"),
            ("Quill Legal AI", "quill-legal.example", Industry.FINANCE, "David Osei"),
            ("Stratus Defence Systems", "stratus-defence.example", Industry.DEFENCE, "Grace Lin"),
        ]
        Intake.objects.bulk_create(
            Intake(
                company_name=company,
                website=f"https://{domain}",
                industry=industry,
                contact_name=contact,
                contact_email=f"{contact.split()[0].lower()}@{domain}",
                timeline="Within 3 months",
                needs_on_device=company.startswith("Stratus"),
                regulated_sector=company.startswith("Quill"),
                consent_at=now - datetime.timedelta(days=i + 1),
                consent_notice_version="2026-01",
                created_at=now - datetime.timedelta(days=i + 1),
            )
            for i, (company, domain, industry, contact) in enumerate(intakes)
        )
        open_submissions = list(
            Submission.objects.filter(stage__in=OPEN_STAGES).select_related("candidate", "role").order_by("id")[:60]
        )
        subjects = ["Screening call", "Discussed the role", "Left a voicemail", "Sent the job spec", "Salary check"]
        Activity.objects.bulk_create(
            Activity(
                kind=rng.choice([ActivityKind.CALL, ActivityKind.NOTE, ActivityKind.EMAIL]),
                subject=rng.choice(subjects),
                body="Logged in the demo data.",
                author=submission.owner,
                occurred_at=now - datetime.timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 8)),
                candidate=submission.candidate,
                submission=submission,
            )
            for submission in open_submissions
        )
        rules = {rule.key: rule for rule in FollowUpRule.objects.all()}
        rule = rules.get(RuleKey.SUBMITTED_NUDGE_OWNER) or next(iter(rules.values()), None)
        if rule is not None:
            due_today = timezone.localtime(now).replace(hour=9, minute=0, second=0, microsecond=0)
            FollowUp.objects.bulk_create(
                FollowUp(
                    rule=rule,
                    due_at=due_today + datetime.timedelta(hours=i % 8) + datetime.timedelta(days=i // 12),
                    dedupe_key=f"demo:{rule.key}:{submission.pk}",
                    submission=submission,
                    candidate=submission.candidate,
                    role=submission.role,
                )
                for i, submission in enumerate(open_submissions[:24])
            )
        Message.objects.bulk_create(
            Message(
                to_email=submission.candidate.email or "candidate@example.com",
                to_name=submission.candidate.name,
                subject=f"Your application for {submission.role.title}",
                body="Thank you for your interest; we will be in touch within a week.",
                status=MessageStatus.SENT,
                sent_at=now - datetime.timedelta(days=i + 1),
                candidate=submission.candidate,
                submission=submission,
                role=submission.role,
            )
            for i, submission in enumerate(open_submissions[:8])
        )

    @staticmethod
    def _path_to(rng, stage) -> list[str]:
        if stage in (Stage.REJECTED, Stage.WITHDRAWN):
            reached = STAGE_ORDER[: rng.randint(1, 5)]
            return [*reached, stage]
        return STAGE_ORDER[: STAGE_ORDER.index(stage) + 1]

    @staticmethod
    def _placement(rng, submission, role, placed_on) -> Placement:
        start = placed_on + datetime.timedelta(days=rng.choice([14, 30, 60]))
        # The same fee rules as a placement made in the admin (pipelines.fees), so demo figures match.
        terms = fees.fee_terms_for_role(role)
        flat = terms.fee_type == FeeType.FLAT
        salary = None if flat else (role.salary_max or Decimal(100000))
        fee = fees.fee_amount(terms=terms, agreed_salary=salary)
        today = timezone.localdate()
        guarantee_end = fees.guarantee_end(start_date=start, guarantee_days=terms.guarantee_days)
        status = (
            PlacementStatus.PENDING_START
            if start > today
            else PlacementStatus.GUARANTEE_PASSED
            if guarantee_end < today
            else PlacementStatus.STARTED
        )
        return Placement(
            submission=submission,
            start_date=start,
            currency=terms.currency,
            agreed_salary=salary,
            agreed_day_rate=role.day_rate_max if flat else None,
            fee_type=terms.fee_type,
            fee_percent=terms.fee_percent,
            fee_amount=fee,
            guarantee_days=terms.guarantee_days,
            guarantee_ends_on=guarantee_end,
            status=status,
            created_at=timezone.make_aware(datetime.datetime.combine(placed_on, datetime.time(12))),
        )
