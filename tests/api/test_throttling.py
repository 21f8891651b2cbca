"""Per-key throttling: 429 with Retry-After, counted per key, not per partner or address."""

import pytest
import redis
from rest_framework.test import APIClient

from partners.services import api_key_create


def test_each_key_has_its_own_budget(acme, settings, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, "partner_key": "3/min"}
    )
    for _ in range(3):
        assert acme.client.get("/api/v1/pillars/").status_code == 200
    refused = acme.client.get("/api/v1/pillars/")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused.json()["error"]["code"] == "throttled"

    _, second_key = api_key_create(partner=acme.partner)
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Bearer {second_key}")
    assert other.get("/api/v1/pillars/").status_code == 200


def test_the_window_slides_and_retry_after_says_when_the_oldest_request_leaves_it(acme, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    from sonitec.api.throttling import SlidingWindow

    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, "partner_key": "3/min"}
    )
    now = [1_800_000_000.0]
    monkeypatch.setattr(SlidingWindow, "timer", lambda self: now[0])

    def get_at(second: float):
        now[0] = 1_800_000_000.0 + second
        return acme.client.get("/api/v1/pillars/")

    assert [get_at(second).status_code for second in (0, 10, 20)] == [200, 200, 200]
    refused = get_at(30)
    assert refused.status_code == 429 and refused["Retry-After"] == "30"  # the request at 0 leaves at 60
    assert get_at(59.5).status_code == 429
    assert get_at(60.5).status_code == 200  # one minute after the first, not at a clock-minute boundary
    assert get_at(61).status_code == 429


def test_hits_drf_counted_before_the_sliding_window_do_not_break_a_request(acme):
    from django.core.cache import cache

    from partners.models import ApiKey

    api_key = ApiKey.objects.get(partner=acme.partner)
    cache.set(f"throttle_partner_key_{api_key.pk}", [1.0, 2.0], 60)  # DRF's own key and list, as before a deploy
    assert acme.client.get("/api/v1/pillars/").status_code == 200


def lock_out_the_address(acme, settings):
    """Three wrong keys from the partner's own address, with its right key already cached."""
    settings.API_FAILED_KEY_RATE = "3/m"
    acme.client.get("/api/v1/pillars/")
    acme.client.get("/api/v1/pillars/")
    guesser = APIClient()
    assert [guesser.get("/api/v1/pillars/", HTTP_AUTHORIZATION=f"Bearer sk_{i}").status_code for i in range(3)] == [
        401
    ] * 3


def test_a_locked_out_address_is_refused_with_a_cached_key_even_without_a_rate(acme, settings, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    lock_out_the_address(acme, settings)
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, "partner_key": None}
    )
    refused = acme.client.get("/api/v1/pillars/")
    assert refused.status_code == 429 and "failed API-key attempts" in refused.json()["error"]["message"]


@pytest.mark.redis
def test_a_partner_request_with_a_recently_used_key_makes_one_redis_call(acme, settings, monkeypatch):
    acme.client.get("/api/v1/pillars/")
    acme.client.get("/api/v1/pillars/")  # the key is cached and its last use written
    commands = []
    execute = redis.Redis.execute_command

    def counted(client, *args, **options):
        commands.append(args[0])
        return execute(client, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", counted)
    assert acme.client.get("/api/v1/pillars/").status_code == 200
    assert commands == ["EVALSHA"]  # the key from this process's last second; its rate and the address's lockout

    lock_out_the_address(acme, settings)
    commands.clear()
    refused = acme.client.get("/api/v1/pillars/")
    assert refused.status_code == 429 and "failed API-key attempts" in refused.json()["error"]["message"]
    assert commands == ["EVALSHA"]
