"""Per-key throttling: 429 with Retry-After, counted per key, not per partner or address."""

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
