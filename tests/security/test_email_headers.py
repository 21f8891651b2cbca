"""No display name can add a recipient or break a message: the address recorded is the only one used."""

from email.utils import getaddresses

import pytest
from django.core import mail

from messaging.models import Message
from messaging.outbox import message_queue, message_send
from sonitec.normalise import clean_display_name


@pytest.mark.parametrize(
    "name",
    [
        'Eve", attacker@evil.example, "x',
        "Eve <attacker@evil.example>",
        "Eve, attacker@evil.example",
        "Eve\r\nBcc: attacker@evil.example",
        "Ève Ünïcode 张",
        'Eve "the quoter" \\ O\'Brien',
        "Eve\u202egro.elpmaxe@live\u202c",
    ],
)
def test_a_hostile_display_name_never_adds_a_recipient(db, name):
    message = message_queue(to_email="ada@example.org", to_name=name, subject="Hello", body="Hi")
    assert message_send(message_id=message.pk) == "sent"
    [email] = mail.outbox
    recipients = getaddresses([str(header) for header in email.message().get_all("To")])
    assert [address for _, address in recipients] == ["ada@example.org"]
    assert email.recipients() == [email.to[0]]
    assert "Bcc" not in email.message()
    assert Message.objects.get().to_email == "ada@example.org"


def test_bidi_overrides_zero_width_and_control_characters_are_removed_from_names():
    assert clean_display_name("Ada\u202e nimda\u202c") == "Ada nimda"
    assert clean_display_name("A\u200bd\u200da\ufeff") == "Ada"
    assert clean_display_name("Ada\r\nLovelace\t ") == "Ada Lovelace"
    assert clean_display_name("Zoë Łukasz 张伟") == "Zoë Łukasz 张伟"


def test_the_name_recorded_on_the_message_is_the_cleaned_one(db):
    message = message_queue(to_email="ada@example.org", to_name="Ada\u202e\r\nX", subject="Hello", body="Hi")
    assert message.to_name == "Ada X"


def test_names_typed_into_public_forms_and_the_api_are_stored_without_invisible_characters(client, acme, db):
    from django.urls import reverse

    from candidates.models import Candidate
    from leads.models import Enquiry

    disguised = "Ada\u202e ecalevol\u202c\u200b"
    response = client.post(
        reverse("public:contact"),
        {"name": disguised, "email": "ada@example.org", "topic": "hiring", "message": "Hi", "consent": "on"},
    )
    assert response.status_code == 302
    assert Enquiry.objects.get().name == "Ada ecalevol"
    body = {"name": disguised, "email": "ada2@example.org", "consent": True, "consent_notice_version": "2026-01"}
    assert acme.client.post("/api/v1/candidates/", body, format="json").status_code == 201
    assert Candidate.objects.get().name == "Ada ecalevol"


def test_no_module_sends_email_except_the_outbox():
    """Every email is a Message: recorded, sent once, with its recipient through formataddr."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    senders = {"send_mail(", "EmailMessage(", "EmailMultiAlternatives(", "mail_admins(", "send_mass_mail("}
    offenders = [
        str(path.relative_to(root))
        for path in root.glob("*/**/*.py")
        if path.parts[len(root.parts)] not in {"tests", ".venv", "bench"}
        and any(sender in path.read_text() for sender in senders)
    ]
    assert offenders == ["messaging/outbox.py"]
