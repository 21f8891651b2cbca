"""The contact form: a valid message is stored as an Enquiry; bad or hostile input is refused and stores nothing."""

import pytest
from django.conf import settings
from django.urls import reverse

from leads.models import Enquiry, TriageStatus

URL = reverse("public:contact")


def valid(**overrides) -> dict:
    data = {
        "name": "Grace Hopper",
        "email": "Grace@Compiler.example",
        "company": "Compiler Ltd",
        "phone": "07700 900123",
        "topic": "hiring",
        "message": "We need two MLOps engineers by spring.",
        "consent": "on",
        "hp_sonitec_check": "",
    }
    return {**data, **overrides}


@pytest.mark.django_db
def test_a_valid_message_is_stored_with_its_consent_and_thanked(client):
    response = client.post(URL, valid())

    assert response.status_code == 302
    assert client.get(response["Location"]).content.decode().count("Thank you") >= 1
    enquiry = Enquiry.objects.get()
    assert (enquiry.name, enquiry.email, enquiry.phone) == ("Grace Hopper", "grace@compiler.example", "+447700900123")
    assert enquiry.status == TriageStatus.NEW
    assert enquiry.consent_notice_version == settings.PRIVACY_NOTICE_VERSION
    assert enquiry.consent_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"email": "grace@"}, "Enter a valid email address."),
        ({"email": ""}, "This field is required."),
        ({"name": ""}, "This field is required."),
        ({"consent": ""}, "Please agree to be contacted"),
        ({"message": "x" * 5001}, "at most 5000 characters"),
        ({"name": "n" * 201}, "at most 200 characters"),
        ({"phone": "call me maybe"}, "Enter a valid phone number"),
        ({"topic": "free-iphone"}, "Select a valid choice."),
    ],
    ids=[
        "bad-email",
        "half-email",
        "no-email",
        "no-name",
        "no-consent",
        "oversized-message",
        "oversized-name",
        "bad-phone",
        "unknown-topic",
    ],
)
def test_invalid_input_is_shown_next_to_its_field_keeps_the_input_and_stores_nothing(client, overrides, message):
    response = client.post(URL, valid(**overrides))

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Please correct the highlighted fields" in page
    assert 'value="Compiler Ltd"' in page  # what the visitor typed is kept
    assert Enquiry.objects.count() == 0


@pytest.mark.django_db
def test_a_post_without_the_csrf_token_is_refused(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(URL, valid())

    assert response.status_code == 403
    assert Enquiry.objects.count() == 0


@pytest.mark.django_db
def test_the_sixth_post_in_a_minute_from_one_address_gets_429_and_stores_nothing(client):
    for _ in range(5):
        assert client.post(URL, valid(email="")).status_code == 400  # refused posts count too

    response = client.post(URL, valid())

    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert Enquiry.objects.count() == 0
    # Another address is not affected.
    assert client.post(URL, valid(), REMOTE_ADDR="203.0.113.9").status_code == 302


@pytest.mark.django_db
def test_an_oversized_request_body_is_refused(client):
    response = client.post(URL, valid(message="x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)))

    assert response.status_code == 400
    assert Enquiry.objects.count() == 0


@pytest.mark.django_db
def test_the_form_page_links_the_privacy_notice_and_the_notice_shows_its_version(client):
    page = client.get(URL).content.decode()
    assert reverse("public:privacy") in page
    assert settings.PRIVACY_NOTICE_VERSION in client.get(reverse("public:privacy")).content.decode()


@pytest.mark.django_db
def test_the_form_stays_open_when_the_rate_limit_cache_is_down(client, monkeypatch):
    from redis.exceptions import ConnectionError as RedisConnectionError

    def cache_down(*args, **kwargs):
        raise RedisConnectionError("Connection refused")

    monkeypatch.setattr("sonitec.public.sliding_window_hit", cache_down)
    assert client.post(URL, valid()).status_code == 302
    assert Enquiry.objects.count() == 1


@pytest.mark.redis
@pytest.mark.django_db
def test_with_redis_the_count_is_kept_in_redis_so_every_web_process_shares_it(client):
    import redis

    for _ in range(2):
        client.post(URL, valid(email=""))
    keys = redis.Redis.from_url(settings.REDIS_URL).keys("*public-rate:*")
    assert len(keys) == 1
