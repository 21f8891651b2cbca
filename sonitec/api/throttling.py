from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from sonitec.public import client_address

from .authentication import PartnerUser


class AnonAddressThrottle(AnonRateThrottle):
    """Anonymous requests per client address, as our proxies report it (TRUSTED_PROXIES or NUM_PROXIES)."""

    def get_ident(self, request) -> str:
        return client_address(request._request)


class PartnerKeyThrottle(SimpleRateThrottle):
    """Requests per API key (rate in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["partner_key"])."""

    scope = "partner_key"

    def get_cache_key(self, request, view):
        if not isinstance(request.user, PartnerUser):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.api_key.pk}


class StaffUserThrottle(SimpleRateThrottle):
    scope = "staff_user"

    def get_cache_key(self, request, view):
        if isinstance(request.user, PartnerUser) or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
