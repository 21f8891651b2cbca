"""Signed webhooks: subscribe, deliver after commit, verify the signature, retry with backoff, suspend."""

import datetime
import hashlib
import hmac
import json
import time
from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from messaging.models import Message
from partners.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from partners.tasks import webhook_retry_due
from partners.webhooks import RETRY_BACKOFF_SECONDS, webhook_delivery_attempt, webhook_signature_verify
from pipelines.models import Stage
from pipelines.services import submission_move
from roles.models import PartnerVisibility, RoleStatus
from roles.services import role_set_status
from tests.factories import RoleFactory

BODY = {"name": "Ada", "email": "ada@example.org", "consent": True, "consent_notice_version": "2026-01"}


def subscribe(login, url, events):
    response = login.client.post("/api/v1/webhooks/", {"url": url, "events": events}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def submit(login, role):
    response = login.client.post("/api/v1/candidates/", {**BODY, "role_ids": [role.pk]}, format="json")
    assert response.status_code == 201, response.json()
    return login.client.get("/api/v1/submissions/", {"role": role.pk}).json()["results"][0]


def verify(request, secret):
    """What a partner's receiver does (as in docs/api.md): HMAC-SHA256 over "<timestamp>.<raw body>"."""
    timestamp = request["headers"]["Sonitec-Webhook-Timestamp"]
    expected = "v1=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + request["body"], hashlib.sha256).hexdigest()
    assert hmac.compare_digest(expected, request["headers"]["Sonitec-Webhook-Signature"])
    assert abs(time.time() - int(timestamp)) < 300
    return json.loads(request["body"])


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://localhost:8000/hook",
        "http://10.1.2.3/",
        "http://192.168.0.10/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://0.0.0.0/",
        "ftp://example.org/x",
        "https://user:pass@example.org/",
        "not a url",
    ],
)
def test_subscription_refuses_non_public_or_non_http_targets(acme, url):
    response = acme.client.post("/api/v1/webhooks/", {"url": url, "events": ["role.published"]}, format="json")
    assert response.status_code == 400
    assert "url" in response.json()["error"]["fields"]
    assert not WebhookSubscription.objects.exists()


def test_unknown_event_is_a_field_error(acme, receiver):
    response = acme.client.post("/api/v1/webhooks/", {"url": receiver.url, "events": ["role.deleted"]}, format="json")
    assert response.status_code == 400
    assert "events.0" in response.json()["error"]["fields"]


def test_stage_change_is_delivered_signed_to_the_submitting_partner_only(
    acme, rival, public_role, receiver, recruiter, django_capture_on_commit_callbacks
):
    hook = subscribe(acme, receiver.url, ["submission.stage_changed"])
    subscribe(rival, receiver.url + "?rival", ["submission.stage_changed"])
    row = submit(acme, public_role)
    submission = public_role.submissions.get()

    with django_capture_on_commit_callbacks(execute=True):
        submission_move(submission=submission, to_stage=Stage.SCREENED, by=recruiter)

    [request] = receiver.requests  # nothing for the rival
    payload = verify(request, hook["secret"])
    assert payload["type"] == "submission.stage_changed"
    assert payload["data"]["submission"] == {"id": row["id"], "role": public_role.pk, "stage": "screened"}
    assert payload["data"]["from_stage"] == "sourced" and payload["data"]["to_stage"] == "screened"
    assert request["headers"]["Sonitec-Webhook-Id"] == payload["id"]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == (DeliveryStatus.DELIVERED, 1, 200)

    # The partner sees the move through the API too.
    seen = acme.client.get(f"/api/v1/submissions/{row['id']}/").json()
    assert seen["stage"] == "screened"
    assert [c["to_stage"] for c in seen["stage_history"]] == ["sourced", "screened"]


