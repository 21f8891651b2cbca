"""Two-factor sign-in (django-otp, TOTP): a staff member turns it on for themselves, then the admin asks for a code
after the password; REQUIRE_2FA_FOR_SUPERUSERS sends a superuser without a device to set one up first."""

import runpy
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from sonitec.staff_groups import RECRUITER
from tests import factories

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's


def _code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def _sign_in(username: str) -> Client:
    client = Client()
    response = client.post(reverse("admin:login"), {"username": username, "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302
    return client


def _enrolled(user) -> TOTPDevice:
    return factories.TOTPDeviceFactory(user=user)


def test_a_staff_member_turns_it_on_with_the_qr_code_and_a_code_from_their_app(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no wait after the wrong code (test_wrong_codes_slow_down_the_next)
    factories.UserFactory(username="sam", is_superuser=False)
    client = _sign_in("sam")
    setup = reverse("two_factor_setup")

    page = client.get(setup).content.decode()
    device = TOTPDevice.objects.get(user__username="sam", confirmed=False)
    assert "<svg" in page and 'id="totp-qr"' in page
    assert "otpauth://totp/Sonitec%20CRM%3Asam?secret=" in page.replace("&amp;", "&")
    secret = page.split('id="totp-secret">')[1].split("<")[0]
    assert secret and f"secret={secret}" in page.replace("&amp;", "&")

    wrong = client.post(setup, {"code": "000000" if _code(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and "not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user__username="sam", confirmed=True).exists()

    right = client.post(setup, {"code": _code(device)})
    assert right.status_code == 302
    assert TOTPDevice.objects.get(user__username="sam").confirmed
    assert client.get(reverse("admin:index")).status_code == 200  # this session is verified already


def test_the_user_menu_links_to_the_two_factor_page(admin_client):
    assert reverse("two_factor_setup") in admin_client.get(reverse("admin:index")).content.decode()


def test_after_the_password_the_admin_asks_for_the_code(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no wait after the wrong code (test_wrong_codes_slow_down_the_next)
    sam = factories.UserFactory(username="sam", is_superuser=False)
    sam.groups.add(factories.staff_group(RECRUITER))
    device = _enrolled(sam)
    client = _sign_in("sam")

    for page in [reverse("admin:index"), reverse("admin:candidates_candidate_changelist")]:
        response = client.get(page)
        assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor_verify"))
    assert client.get("/api/v1/staff/candidates/").status_code in (401, 403)  # nor the staff API

    verify = reverse("two_factor_verify")
    assert client.post(verify, {"code": _code(device, steps_ahead=20)}).status_code == 200  # a code from later
    assert client.get(reverse("admin:index")).status_code == 302
    response = client.post(f"{verify}?next=/admin/candidates/candidate/", {"code": _code(device)})
    assert response.status_code == 302 and response["Location"] == "/admin/candidates/candidate/"
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get("/api/v1/staff/candidates/").status_code == 200


def test_wrong_codes_slow_down_the_next_attempt_even_with_the_right_code():
    device = _enrolled(factories.UserFactory(username="sam", is_superuser=False))
    client = _sign_in("sam")
    verify = reverse("two_factor_verify")

    client.post(verify, {"code": _code(device, steps_ahead=20)})
    client.post(verify, {"code": _code(device)})

    assert client.get(reverse("admin:index")).status_code == 302  # the right code, too soon, was refused
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_without_a_device_a_recruiter_signs_in_with_the_password_alone(settings):
    settings.REQUIRE_2FA_FOR_SUPERUSERS = True  # only superusers are held to it
    factories.UserFactory(username="sam", is_superuser=False)
    assert _sign_in("sam").get(reverse("admin:index")).status_code == 200


def test_a_superuser_without_a_device_sets_one_up_before_any_admin_page_when_required(settings):
    settings.REQUIRE_2FA_FOR_SUPERUSERS = True
    factories.UserFactory(username="root", is_superuser=True)
    client = _sign_in("root")

    response = client.get(reverse("admin:sonitec_user_changelist"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor_setup"))
    page = client.get(reverse("two_factor_setup")).content.decode()
    assert "Superusers must use two-factor sign-in" in page
    device = TOTPDevice.objects.get(user__username="root")
    client.post(reverse("two_factor_setup"), {"code": _code(device)})
    assert client.get(reverse("admin:sonitec_user_changelist")).status_code == 200


def test_when_not_required_a_superuser_signs_in_with_the_password_alone(settings):
    settings.REQUIRE_2FA_FOR_SUPERUSERS = False  # `make run`: DEBUG on, the demo logins stay password-only
    factories.UserFactory(username="root", is_superuser=True)
    assert _sign_in("root").get(reverse("admin:index")).status_code == 200


def test_turning_it_off_removes_the_device():
    device = _enrolled(factories.UserFactory(username="sam", is_superuser=False))
    client = _sign_in("sam")
    client.post(reverse("two_factor_verify"), {"code": _code(device)})

    client.post(reverse("two_factor_setup"), {"turn_off": "1"})

    assert not TOTPDevice.objects.filter(user__username="sam").exists()
    assert _sign_in("sam").get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize(("debug", "required"), [("false", True), ("true", False)])
def test_the_requirement_is_on_by_default_when_debug_is_off(monkeypatch, debug, required):
    monkeypatch.delenv("REQUIRE_2FA_FOR_SUPERUSERS", raising=False)
    monkeypatch.setenv("DEBUG", debug)
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret-" + "x7Qp2Lm9Zr4Tb8Wn" * 3)
    monkeypatch.setenv("ALLOWED_HOSTS", "crm.sonitec.example")
    read = runpy.run_path(str(Path(django_settings.BASE_DIR) / "sonitec" / "settings.py"))
    assert read["REQUIRE_2FA_FOR_SUPERUSERS"] is required
