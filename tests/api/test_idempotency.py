"""Idempotency-Key: a retried POST returns the first result and creates nothing new."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from candidates.models import Candidate
from partners.models import WebhookSubscription
from pipelines.models import Submission
from sonitec.models import IdempotencyRecord

from .conftest import PDF_BYTES, make_partner

BODY = {"name": "Ada", "email": "ada@example.org", "consent": True, "consent_notice_version": "2026-01"}


def post(login, body, key, format="json"):
    return login.client.post("/api/v1/candidates/", body, format=format, HTTP_IDEMPOTENCY_KEY=key)


def test_same_key_same_body_replays_the_first_response(acme, public_role):
    body = {**BODY, "role_ids": [public_role.pk]}
    first = post(acme, body, "order-1")
    # Moving on between the two sends must not change the replay: it is the stored first response.
    Submission.objects.update(stage="screened")
    second = post(acme, body, "order-1")
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Candidate.objects.count() == 1 and Submission.objects.count() == 1


def test_same_key_different_body_is_refused(acme):
    assert post(acme, BODY, "k").status_code == 201
    response = post(acme, {**BODY, "email": "someone.else@example.org"}, "k")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert Candidate.objects.count() == 1


def test_multipart_retry_with_the_same_file_replays(acme):
    def send(content):
        return post(acme, {**BODY, "cv": SimpleUploadedFile("cv.pdf", content)}, "with-cv", format="multipart")

    assert send(PDF_BYTES).status_code == 201
    assert send(PDF_BYTES)["Idempotent-Replayed"] == "true"
    assert send(PDF_BYTES + b"changed").status_code == 422
    assert Candidate.objects.count() == 1


def test_failed_requests_are_not_remembered(acme):
    assert post(acme, {**BODY, "consent": False}, "fix-me").status_code == 400
    assert not IdempotencyRecord.objects.exists()
    assert post(acme, BODY, "fix-me").status_code == 201


def test_keys_are_private_to_each_partner(acme, rival):
    assert post(acme, BODY, "shared").status_code == 201
    response = post(rival, {**BODY, "email": "other@example.org"}, "shared")
    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert Candidate.objects.count() == 2


def test_webhook_subscription_create_is_idempotent(acme, receiver):
    body = {"url": receiver.url, "events": ["role.published"]}
    first = acme.client.post("/api/v1/webhooks/", body, format="json", HTTP_IDEMPOTENCY_KEY="hook")
    second = acme.client.post("/api/v1/webhooks/", body, format="json", HTTP_IDEMPOTENCY_KEY="hook")
    assert first.json() == second.json()
    assert WebhookSubscription.objects.count() == 1


def test_overlong_key_is_a_field_error(acme):
    response = post(acme, BODY, "x" * 256)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["error"]["fields"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_retries_create_one_candidate():
    """The second request waits on the key's unique index until the first commits, then replays its answer."""
    import threading
    import time
    from unittest import mock

    from django.db import connection

    from partners import services as partners

    login = make_partner("Concurrent Partner")
    real_submit = partners.partner_candidate_submit

    def slow_submit(**kwargs):
        result = real_submit(**kwargs)
        time.sleep(0.5)  # hold the transaction open while the twin request arrives
        return result

    responses = []

    def send():
        try:
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {login.key}")
            responses.append(client.post("/api/v1/candidates/", BODY, format="json", HTTP_IDEMPOTENCY_KEY="twin"))
        finally:
            connection.close()

    with mock.patch("candidates.api.views.partner_candidate_submit", side_effect=slow_submit):
        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
            time.sleep(0.1)
        for thread in threads:
            thread.join(15)

    assert sorted(response.status_code for response in responses) == [201, 201]
    assert responses[0].json() == responses[1].json()
    assert sum(response.get("Idempotent-Replayed") == "true" for response in responses) == 1
    assert Candidate.objects.filter(email="ada@example.org").count() == 1
