"""Admin sign-in is locked out after AXES_FAILURE_LIMIT failures for one username from one address (django-axes);
administrators see the lockout in the admin and release it. Failed API keys are throttled per address too."""

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from sonitec.staff_groups import ADMINISTRATOR, RECRUITER
from tests import factories

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's


def _sign_in(username: str, password: str, address: str = "198.51.100.20"):
    return Client(REMOTE_ADDR=address).post(
        reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"}
    )


def _fail_until_locked(settings, username: str) -> list[int]:
    return [_sign_in(username, "wrong password").status_code for _ in range(settings.AXES_FAILURE_LIMIT + 1)]


def test_repeated_failures_lock_the_username_out_from_that_address(settings):
    factories.UserFactory(username="sam", is_superuser=False)

    statuses = _fail_until_locked(settings, "sam")

    assert statuses[:-1] == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429] and statuses[-1] == 429
    locked = _sign_in("sam", PASSWORD)  # even the right password, until the cool-off ends or an administrator acts
    assert locked.status_code == 429 and "too many login attempts for sam" in locked.content.decode()
    # The same person from another address, and other people from this one, still sign in.
    assert _sign_in("sam", PASSWORD, address="198.51.100.99").status_code == 302
    factories.UserFactory(username="alex", is_superuser=False)
    assert _sign_in("alex", PASSWORD).status_code == 302


def test_a_success_starts_the_count_again(settings):
    factories.UserFactory(username="sam", is_superuser=False)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in("sam", "wrong password")
    assert _sign_in("sam", PASSWORD).status_code == 302

    assert _sign_in("sam", "wrong password").status_code == 200  # one failure again, far from the limit


def test_an_administrator_sees_the_lockout_and_releases_it(client, settings):
    factories.UserFactory(username="sam", is_superuser=False)
    _fail_until_locked(settings, "sam")
    administrator = factories.UserFactory(username="ada", is_superuser=False)
    administrator.groups.add(factories.staff_group(ADMINISTRATOR))
    client.force_login(administrator)

    listing = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "sam" in listing and "198.51.100.20" in listing
    attempt = AccessAttempt.objects.get(username="sam")
    client.post(
        reverse("admin:axes_accessattempt_changelist"), {"action": "release", ACTION_CHECKBOX_NAME: [attempt.pk]}
    )

    assert not AccessAttempt.objects.exists()
    assert _sign_in("sam", PASSWORD).status_code == 302


def test_a_recruiter_cannot_see_or_release_lockouts(client, settings):
    recruiter = factories.UserFactory(username="jo", is_superuser=False)
    recruiter.groups.add(factories.staff_group(RECRUITER))
    client.force_login(recruiter)

    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


def test_a_burst_of_wrong_api_keys_from_one_address_gets_429_in_the_api_error_shape(settings):
    settings.API_FAILED_KEY_RATE = "3/m"
    cache.clear()
    client = Client(REMOTE_ADDR="198.51.100.30")
    responses = [client.get("/api/v1/pillars/", HTTP_AUTHORIZATION=f"Bearer sk_wrong_{i}") for i in range(4)]
    cache.clear()

    assert [r.status_code for r in responses] == [401, 401, 401, 429]
    assert responses[-1]["Content-Type"] == "application/json"
    assert responses[-1].json()["error"]["status"] == 429 and responses[-1].json()["error"]["code"] == "throttled"
