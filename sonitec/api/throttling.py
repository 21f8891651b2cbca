from rest_framework import exceptions
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from sonitec.public import Guard, GuardFull, client_address, sliding_window_hit, sliding_window_oldest

from .authentication import LOCKED_OUT, PartnerUser, failed_keys, refuse_if_locked_out


class SlidingWindow(SimpleRateThrottle):
    """DRF's rates and keys, counted in the public forms' sliding window (sonitec/public.py): one atomic Redis call
    a request, where DRF reads and rewrites the whole list of the window's hits (two calls, and a list as long as
    the rate). Refused requests do not count, as in DRF."""

    # Not DRF's key names: those hold DRF's lists (a plain value) until they expire, and a sorted-set command on
    # one would fail while processes of both kinds run side by side during a deploy.
    cache_format = "api-rate:%(scope)s:%(ident)s"

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        return sliding_window_hit(
            self.key, limit=self.num_requests, window=self.duration, now=self.now, guard=self.guard(request)
        )

    def guard(self, request) -> Guard | None:
        """Another window that refuses the request while full, checked in the same call (see sliding_window_hit)."""
        return None

    def wait(self) -> float:
        """Seconds until the oldest hit leaves the window and a request is let through again."""
        oldest = sliding_window_oldest(self.key)
        return self.duration if oldest is None else max(oldest + self.duration - self.now, 0.0)


class AnonAddressThrottle(SlidingWindow, AnonRateThrottle):
    """Anonymous requests per client address, as our proxies report it (TRUSTED_PROXIES or NUM_PROXIES)."""

    def get_ident(self, request) -> str:
        return client_address(request._request)


class PartnerKeyThrottle(SlidingWindow):
    """Requests per API key (rate in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["partner_key"])."""

    scope = "partner_key"

    def allow_request(self, request, view) -> bool:
        if not isinstance(request.user, PartnerUser):
            return True
        if self.rate is None:
            refuse_if_locked_out(request)  # no rate to record it with: the lockout on its own
            return True
        try:
            return super().allow_request(request, view)
        except GuardFull:
            raise exceptions.Throttled(detail=LOCKED_OUT) from None

    def guard(self, request) -> Guard:
        # The address's failed-key lockout (see PartnerKeyAuthentication).
        return failed_keys(request)

    def get_cache_key(self, request, view):
        if not isinstance(request.user, PartnerUser):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.api_key.pk}


class StaffUserThrottle(SlidingWindow):
    scope = "staff_user"

    def get_cache_key(self, request, view):
        if isinstance(request.user, PartnerUser) or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
