"""Creating partners and keys: the management command and the admin actions; the delivery log in the admin."""

import io

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from partners.models import ApiKey, Partner, WebhookDelivery, WebhookSubscription
from partners.services import api_key_create, partner_create


def test_create_partner_prints_a_working_key_alone_on_the_last_line(db):
    out = io.StringIO()
    call_command("create_partner", "Board Co", "--scopes", "roles:read", "--email", "dev@board.example", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    partner = Partner.objects.get(name="Board Co")
    assert (partner.scopes, partner.contact_email) == (["roles:read"], "dev@board.example")
    assert key not in {api_key.key_hash for api_key in ApiKey.objects.all()}

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/api/v1/roles/").status_code == 200
    assert client.get("/api/v1/submissions/").status_code == 403


def test_create_partner_refuses_a_duplicate_name(db):
    call_command("create_partner", "Board Co", stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_partner", "board co", stdout=io.StringIO(), stderr=io.StringIO())
    assert Partner.objects.count() == 1


def test_admin_action_shows_a_new_key_once_and_revoke_stops_it(admin_client):
    partner = partner_create(name="Acme Jobs", contact_email="api@acme.example")
    response = admin_client.post(
        "/admin/partners/partner/", {"action": "create_api_key", "_selected_action": [partner.pk]}, follow=True
    )
    [message] = [str(m) for m in response.context["messages"]]
    key = message.split(": ", 1)[1].split(" ", 1)[0]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/api/v1/roles/").status_code == 200

    api_key = ApiKey.objects.get(partner=partner)
    assert key not in admin_client.get(f"/admin/partners/apikey/{api_key.pk}/change/").content.decode()
    admin_client.post("/admin/partners/apikey/", {"action": "revoke", "_selected_action": [api_key.pk]})
    assert client.get("/api/v1/roles/").status_code == 401


def test_partner_admin_edits_scopes_as_checkboxes(admin_client):
    partner = partner_create(name="Acme Jobs", contact_email="api@acme.example", scopes=[])
    response = admin_client.post(
        f"/admin/partners/partner/{partner.pk}/change/",
        {
            "name": "Acme Jobs",
            "contact_email": "api@acme.example",
            "is_active": "on",
            "scopes": ["roles:read", "webhooks:manage"],
            "api_keys-TOTAL_FORMS": "0",
            "api_keys-INITIAL_FORMS": "0",
            "webhook_subscriptions-TOTAL_FORMS": "0",
            "webhook_subscriptions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].errors if response.context else ""
    partner.refresh_from_db()
    assert partner.scopes == ["roles:read", "webhooks:manage"]


def test_delivery_log_and_subscriptions_in_admin(admin_client, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    partner = partner_create(name="Acme Jobs", contact_email="api@acme.example")
    api_key_create(partner=partner)
    subscription = WebhookSubscription.objects.create(
        partner=partner, url="http://127.0.0.1:9/", events=[], secret="whsec_x", is_active=False
    )
    WebhookDelivery.objects.create(
        subscription=subscription,
        event_id="6f1c1b5e-52d4-4a4a-9a55-1d8a7c3c2f10",
        event_type="role.published",
        payload={},
        last_error="HTTP 500",
    )
    page = admin_client.get("/admin/partners/webhookdelivery/")
    assert page.status_code == 200 and "HTTP 500" in page.content.decode()
    assert admin_client.get("/admin/partners/webhooksubscription/").status_code == 200
    admin_client.post(
        "/admin/partners/webhooksubscription/", {"action": "resume", "_selected_action": [subscription.pk]}
    )
    subscription.refresh_from_db()
    assert subscription.is_active and subscription.consecutive_failures == 0
