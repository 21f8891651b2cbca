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


def trusted_ident(settings, remote, forwarded):
    from rest_framework.request import Request

    from sonitec.api.throttling import AnonAddressThrottle

    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "2001:db8::/32"]
    request = APIRequestFactory().get("/api/schema/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    return AnonAddressThrottle().get_ident(Request(request))


def test_behind_trusted_proxies_the_right_most_address_that_is_not_ours_counts(settings):
    # The client forged "1.2.3.4"; the first proxy saw 198.51.100.7; the second proxy is ours too.
    assert trusted_ident(settings, "10.0.0.2", "1.2.3.4, 198.51.100.7, 10.0.0.3") == "198.51.100.7"
    assert trusted_ident(settings, "2001:db8::1", "1.2.3.4, 203.0.113.5") == "203.0.113.5"


def test_a_forwarded_for_header_from_an_address_that_is_not_our_proxy_is_ignored(settings):
    assert trusted_ident(settings, "203.0.113.9", "198.51.100.7") == "203.0.113.9"


def test_the_api_throttles_anonymous_requests_with_the_trusted_proxy_rule():
    from django.conf import settings

    assert "sonitec.api.throttling.AnonAddressThrottle" in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]
    assert settings.TRUSTED_PROXIES == []
