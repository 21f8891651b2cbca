"""Who is calling: a partner's tool with `Authorization: Bearer <key>`, or a staff member with their admin session."""

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.module_loading import import_string
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from sonitec import two_factor
from sonitec.public import Guard, client_address, clock, parse_rate, sliding_window_count, sliding_window_hit

if TYPE_CHECKING:
    from partners.models import ApiKey, Partner


class KeyAuthenticator(Protocol):
    """Finds the live key for a secret; calls `before_database` (which may raise) before reading the database."""

    def __call__(self, *, key: str, before_database: Callable[[], None]) -> "ApiKey | None": ...


@cache
def key_authenticator() -> KeyAuthenticator:
    """The function that checks a key (settings.API_KEY_AUTHENTICATOR): the API's infrastructure knows how keys
    are presented, the partners app knows which keys are valid."""
    return import_string(settings.API_KEY_AUTHENTICATOR)


class PartnerUser(AnonymousUser):
    """Stands in for request.user on partner calls: authenticated, but never staff and without model permissions."""

    def __init__(self, api_key: "ApiKey") -> None:
        self.api_key = api_key
        self.partner: Partner = api_key.partner

    @property
    def is_authenticated(self) -> bool:  # type: ignore[override]
        return True

    @property
    def is_anonymous(self) -> bool:  # type: ignore[override]
        return False

    def __str__(self) -> str:
        return f"partner:{self.partner.pk}"


LOCKED_OUT = "Too many failed API-key attempts from this address; try again later."


def failed_keys(request) -> Guard:
    """The sliding window of failed keys per client address (settings.API_FAILED_KEY_RATE), keyed like DRF's
    anonymous throttle (REMOTE_ADDR, or X-Forwarded-For as far as TRUSTED_PROXIES or NUM_PROXIES trust it)."""
    limit, window = parse_rate(settings.API_FAILED_KEY_RATE)
    return f"api-failed-key:{client_address(request._request)}", limit, window


def refuse_if_locked_out(request) -> None:
    key, limit, window = failed_keys(request)
    if sliding_window_count(key, window=window, now=clock()) >= limit:
        raise exceptions.Throttled(detail=LOCKED_OUT)


class PartnerKeyAuthentication(authentication.BaseAuthentication):
    """A partner's key. An address that sent too many wrong keys is refused before any key is looked up in the
    database; a key found in the cache meets that lockout at PartnerKeyThrottle, in the same Redis call as its
    rate, rather than in a call of its own."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _, key = header.partition(" ")
        if keyword.lower() != self.keyword.lower():
            return None
        key = key.strip()
        if not key or " " in key:
            raise exceptions.AuthenticationFailed("Malformed Authorization header: use 'Bearer <key>'.")
        api_key = key_authenticator()(key=key, before_database=lambda: refuse_if_locked_out(request))
        if api_key is None:
            # Recorded up to the limit, which keeps the address refused while the window holds it.
            failed, limit, window = failed_keys(request)
            sliding_window_hit(failed, limit=limit, window=window, now=clock())
            raise exceptions.AuthenticationFailed("Unknown, revoked or expired API key.")
        return PartnerUser(api_key), api_key

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (not 403) with a WWW-Authenticate challenge when credentials are missing.
        return 'Bearer realm="api"'


class StaffSessionAuthentication(authentication.SessionAuthentication):
    """The admin session, for staff tools; CSRF is enforced as usual for unsafe methods. A session still owing its
    two-factor code (or a superuser's device) counts for nothing here, as in the admin."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None or not result[0].is_staff or two_factor.step_owed(result[0]) is not None:
            return None
        return result


class PartnerKeyScheme(OpenApiAuthenticationExtension):
    target_class = PartnerKeyAuthentication
    name = "partnerKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A partner API key: `Authorization: Bearer sk_…` (create one with "
            "`manage.py create_partner`).",
        }


class StaffSessionScheme(OpenApiAuthenticationExtension):
    target_class = StaffSessionAuthentication
    name = "staffSession"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": "A staff member's admin session; unsafe methods also need the X-CSRFToken header.",
        }
