from decimal import Decimal

import pytest
from django.db import IntegrityError

from sonitec.normalise import domain_from_url
from tests.factories import ClientFactory, ContactFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url, domain",
    [
        ("https://www.Acme.ai/careers", "acme.ai"),
        ("acme.ai", "acme.ai"),
        ("http://robots.acme.co.uk", "robots.acme.co.uk"),
        ("", ""),
    ],
)
def test_domain_from_url(url, domain):
    assert domain_from_url(url) == domain


def test_client_keeps_its_website_domain_for_matching():
    assert ClientFactory(website="https://www.Helix-Robotics.example/about").domain == "helix-robotics.example"


def test_default_fee_percent_must_be_between_0_and_100():
    with pytest.raises(IntegrityError):
        ClientFactory(default_fee_percent=Decimal("150"))


def test_a_client_has_at_most_one_primary_contact():
    client = ClientFactory()
    ContactFactory(client=client, is_primary=True)
    with pytest.raises(IntegrityError):
        ContactFactory(client=client, is_primary=True)
