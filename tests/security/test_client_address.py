"""Throttles key on the real client address: X-Forwarded-For only as far as our own proxies vouch for it."""

from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIRequestFactory
from rest_framework.throttling import AnonRateThrottle


def ident(settings, num_proxies, **meta):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": num_proxies}
    request = APIRequestFactory().get("/api/schema/", **meta)
    return AnonRateThrottle().get_ident(request)


def test_a_forged_forwarded_for_header_is_ignored_without_proxies(settings):
    assert ident(settings, 0, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4") == "203.0.113.9"


def test_behind_one_proxy_the_address_it_appended_counts_not_what_the_client_wrote(settings):
    forwarded = "1.2.3.4, 198.51.100.7"  # "1.2.3.4" was forged by the client; our proxy appended the real one
    assert ident(settings, 1, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded) == "198.51.100.7"


def test_the_default_setting_trusts_no_proxy():
    from django.conf import settings

    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == 0


def test_failed_api_keys_are_throttled_per_address_even_with_changing_forwarded_for(db, settings):
    settings.API_FAILED_KEY_RATE = "3/m"
    cache.clear()
    client = Client()
    statuses = [
        client.get(
            "/api/v1/pillars/", HTTP_AUTHORIZATION=f"Bearer sk_bad_{i}", HTTP_X_FORWARDED_FOR=f"9.9.9.{i}"
        ).status_code
        for i in range(5)
    ]
    cache.clear()
    assert statuses == [401, 401, 401, 429, 429]
