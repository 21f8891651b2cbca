from rest_framework.throttling import SimpleRateThrottle

from .authentication import PartnerUser


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
