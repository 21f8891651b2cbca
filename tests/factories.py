"""Factories for every model. Related objects are created on demand, so `SubmissionFactory()` is enough."""

import datetime
from decimal import Decimal

import factory
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.models import Competency, Evidence, Interview, Scorecard
from candidates.models import (
    Candidate,
    CandidateCvText,
    CandidateDocument,
    CandidateDuplicate,
    CandidateSkill,
    Consent,
    ConsentMethod,
    ConsentPurpose,
)
from clients.models import Client, ClientDuplicate, Contact, ContactDuplicate, Industry
from imports.models import ExportRecord, ImportJob
from leads.models import Enquiry, Intake, IntakePillarNeed
from matching.models import MatchAddition, MatchRankingLog, SavedSearch, TalentPool, TalentPoolMember
from messaging.models import EmailTemplate, FollowUp, FollowUpDueToday, FollowUpRule, Message
from partners.models import ApiKey, Partner, WebhookDelivery, WebhookSubscription
from pipelines.models import Activity, Placement, RejectionReason, Stage, StageChange, Submission
from privacy.models import AccessAction, AccessLog, ExportJob, PrivacyRequest, RenewalRequest, RetentionRun
from roles.models import FeeType, Pillar, Role, RoleStatus, Seniority, Skill
from sonitec.models import IdempotencyRecord, User
from sonitec.staff_groups import staff_groups_sync


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@sonitec.example")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    is_staff = True
    password = factory.django.Password("correct horse battery staple")


def staff_group(name: str) -> Group:
    """A staff role's group (sonitec/staff_groups.py); made again if a transactional test flushed the migration's."""
    staff_groups_sync()
    return Group.objects.get(name=name)


def seeded_pillar(slug: str = "ml-engineer") -> Pillar:
    """The pillars come from a data migration; tests use those rows rather than inventing pillars."""
    return Pillar.objects.get(slug=slug)


class PillarFactory(factory.django.DjangoModelFactory):
    """For tests that need a pillar beyond the six seeded ones."""

    class Meta:
        model = Pillar
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Pillar {n}")
    slug = factory.Sequence(lambda n: f"pillar-{n}")
    summary = "A pillar used in tests."
    owns = "Things."


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Skill {n}")
    slug = factory.Sequence(lambda n: f"skill-{n}")


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    name = factory.Faker("company")
    website = factory.Sequence(lambda n: f"https://client{n}.example")
    industry = Industry.ROBOTICS
    status = "active"
    default_fee_percent = Decimal("20.00")
    default_guarantee_days = 90


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    client = factory.SubFactory(ClientFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"contact{n}@client.example")
    job_title = "Head of Data"


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner {n}")
    contact_email = factory.Sequence(lambda n: f"api{n}@partner.example")
    scopes = factory.LazyFunction(lambda: ["roles:read", "candidates:write", "submissions:read", "webhooks:manage"])


class ApiKeyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApiKey

    partner = factory.SubFactory(PartnerFactory)
    prefix = factory.Sequence(lambda n: f"k{n:07d}")
    key_hash = factory.Sequence(lambda n: f"{n:064x}")


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    client = factory.SubFactory(ClientFactory)
    pillar = factory.LazyFunction(seeded_pillar)
    title = "Senior ML Engineer"
    seniority = Seniority.SENIOR
    status = RoleStatus.OPEN
    salary_min = Decimal("80000")
    salary_max = Decimal("110000")
    fee_type = FeeType.PERCENT
    fee_percent = Decimal("20.00")
    guarantee_days = 90
    opened_on = factory.LazyFunction(datetime.date.today)


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"candidate{n}@mail.example")
    phone = factory.Sequence(lambda n: f"+4477009{n % 100000:05d}")
    primary_pillar = factory.LazyFunction(seeded_pillar)
    seniority = Seniority.SENIOR
    current_title = "ML Engineer"


class CandidateSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CandidateSkill

    candidate = factory.SubFactory(CandidateFactory)
    skill = factory.SubFactory(SkillFactory)
    years = Decimal("3")


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    candidate = factory.SubFactory(CandidateFactory)
    purpose = ConsentPurpose.DATA_PROCESSING
    method = ConsentMethod.WEB_FORM
    notice_version = "2026-01"


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    candidate = factory.SubFactory(CandidateFactory)
    role = factory.SubFactory(RoleFactory)
    stage = Stage.SOURCED


class StageChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StageChange

    submission = factory.SubFactory(SubmissionFactory)
    from_stage = Stage.SOURCED
    to_stage = Stage.SCREENED


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    submission = factory.SubFactory(SubmissionFactory, stage=Stage.PLACED)
    start_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=30))
    agreed_salary = Decimal("100000")
    fee_type = FeeType.PERCENT
    fee_percent = Decimal("20")
    fee_amount = Decimal("20000")
    guarantee_days = 90
    guarantee_ends_on = factory.LazyAttribute(lambda p: p.start_date + datetime.timedelta(days=p.guarantee_days))


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    candidate = factory.SubFactory(CandidateFactory)
    subject = "Intro call"
    body = "Discussed the role."


class RejectionReasonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RejectionReason

    code = factory.Sequence(lambda n: f"reason-{n}")
    label = factory.Sequence(lambda n: f"Reason {n}")


class EnquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enquiry

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"enquirer{n}@company.example")
    company = factory.Faker("company")
    message = "We need help building an ML platform team."
    consent_at = factory.LazyFunction(timezone.now)
    consent_notice_version = "2026-01"


class IntakeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intake

    company_name = factory.Faker("company")
    website = factory.Sequence(lambda n: f"https://intake{n}.example")
    contact_name = factory.Faker("name")
    contact_email = factory.Sequence(lambda n: f"cto{n}@intake.example")
    consent_at = factory.LazyFunction(timezone.now)
    consent_notice_version = "2026-01"


class IntakePillarNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntakePillarNeed

    intake = factory.SubFactory(IntakeFactory)
    pillar = factory.LazyFunction(seeded_pillar)
    headcount = 1
    seniority = Seniority.SENIOR


# ---- follow-ups and the outbox ----------------------------------------------------------------------------


class EmailTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmailTemplate

    key = factory.Sequence(lambda n: f"template-{n}")
    name = factory.Sequence(lambda n: f"Template {n}")
    subject = "Hello {{ candidate.name }}"
    body = "Hello {{ candidate.name }}, about {{ role.title }}."


def seeded_rule(key: str) -> FollowUpRule:
    """The rules come from a data migration; tests use (and tune) those rows."""
    return FollowUpRule.objects.select_related("template").get(key=key)


class FollowUpRuleFactory(factory.django.DjangoModelFactory):
    """For admin tests that need more rules than the seeded ones (their keys match no trigger)."""

    class Meta:
        model = FollowUpRule
        django_get_or_create = ["key"]

    key = factory.Sequence(lambda n: f"test_rule_{n}")
    name = factory.Sequence(lambda n: f"Test rule {n}")
    timing = "Days after nothing in particular · to nobody"
    template = factory.SubFactory(EmailTemplateFactory)


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    rule = factory.LazyFunction(lambda: seeded_rule("application_ack"))
    due_at = factory.LazyFunction(timezone.now)
    dedupe_key = factory.Sequence(lambda n: f"test:{n}")
    candidate = factory.SubFactory(CandidateFactory)


class FollowUpDueTodayFactory(FollowUpFactory):
    class Meta:
        model = FollowUpDueToday


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    to_email = factory.Sequence(lambda n: f"recipient{n}@mail.example")
    subject = "Your application"
    body = "Thank you for applying."
    candidate = factory.SubFactory(CandidateFactory)


# Partner API: webhooks and idempotency.


class WebhookSubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookSubscription

    partner = factory.SubFactory(PartnerFactory)
    url = factory.Sequence(lambda n: f"https://hooks{n}.partner.example/sonitec")
    events = factory.LazyFunction(lambda: ["submission.stage_changed"])
    secret = factory.Sequence(lambda n: f"whsec_{n:048x}")


class WebhookDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookDelivery

    subscription = factory.SubFactory(WebhookSubscriptionFactory)
    event_id = factory.Faker("uuid4")
    event_type = "submission.stage_changed"
    payload = factory.LazyFunction(dict)


class IdempotencyRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdempotencyRecord

    owner = factory.Sequence(lambda n: f"partner:{n}")
    key = factory.Sequence(lambda n: f"key-{n}")
    fingerprint = "0" * 64
    response_status = 201
    response_body = factory.LazyFunction(dict)


# Duplicates, imports and exports.


class CandidateDuplicateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CandidateDuplicate

    first = factory.SubFactory(CandidateFactory)
    second = factory.SubFactory(CandidateFactory)  # made second, so its id is the higher one, as pairs are stored
    reasons = factory.LazyFunction(lambda: ["same phone number"])
    confidence = 85


class ClientDuplicateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClientDuplicate

    first = factory.SubFactory(ClientFactory)
    second = factory.SubFactory(ClientFactory)
    reasons = factory.LazyFunction(lambda: ["same website domain"])
    confidence = 90


class ContactDuplicateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactDuplicate

    first = factory.SubFactory(ContactFactory)
    second = factory.SubFactory(ContactFactory)
    reasons = factory.LazyFunction(lambda: ["same email address"])
    confidence = 100


class ImportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportJob

    kind = "candidates"
    file = factory.django.FileField(filename="people.csv", data=b"name,email\nAda,ada@example.org\n")
    original_name = "people.csv"
    source = "Legacy CRM, legitimate interest"
    status = "previewed"
    counts = factory.LazyFunction(lambda: {"created": 1, "updated": 0, "duplicates": 0, "errors": 0})
    report = factory.LazyFunction(lambda: [{"line": 2, "action": "new", "message": ""}])


class ExportRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExportRecord

    user = factory.SubFactory(UserFactory)
    model = "candidates.Candidate"
    format = "csv"
    rows = 10


# ---- assessments ------------------------------------------------------------------------------------------


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competency

    pillar = factory.LazyFunction(seeded_pillar)
    name = factory.Sequence(lambda n: f"Competency {n}")
    slug = factory.Sequence(lambda n: f"competency-{n}")
    level_1 = "Has done it under guidance."
    level_2 = "Does it alone."
    level_3 = "Designs it for a team."
    level_4 = "Sets the standard."
    position = factory.Sequence(lambda n: 100 + n)


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    candidate = factory.SubFactory(CandidateFactory)
    skill = factory.SubFactory(SkillFactory)
    url = factory.Sequence(lambda n: f"https://github.com/someone/project-{n}")


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview

    submission = factory.SubFactory(SubmissionFactory, stage=Stage.INTERVIEW)
    scheduled_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=2))
    video_link = "https://meet.example/abc"


class ScorecardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scorecard

    interview = factory.SubFactory(InterviewFactory)
    interviewer = factory.SubFactory(UserFactory)
    recommendation = "yes"
    strengths = "Clear."


# Matching, saved searches and talent pools.
class MatchRankingLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchRankingLog

    role = factory.SubFactory(RoleFactory)
    shown_by = factory.SubFactory(UserFactory)
    channel = "admin"
    results = factory.LazyFunction(list)


class MatchAdditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchAddition

    ranking = factory.SubFactory(MatchRankingLogFactory)
    role = factory.SelfAttribute("ranking.role")
    candidate = factory.SubFactory(CandidateFactory)
    score = 80
    added_by = factory.SubFactory(UserFactory)


class SavedSearchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SavedSearch

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Saved search {n}")
    query = factory.LazyFunction(lambda: {"q": "pytorch"})


class TalentPoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TalentPool

    name = factory.Sequence(lambda n: f"Pool {n}")
    owner = factory.SubFactory(UserFactory)


class AccessLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessLog

    user = factory.SubFactory(UserFactory)
    action = AccessAction.VIEWED
    candidate = factory.SubFactory(CandidateFactory)


class RetentionRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RetentionRun

    finished_at = factory.LazyFunction(timezone.now)


class RenewalRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RenewalRequest

    candidate = factory.SubFactory(CandidateFactory)


class PrivacyRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrivacyRequest

    candidate = factory.SubFactory(CandidateFactory)
    kind = "copy"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))


class ExportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExportJob

    candidate = factory.SubFactory(CandidateFactory)
    requested_by = factory.SubFactory(UserFactory)


class CandidateDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CandidateDocument

    candidate = factory.SubFactory(CandidateFactory)
    file = factory.django.FileField(filename="cv.pdf", data=b"%PDF-1.4 test")
    original_name = "cv.pdf"
    content_type = "application/pdf"
    size = 13
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    source = "sourced"


class CandidateCvTextFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CandidateCvText

    candidate = factory.SubFactory(CandidateFactory)
    text = "Built streaming pipelines with Spark."


class TalentPoolMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TalentPoolMember

    pool = factory.SubFactory(TalentPoolFactory)
    candidate = factory.SubFactory(CandidateFactory)


class AccessAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessAttempt

    username = factory.Sequence(lambda n: f"someone{n}")
    ip_address = factory.Sequence(lambda n: f"203.0.113.{n % 250 + 1}")
    user_agent = "Mozilla/5.0"
    http_accept = "text/html"
    path_info = "/admin/login/"
    get_data = ""
    post_data = ""
    failures_since_start = 5


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Authenticator app"
    confirmed = True
