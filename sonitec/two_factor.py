"""Two-factor sign-in for staff: TOTP devices (django-otp), the step a signed-in staff member still owes, and the
middleware that holds them to it.

After the password, a staff member with a confirmed device owes a code ("verify") before any admin page; a
superuser without one owes setting one up ("enrol") while settings.REQUIRE_2FA_FOR_SUPERUSERS is on. The staff
API (sonitec/api/authentication.py) refuses a session that owes either.
"""

from base64 import b32encode
from typing import Literal

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from sonitec import auth_cache

Step = Literal["verify", "enrol"]
DEVICE_NAME = "Authenticator app"


def step_owed(user) -> Step | None:
    """What a signed-in user must still do before the admin opens: nothing for visitors, partners and staff
    already verified by a device this session."""
    # is_verified comes from django-otp's middleware; a request that skipped it is not verified.
    if not (user.is_authenticated and user.is_staff) or getattr(user, "is_verified", bool)():
        return None
    if has_confirmed_device(user):
        return "verify"
    if user.is_superuser and settings.REQUIRE_2FA_FOR_SUPERUSERS:
        return "enrol"
    return None


def has_confirmed_device(user: AbstractBaseUser) -> bool:
    """From the cache, like the user's permissions: confirming or removing a device applies to the next request
    (sonitec/auth_cache.py)."""
    return auth_cache.remembered(
        "confirmed-device", user.pk, TOTPDevice.objects.filter(user=user, confirmed=True).exists
    )


def device_for_enrolment(user: AbstractBaseUser) -> TOTPDevice:
    """The user's unconfirmed device, made on the first visit: the same secret is shown until it is confirmed."""
    device, _created = TOTPDevice.objects.get_or_create(user=user, confirmed=False, defaults={"name": DEVICE_NAME})
    return device


def device_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed in (base32, as in the otpauth URI)."""
    return b32encode(device.bin_key).decode()


def qr_code_svg(device: TOTPDevice) -> str:
    """The device's otpauth URI as an inline SVG QR code."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


def device_confirm(request: HttpRequest, *, device: TOTPDevice, token: str) -> bool:
    """Confirm a new device with a code it made: it then replaces any earlier device, and this session counts as
    verified. False for a wrong code (django-otp slows down repeated wrong codes per device)."""
    if not device.verify_token(token):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return True


def sign_in_verify(request: HttpRequest, *, token: str) -> bool:
    """Check the code of the signed-in user's confirmed device; on success this session counts as verified."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None or not device.verify_token(token):
        return False
    otp_login(request, device)
    return True


def device_remove(user: AbstractBaseUser) -> None:
    TOTPDevice.objects.filter(user=user).delete()


class TwoFactorMiddleware:
    """Sends staff who owe a step to its page, before any other admin page (the pages themselves, sign-out and
    the login page stay open)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/admin/"):
            owed = step_owed(request.user)
            if owed is not None:
                page = reverse("two_factor_verify" if owed == "verify" else "two_factor_setup")
                exempt = (page, reverse("admin:logout"), reverse("admin:login"))
                if request.path_info not in exempt:
                    return HttpResponseRedirect(f"{page}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
