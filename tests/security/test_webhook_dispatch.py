"""In the embedded default (no Redis), a webhook is never sent inside the staff request that fired it: the
delivery is a queued row, and the dispatcher loop (`manage.py run_dispatcher`) sends it."""

import io
import json

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from partners import webhooks
from partners.models import DeliveryStatus, WebhookDelivery
from roles.models import PartnerVisibility, RoleStatus
from tests.factories import RoleFactory, WebhookSubscriptionFactory

pytestmark = pytest.mark.django_db


def test_a_staff_action_queues_the_webhook_and_the_dispatcher_delivers_it(
    acme, receiver, recruiter, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_SENT_BY_WORKER = False  # the embedded default: no broker
    settings.CELERY_TASK_ALWAYS_EAGER = True
    WebhookSubscriptionFactory(partner=acme.partner, url=receiver.url, events=["role.closed"])
    role = RoleFactory(status=RoleStatus.OPEN, partner_visibility=PartnerVisibility.ALL)
    connections = []
    connect = webhooks._open_connection
    monkeypatch.setattr(webhooks, "_open_connection", lambda *args: connections.append(args) or connect(*args))
    staff = APIClient()
    staff.force_authenticate(recruiter)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.patch(
            f"/api/v1/staff/roles/{role.pk}/", {"partner_visibility": PartnerVisibility.NONE}, format="json"
        )

    assert response.status_code == 200, response.content
    assert connections == [] and receiver.requests == []  # no outbound HTTP inside the staff request
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 0)

    call_command("run_dispatcher", "--once", stdout=io.StringIO())

    [request] = receiver.requests
    assert json.loads(request["body"])["type"] == "role.closed"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 1)


def test_without_redis_webhooks_wait_for_the_dispatcher():
    from django.conf import settings

    assert settings.WEBHOOKS_SENT_BY_WORKER == bool(settings.REDIS_URL)