def test_signature_helper_matches_the_documented_recipe(
    acme, receiver, public_role, recruiter, django_capture_on_commit_callbacks
):
    hook = subscribe(acme, receiver.url, ["submission.stage_changed"])
    submit(acme, public_role)
    with django_capture_on_commit_callbacks(execute=True):
        submission_move(submission=public_role.submissions.get(), to_stage=Stage.SCREENED, by=recruiter)
    [request] = receiver.requests
    headers = request["headers"]
    assert webhook_signature_verify(
        secret=hook["secret"],
        timestamp=headers["Sonitec-Webhook-Timestamp"],
        body=request["body"],
        signature=headers["Sonitec-Webhook-Signature"],
    )
    assert not webhook_signature_verify(
        secret=hook["secret"],
        timestamp=headers["Sonitec-Webhook-Timestamp"],
        body=request["body"] + b" ",
        signature=headers["Sonitec-Webhook-Signature"],
    )
    assert not webhook_signature_verify(
        secret="whsec_wrong",
        timestamp=headers["Sonitec-Webhook-Timestamp"],
        body=request["body"],
        signature=headers["Sonitec-Webhook-Signature"],
    )


def test_nothing_is_written_or_sent_when_the_event_rolls_back(
    acme, public_role, receiver, recruiter, django_capture_on_commit_callbacks
):
    subscribe(acme, receiver.url, ["submission.stage_changed"])
    submit(acme, public_role)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            submission_move(submission=public_role.submissions.get(), to_stage=Stage.SCREENED, by=recruiter)
            raise RuntimeError("crash after the move")
    assert not WebhookDelivery.objects.exists()
    assert receiver.requests == []


def test_role_published_and_closed_reach_partners_who_can_see_the_role(
    acme, rival, receiver, django_capture_on_commit_callbacks
):
    subscribe(acme, receiver.url, ["role.published", "role.closed"])
    subscribe(rival, receiver.url + "?rival", ["role.published", "role.closed"])
    role = RoleFactory(status=RoleStatus.DRAFT, partner_visibility=PartnerVisibility.SELECTED)
    role.partners.add(acme.partner)
    with django_capture_on_commit_callbacks(execute=True):
        role_set_status(role=role, status=RoleStatus.OPEN)
    with django_capture_on_commit_callbacks(execute=True):
        role_set_status(role=role, status=RoleStatus.CANCELLED)
    assert [json.loads(r["body"])["type"] for r in receiver.requests] == ["role.published", "role.closed"]
    assert all("rival" not in r["headers"].get("Host", "") for r in receiver.requests)
    assert WebhookDelivery.objects.filter(subscription__partner=rival.partner).count() == 0


def test_placement_created_is_sent_without_money(
    acme, public_role, receiver, recruiter, django_capture_on_commit_callbacks
):
    subscribe(acme, receiver.url, ["placement.created"])
    submit(acme, public_role)
    submission = public_role.submissions.get()
    for stage in (Stage.SCREENED, Stage.SHORTLISTED, Stage.SUBMITTED, Stage.INTERVIEW, Stage.OFFER):
        submission_move(submission=submission, to_stage=stage, by=recruiter)
    start = datetime.date.today() + datetime.timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        submission_move(
            submission=submission,
            to_stage=Stage.PLACED,
            by=recruiter,
            start_date=start,
            agreed_salary=Decimal("100000"),
        )
    [request] = receiver.requests
    payload = json.loads(request["body"])
    assert payload["type"] == "placement.created"
    assert payload["data"] == {"submission": {"id": submission.pk, "role": public_role.pk}, "start_date": str(start)}


def _make_due(delivery):
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())


def test_failed_delivery_is_retried_with_backoff_then_succeeds(
    acme, public_role, receiver, recruiter, django_capture_on_commit_callbacks
):
    subscribe(acme, receiver.url, ["submission.stage_changed"])
    submit(acme, public_role)
    receiver.status = 503
    with django_capture_on_commit_callbacks(execute=True):
        submission_move(submission=public_role.submissions.get(), to_stage=Stage.SCREENED, by=recruiter)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == (DeliveryStatus.PENDING, 1, 503)
    wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
    assert RETRY_BACKOFF_SECONDS[0] - 5 < wait <= RETRY_BACKOFF_SECONDS[0]

    # Not due yet: the sweep leaves it alone.
    assert webhook_retry_due() == 0 and len(receiver.requests) == 1

    _make_due(delivery)
    assert webhook_delivery_attempt(delivery_id=delivery.pk) == RETRY_BACKOFF_SECONDS[1]  # second wait is longer
    receiver.status = 200
    _make_due(delivery)
    assert webhook_retry_due() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 3)
    bodies = {r["body"] for r in receiver.requests}
    assert len(receiver.requests) == 3 and len(bodies) == 1  # the same event, byte for byte
    assert WebhookSubscription.objects.get().consecutive_failures == 0


