"""Triage in the admin: converting intakes and enquiries (reusing clients, idempotently) and marking spam."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clients.models import Client, Contact
from leads.models import Enquiry, Intake, TriageStatus
from leads.services import enquiry_convert, enquiry_mark_spam, intake_convert, intake_mark_spam
from roles.models import Role, RoleStatus
from tests.factories import ClientFactory, ContactFactory, EnquiryFactory, IntakeFactory, IntakePillarNeedFactory
from tests.factories import seeded_pillar as pillar


def counts() -> tuple[int, int, int]:
    return Client.objects.count(), Contact.objects.count(), Role.objects.count()


@pytest.mark.django_db
def test_converting_an_intake_creates_a_client_contact_and_a_draft_role_per_pillar(recruiter):
    intake = IntakeFactory(company_name="Kestrel Robotics", website="https://kestrel.example", location="Bristol")
    IntakePillarNeedFactory(intake=intake, pillar=pillar("ml-engineer"), headcount=2, seniority="senior")
    IntakePillarNeedFactory(intake=intake, pillar=pillar("mlops-engineer"), headcount=1, seniority="lead")

    intake = intake_convert(intake=intake, by=recruiter)

    assert intake.status == TriageStatus.CONVERTED
    assert (intake.client.name, intake.client.domain, intake.client.account_owner) == (
        "Kestrel Robotics",
        "kestrel.example",
        recruiter,
    )
    assert (intake.contact.client, intake.contact.email, intake.contact.is_primary) == (
        intake.client,
        intake.contact_email,
        True,
    )
    roles = {(r.pillar.slug, r.headcount, r.seniority, r.status, r.hiring_contact) for r in Role.objects.all()}
    assert roles == {
        ("ml-engineer", 2, "senior", RoleStatus.DRAFT, intake.contact),
        ("mlops-engineer", 1, "lead", RoleStatus.DRAFT, intake.contact),
    }
    assert not Role.objects.filter(published_on_job_board=True).exists()
    titles = set(intake.pillar_needs.values_list("role__title", flat=True))
    assert titles == {"Senior ML Engineer", "Lead / Staff MLOps Engineer"}


@pytest.mark.django_db
def test_converting_twice_creates_nothing_new(recruiter):
    intake = IntakeFactory()
    IntakePillarNeedFactory(intake=intake)
    intake_convert(intake=intake, by=recruiter)
    before = counts()

    again = intake_convert(intake=intake, by=recruiter)

    assert counts() == before == (1, 1, 1)
    assert again.status == TriageStatus.CONVERTED


@pytest.mark.django_db
def test_a_need_added_after_conversion_gets_its_role_on_the_next_conversion(recruiter):
    intake = IntakeFactory()
    IntakePillarNeedFactory(intake=intake, pillar=pillar("ml-engineer"))
    intake_convert(intake=intake, by=recruiter)
    IntakePillarNeedFactory(intake=intake, pillar=pillar("data-engineer"))

    intake_convert(intake=intake, by=recruiter)

    assert counts() == (1, 1, 2)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("client_kwargs", "intake_kwargs"),
    [
        (
            {"website": "https://www.acme.ai", "name": "ACME AI Ltd"},
            {"website": "http://acme.ai/careers", "company_name": "Acme"},
        ),
        ({"website": "", "name": "Acme AI"}, {"website": "", "company_name": "acme ai"}),
    ],
    ids=["same-domain", "same-name-any-case"],
)
def test_an_existing_client_is_reused_by_website_domain_or_name(recruiter, client_kwargs, intake_kwargs):
    existing = ClientFactory(**client_kwargs)
    ContactFactory(client=existing, email="boss@acme.ai", is_primary=True)
    intake = IntakeFactory(contact_email="Boss@Acme.ai", **intake_kwargs)

    intake = intake_convert(intake=intake, by=recruiter)

    assert intake.client == existing
    assert Client.objects.count() == 1
    assert Contact.objects.count() == 1  # the contact with that email is reused too


@pytest.mark.django_db
def test_a_spam_intake_cannot_be_converted():
    intake = intake_mark_spam(intake=IntakeFactory())
    with pytest.raises(ValidationError, match="spam"):
        intake_convert(intake=intake)
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_converting_an_enquiry_matches_the_email_domain_or_company_and_is_idempotent(recruiter):
    existing = ClientFactory(website="https://helix.example", name="Helix Labs")
    enquiry = EnquiryFactory(email="cto@helix.example", company="Helix")

    enquiry_convert(enquiry=enquiry, by=recruiter)
    enquiry_convert(enquiry=enquiry, by=recruiter)

    enquiry.refresh_from_db()
    assert enquiry.client == existing
    assert enquiry.status == TriageStatus.CONVERTED
    assert counts() == (1, 1, 0)


@pytest.mark.django_db
def test_a_free_mail_enquiry_never_matches_by_domain_and_needs_a_company():
    ClientFactory(website="https://gmail.com", name="Someone else")
    enquiry = EnquiryFactory(email="jo@gmail.com", company="")
    with pytest.raises(ValidationError, match="names no company"):
        enquiry_convert(enquiry=enquiry)
    enquiry.refresh_from_db()
    assert enquiry.status == TriageStatus.NEW

    enquiry.company = "Jo's Robots"
    enquiry.save()
    enquiry_convert(enquiry=enquiry)
    assert Client.objects.filter(name="Jo's Robots").exists()


@pytest.mark.django_db
def test_a_converted_enquiry_cannot_be_marked_spam():
    enquiry = EnquiryFactory()
    enquiry_convert(enquiry=enquiry)
    with pytest.raises(ValidationError, match="already converted"):
        enquiry_mark_spam(enquiry=enquiry)


def _action(admin_client, model: str, action: str, objects):
    return admin_client.post(
        reverse(f"admin:leads_{model}_changelist"),
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
        follow=True,
    )


@pytest.mark.django_db
def test_the_admin_convert_action_converts_intakes_and_reports_refusals(admin_client):
    good = IntakeFactory(company_name="Good Co")
    IntakePillarNeedFactory(intake=good)
    spam = intake_mark_spam(intake=IntakeFactory(company_name="Spam Co"))

    response = _action(admin_client, "intake", "convert", [good, spam])

    page = response.content.decode()
    assert "1 intake converted." in page
    assert "marked as spam; it cannot be converted" in page
    assert Intake.objects.get(pk=good.pk).status == TriageStatus.CONVERTED
    assert Role.objects.filter(client__name="Good Co", status=RoleStatus.DRAFT).count() == 1


@pytest.mark.django_db
def test_the_admin_spam_action_marks_enquiries(admin_client):
    enquiries = EnquiryFactory.create_batch(2)
    response = _action(admin_client, "enquiry", "mark_spam", enquiries)
    assert "2 enquiries marked as spam." in response.content.decode()
    assert set(Enquiry.objects.values_list("status", flat=True)) == {TriageStatus.SPAM}


@pytest.mark.django_db
def test_the_intake_page_shows_the_recommendation_and_answers_to_recruiters(admin_client):
    intake = IntakeFactory(
        answers={"shipped_before": "no"},
        recommendation=[{"pillar": "ai-ml-leader", "name": "AI/ML Leader", "reason": "Nobody has shipped <b>AI</b>."}],
    )
    page = admin_client.get(reverse("admin:leads_intake_change", args=[intake.pk])).content.decode()
    assert "AI/ML Leader" in page
    assert "Nobody has shipped &lt;b&gt;AI&lt;/b&gt;." in page  # visitor text is escaped
    assert "Has anyone on your team shipped production AI before?" in page
