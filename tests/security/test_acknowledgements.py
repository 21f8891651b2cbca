"""Public forms cannot turn the agency into a relay: acknowledgements quote nothing the visitor wrote, go out at
most once per address per day, and never to anyone on file as do not contact."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from candidates.models import CandidateStatus
from messaging.models import Message
from tests.factories import CandidateFactory, ContactFactory

pytestmark = pytest.mark.django_db

URL = reverse("public:contact")
SPAM = "Click https://evil.example/win to claim your prize"


def post(client, email="grace@compiler.example", name="Grace Hopper", message=SPAM, **overrides):
    cache.clear()  # the per-address form rate limit is another test's concern
    data = {
        "name": name,
        "email": email,
        "company": "Compiler Ltd",
        "phone": "",
        "topic": "hiring",
        "message": message,
        "consent": "on",
        "hp_sonitec_check": "",
        **overrides,
    }
    response = client.post(URL, data, **({"REMOTE_ADDR": "198.51.100.1"}))
    assert response.status_code == 302
    return response


def acks():
    return list(Message.objects.filter(rule__key="enquiry_ack"))


def test_the_acknowledgement_quotes_nothing_the_visitor_wrote(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, name="Win a prize at evil.example", message=SPAM)
    [ack] = acks()
    assert ack.to_email == "grace@compiler.example" and ack.to_name == ""
    for text in (ack.subject, ack.body):
        assert "evil.example" not in text and "Win a prize" not in text and "claim" not in text
    assert "Sonitec" in ack.body


def test_at_most_one_acknowledgement_per_address_per_day(client, django_capture_on_commit_callbacks):
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            post(client, email="Grace@Compiler.example")
    assert len(acks()) == 1


@pytest.mark.parametrize("who", ["contact", "candidate"])
def test_nobody_marked_do_not_contact_is_acknowledged_even_when_the_form_is_not_linked_to_them(
    client, who, django_capture_on_commit_callbacks
):
    if who == "contact":
        ContactFactory(email="grace@compiler.example", do_not_contact=True)
    else:
        CandidateFactory(email="grace@compiler.example", status=CandidateStatus.DO_NOT_CONTACT)
    with django_capture_on_commit_callbacks(execute=True):
        post(client, email="GRACE@compiler.example")
    assert acks() == []


def test_a_job_application_acknowledgement_names_only_the_role(client, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.documents import PDF_BYTES
    from tests.factories import RoleFactory

    role = RoleFactory(published_on_job_board=True, title="Senior ML Engineer")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("public:job_apply", args=[role.slug]),
            {
                "name": "Visit evil.example now",
                "email": "alan@mail.example",
                "consent": "on",
                "hp_sonitec_check": "",
                "cv": SimpleUploadedFile("cv.pdf", PDF_BYTES),
            },
        )
    assert response.status_code == 302, response.content.decode()[-2000:]
    [ack] = Message.objects.filter(rule__key="application_ack")
    assert "Senior ML Engineer" in ack.subject
    assert "evil.example" not in ack.subject + ack.body and ack.to_name == ""


def test_a_do_not_contact_candidate_who_applies_gets_no_acknowledgement(client, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.documents import PDF_BYTES
    from tests.factories import RoleFactory

    CandidateFactory(email="grace@compiler.example", status=CandidateStatus.DO_NOT_CONTACT)
    role = RoleFactory(published_on_job_board=True)
    data = {"name": "Grace", "email": "Grace@Compiler.example", "consent": "on", "hp_sonitec_check": ""}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("public:job_apply", args=[role.slug]), {**data, "cv": SimpleUploadedFile("cv.pdf", PDF_BYTES)}
        )
    assert response.status_code == 302
    assert not Message.objects.exists()
