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
