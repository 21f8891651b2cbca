"""Whether a staff member has a confirmed two-factor device is kept in the cache between requests; enrolling or
removing a device applies to the very next request, in the staff API and the admin (sonitec/auth_cache.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from sonitec import two_factor
from tests.api.conftest import recruiter_signed_in
from tests.factories import TOTPDeviceFactory

URL = "/api/v1/staff/candidates/"


@pytest.fixture
def signed_in(db):
    return recruiter_signed_in("sam", URL)


@pytest.fixture
def sam(signed_in):
    return signed_in[0]


@pytest.fixture
def sam_client(signed_in) -> APIClient:
    return signed_in[1]


def test_a_device_enrolled_holds_the_next_request_to_its_code(sam_client, sam):
    TOTPDeviceFactory(user=sam)
    assert sam_client.get(URL).status_code == 401
    response = sam_client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor_verify"))


def test_a_device_confirmed_holds_the_next_request_to_its_code(sam_client, sam):
    device = two_factor.device_for_enrolment(sam)
    assert sam_client.get(URL).status_code == 200  # an unconfirmed device asks for nothing
    device.confirmed = True
    device.save()
    assert sam_client.get(URL).status_code == 401


def test_a_device_removed_lets_the_next_request_through(sam):
    TOTPDeviceFactory(user=sam)
    client = APIClient()
    client.force_login(sam)
    assert client.get(URL).status_code == 401
    two_factor.device_remove(sam)
    assert client.get(URL).status_code == 200


def test_a_device_deleted_in_the_admin_lets_the_next_request_through(sam, admin_client):
    device = TOTPDeviceFactory(user=sam)
    client = APIClient()
    client.force_login(sam)
    assert client.get(URL).status_code == 401
    response = admin_client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not TOTPDevice.objects.exists()
    assert client.get(URL).status_code == 200


def test_a_cached_request_does_not_look_for_a_device(sam_client):
    with CaptureQueriesContext(connection) as queries:
        assert sam_client.get(URL).status_code == 200
    assert not [q for q in queries if "otp_totp_totpdevice" in q["sql"]]
