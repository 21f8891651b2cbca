"""Realistic demo data: clients in the seed's industries, roles in every pillar, candidates, pipelines, placements.

Deterministic for a given --seed, and built with bulk inserts so 100,000 candidates take minutes, not hours.
"""

import datetime
import random
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from candidates.models import (
    Candidate,
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
    "Usman",
    "Varga",
    "Walsh",
    "Xu",
    "Young",
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


class Command(BaseCommand):
    help = "Create realistic demo data (clients, roles, candidates, pipelines, placements)."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=12)
        parser.add_argument("--roles", type=int, default=30)
        parser.add_argument("--candidates", type=int, default=300)
        parser.add_argument("--submissions", type=int, default=None, help="Default: about one per candidate.")
        parser.add_argument("--seed", type=int, default=2026, help="The same seed gives the same data.")

    def handle(self, *args, **options):
        rng = random.Random(options["seed"])
        pillars = list(Pillar.objects.prefetch_related("skills"))
        if not pillars:
            self.stderr.write("No pillars: run migrate first.")
            return
        submissions = options["submissions"]
        if submissions is None:
            submissions = options["candidates"]
        progress = options["verbosity"] > 0
        with transaction.atomic():
            recruiters = self._recruiters()
            clients = self._clients(rng, options["clients"], recruiters)
            roles = self._roles(rng, options["roles"], clients, pillars, recruiters)
            candidate_ids = self._candidates(rng, options["candidates"], pillars, recruiters, progress)
            self._submissions(rng, submissions, roles, candidate_ids, recruiters, progress)
            self._workspace(rng, recruiters, roles)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: {len(clients)} clients, {len(roles)} roles, {len(candidate_ids)} candidates, "
                f"{submissions} submissions."
            )
        )

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
            ids.extend(candidate.pk for candidate in created)
            bar.update(len(created))
        bar.close()
        return ids

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
