"""Publishing an open role to more partners (or fewer) tells exactly those partners, from the admin or the API."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from partners.models import WebhookDelivery
from roles.models import PartnerVisibility, RoleStatus
from tests.factories import RoleFactory, WebhookSubscriptionFactory

from .conftest import make_partner

pytestmark = pytest.mark.django_db

EVENTS = ["role.published", "role.closed"]


def deliveries(partner) -> list[str]:
    sent = WebhookDelivery.objects.filter(subscription__partner=partner).order_by("pk")
    return list(sent.values_list("event_type", flat=True))


@pytest.fixture
def partners():
    acme, rival = make_partner("Acme Jobs").partner, make_partner("Rival Sourcing").partner
    for partner in (acme, rival):
        WebhookSubscriptionFactory(partner=partner, events=EVENTS)
    return acme, rival


def admin_post_role(admin_client, role, **changes):
    url = reverse("admin:roles_role_change", args=[role.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({key: value for key, value in changes.items()})
    # Inline formsets on the role page: none of their rows change.
    for prefix in ("submissions", "submissions-2", "activities", "followups", "messages"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    return response


def test_selecting_a_partner_on_an_open_role_in_the_admin_publishes_it_to_that_partner_only(admin_client, partners):
    acme, rival = partners
    role = RoleFactory(status=RoleStatus.OPEN, partner_visibility=PartnerVisibility.NONE)
    admin_post_role(admin_client, role, partner_visibility=PartnerVisibility.SELECTED, partners=[acme.pk])
    assert deliveries(acme) == ["role.published"]
    assert deliveries(rival) == []


def test_withdrawing_an_open_role_through_the_staff_api_tells_the_partners_who_lose_it(recruiter, partners):
    acme, rival = partners
    role = RoleFactory(status=RoleStatus.OPEN, partner_visibility=PartnerVisibility.ALL)
    staff = APIClient()
    staff.force_authenticate(recruiter)
    response = staff.patch(
        f"/api/v1/staff/roles/{role.pk}/",
        {"partner_visibility": PartnerVisibility.SELECTED, "partners": [rival.pk]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert deliveries(acme) == ["role.closed"]
    assert deliveries(rival) == []  # it could see the role before and still can


def test_a_draft_role_changing_visibility_tells_nobody(admin_client, partners):
    acme, _ = partners
    role = RoleFactory(status=RoleStatus.DRAFT, partner_visibility=PartnerVisibility.NONE)
    admin_post_role(admin_client, role, partner_visibility=PartnerVisibility.ALL)
    assert deliveries(acme) == []
