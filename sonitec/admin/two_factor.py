"""The admin pages of two-factor sign-in: set up (or turn off) an authenticator app, and give a code after the
password. Thin: the rules are in sonitec/two_factor.py."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django_otp.plugins.otp_totp.models import TOTPDevice

from .. import two_factor
from ..admin_tools import themed


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _next(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return reverse("admin:index")


def _render(request, template: str, context: dict) -> TemplateResponse:
    return TemplateResponse(request, template, {**admin.site.each_context(request), "next": _next(request), **context})


@never_cache
def setup_page(request):
    """Turn two-factor sign-in on (scan the code, confirm with a code) or off."""
    user = request.user
    context = {
        "title": "Two-factor sign-in",
        "required": user.is_superuser and settings.REQUIRE_2FA_FOR_SUPERUSERS,
    }
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        if request.method == "POST" and "turn_off" in request.POST:
            two_factor.device_remove(user)
            messages.success(request, "Two-factor sign-in is off.")
            return HttpResponseRedirect(reverse("two_factor_setup"))
        return _render(request, "admin/sonitec/two_factor_setup.html", {**context, "enabled": True})
    form = themed(CodeForm(request.POST or None))
    device = two_factor.device_for_enrolment(user)
    if request.method == "POST" and form.is_valid():
        if two_factor.device_confirm(request, device=device, token=form.cleaned_data["code"]):
            messages.success(request, "Two-factor sign-in is on: from now on the admin asks for a code.")
            return HttpResponseRedirect(_next(request))
        form.add_error("code", "That code is not right (or has expired): try the current one.")
    context.update(
        form=form,
        otpauth_uri=device.config_url,
        secret=two_factor.device_secret(device),
        qr_svg=two_factor.qr_code_svg(device),
    )
    return _render(request, "admin/sonitec/two_factor_setup.html", context)


@never_cache
def verify_page(request):
    """The second step of signing in: the code from the staff member's authenticator app."""
    form = themed(CodeForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        if two_factor.sign_in_verify(request, token=form.cleaned_data["code"]):
            return HttpResponseRedirect(_next(request))
        form.add_error("code", "That code is not right (or has expired): try the current one.")
    return _render(request, "admin/sonitec/two_factor_verify.html", {"title": "Sign-in code", "form": form})