def test_delivery_gives_up_after_the_last_attempt(
    acme, public_role, receiver, recruiter, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    subscribe(acme, receiver.url, ["submission.stage_changed"])
    submit(acme, public_role)
    receiver.status = 500
    with django_capture_on_commit_callbacks(execute=True):
        submission_move(submission=public_role.submissions.get(), to_stage=Stage.SCREENED, by=recruiter)
    delivery = WebhookDelivery.objects.get()
    _make_due(delivery)
    assert webhook_delivery_attempt(delivery_id=delivery.pk) is None
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.FAILED, 2, "HTTP 500")


def test_subscription_is_suspended_after_repeated_failures_and_the_partner_told(
    acme, public_role, receiver, recruiter, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_SUSPEND_AFTER_FAILURES = 3
    subscribe(acme, receiver.url, ["submission.stage_changed"])
    submit(acme, public_role)
    receiver.status = 500
    submission = public_role.submissions.get()
    with django_capture_on_commit_callbacks(execute=True):
        submission_move(submission=submission, to_stage=Stage.SCREENED, by=recruiter)
    with django_capture_on_commit_callbacks(execute=True):
        submission_move(submission=submission, to_stage=Stage.SHORTLISTED, by=recruiter)
    first = WebhookDelivery.objects.order_by("id").first()
    _make_due(first)
    with django_capture_on_commit_callbacks(execute=True):
        webhook_delivery_attempt(delivery_id=first.pk)  # third failure in a row

    subscription = WebhookSubscription.objects.get()
    assert not subscription.is_active and subscription.suspended_at is not None
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.FAILED}
    # The email goes through the outbox: a Message row records it, and the recorded address is the one used.
    [email] = mail.outbox
    [message] = Message.objects.filter(subject__contains="suspended")
    assert message.to_email == acme.partner.contact_email and message.status == "sent"
    assert email.to == [f"Acme Jobs <{acme.partner.contact_email}>"] and receiver.url in email.body

    # A suspended subscription gets nothing more, and the partner sees it as suspended.
    with django_capture_on_commit_callbacks(execute=True):
        submission_move(submission=submission, to_stage=Stage.SUBMITTED, by=recruiter)
    assert len(receiver.requests) == 3
    listed = acme.client.get("/api/v1/webhooks/").json()["results"][0]
    assert listed["is_active"] is False and listed["suspended_at"]
    assert "secret" not in listed


@pytest.mark.redis
def test_with_a_broker_the_delivery_is_queued_after_commit(
    acme, public_role, recruiter, settings, django_capture_on_commit_callbacks
):
    import redis

    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    subscribe(acme, "http://127.0.0.1:9/hooks", ["submission.stage_changed"])
    submit(acme, public_role)
    queue = redis.Redis.from_url(settings.REDIS_URL)
    name = settings.CELERY_TASK_ROUTES["partners.deliver_webhook"]["queue"]  # deliveries have their own queue

    def queued():
        messages = [json.loads(raw) for raw in queue.lrange(name, 0, -1)]
        return [m for m in messages if m["headers"]["task"] == "partners.deliver_webhook"]

    before = len(queued())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submission_move(submission=public_role.submissions.get(), to_stage=Stage.SCREENED, by=recruiter)
    assert len(queued()) == before  # nothing is sent before the commit
    for callback in callbacks:
        callback()
    delivery = WebhookDelivery.objects.get()
    [message] = [m for m in queued()[before:]]
    assert f"[[{delivery.pk}]" in message["body"] or str(delivery.pk) in json.dumps(message)
    for raw in queue.lrange(name, 0, -1):
        if json.loads(raw)["headers"]["task"] == "partners.deliver_webhook":
            queue.lrem(name, 0, raw)
