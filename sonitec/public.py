"""Pieces shared by the public pages: the honeypot field, the client's address, the per-address rate limit (a
sliding window), the request size limit."""

import ipaddress
import logging
import math
import threading
import time
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Named so that no browser's autofill takes it for a contact detail (not name-, address-, phone-, url-, company-
# or fax-like), so a person never fills it by accident; bots that fill every field do.
HONEYPOT_FIELD = "hp_sonitec_check"


class HoneypotForm(forms.Form):
    """A form with a field people never see (hidden by CSS, skipped by keyboard and screen readers) but bots fill.

    A filled honeypot makes `is_spam()` true; the view then stores the post flagged as spam (administrators see it
    in the triage list, a periodic task purges it after 30 days), sends nothing, and shows the usual thank-you.
    """

    hp_sonitec_check = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1", "aria-hidden": "true"}),
    )

    @property
    def honeypot(self) -> forms.BoundField:
        return self[HONEYPOT_FIELD]

    def is_spam(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())

    def service_data(self) -> dict[str, Any]:
        """The cleaned input without the honeypot, for the service."""
        return {key: value for key, value in self.cleaned_data.items() if key != HONEYPOT_FIELD}


def client_address(request: HttpRequest) -> str:
    """The visitor's address, which no client can forge.

    REMOTE_ADDR, unless it is one of our proxies: with TRUSTED_PROXIES (addresses or networks) set, the right-most
    X-Forwarded-For entry that is not one of them; with NUM_PROXIES set instead, the entry that many proxies from
    the right (as DRF counts). Entries further left were written by the client and are never trusted.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    forwarded = [part.strip() for part in request.headers.get("x-forwarded-for", "").split(",") if part.strip()]
    trusted = _trusted_proxies()
    if trusted:
        if not _is_trusted(remote, trusted):
            return remote
        for address in reversed(forwarded):
            if not _is_trusted(address, trusted):
                return address
        return forwarded[0] if forwarded else remote
    num_proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES", 0)
    if num_proxies and forwarded:
        return forwarded[-min(num_proxies, len(forwarded))]
    return remote


def _trusted_proxies() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(network, strict=False) for network in settings.TRUSTED_PROXIES]


def client_ip(request: HttpRequest) -> str | None:
    """client_address() where an IP address is stored (the admin's sign-in lockout): None when the request carries
    no address (test clients, sockets)."""
    address = client_address(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _is_trusted(address: str, trusted: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False  # not an address: whoever wrote it is not one of our proxies
    return any(ip in network for network in trusted)


_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# Atomic in Redis: forget hits older than the window, refuse when `limit` remain, else record this one.
_SLIDING_WINDOW_LUA = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2]) * 1000))
return 1
"""
_local_lock = threading.Lock()


def parse_rate(rate: str) -> tuple[int, float]:
    """ "5/m" -> (5, 60.0); "10/30s" -> (10, 30.0)."""
    count, period = rate.split("/")
    multiplier = int(period[:-1]) if period[:-1] else 1
    return int(count), float(multiplier * _PERIODS[period[-1]])


# The same, guarded: first refuse (-1) while a second window holds its own limit of hits.
_GUARDED_SLIDING_WINDOW_LUA = (
    """
if redis.call('ZCOUNT', KEYS[2], '(' .. (tonumber(ARGV[1]) - tonumber(ARGV[6])), '+inf') >= tonumber(ARGV[5]) then
    return -1
end
"""
    + _SLIDING_WINDOW_LUA
)


class GuardFull(Exception):
    """A guarded hit was refused because the guard's window holds its limit; nothing was recorded."""


Guard = tuple[str, int, float]  # a window's key, its limit and its length in seconds


def sliding_window_hit(key: str, *, limit: int, window: float, now: float, guard: Guard | None = None) -> bool:
    """Record a hit at `now` unless `limit` hits were recorded in the `window` seconds before it; True if
    recorded. A sliding window: no burst passes at a clock-minute boundary, and the boundary is exact.

    With a `guard` (another window's key, limit and length), GuardFull is raised instead while that window holds
    its limit, in the same atomic step (one Redis call for both)."""
    cache = caches["default"]  # the backend itself (the `cache` proxy is not an instance of it)
    if isinstance(cache, RedisCache):
        client = cache._cache.get_client(key, write=True)  # type: ignore[attr-defined]  # Django's Redis client
        member = f"{now}:{uuid.uuid4().hex}"
        if guard is None:
            script = client.register_script(_SLIDING_WINDOW_LUA)
            return bool(script(keys=[cache.make_key(key)], args=[now, window, limit, member]))
        guard_key, guard_limit, guard_window = guard
        script = client.register_script(_GUARDED_SLIDING_WINDOW_LUA)
        recorded = script(
            keys=[cache.make_key(key), cache.make_key(guard_key)],
            args=[now, window, limit, member, guard_limit, guard_window],
        )
        if recorded == -1:
            raise GuardFull
        return bool(recorded)
    with _local_lock:  # local memory (embedded mode): one process, so a lock makes it atomic
        if guard is not None and sliding_window_count(guard[0], window=guard[2], now=now) >= guard[1]:
            raise GuardFull
        hits = [hit for hit in cache.get(key, []) if hit > now - window]
        if len(hits) >= limit:
            return False
        cache.set(key, [*hits, now], timeout=math.ceil(window))
        return True


def sliding_window_count(key: str, *, window: float, now: float) -> int:
    """How many hits `key` recorded in the `window` seconds before `now` (one read; nothing is recorded)."""
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        client = cache._cache.get_client(key)  # type: ignore[attr-defined]
        return int(client.zcount(cache.make_key(key), f"({now - window}", "+inf"))
    return sum(1 for hit in cache.get(key, []) if hit > now - window)


def sliding_window_oldest(key: str) -> float | None:
    """When the oldest hit still in `key`'s window was recorded (to tell a refused client when to come back)."""
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        client = cache._cache.get_client(key)  # type: ignore[attr-defined]
        oldest = client.zrange(cache.make_key(key), 0, 0, withscores=True)
        return float(oldest[0][1]) if oldest else None
    return min(cache.get(key, []), default=None)


def form_rate_limited(group: str) -> Callable:
    """Limit POSTs to a public form per client address (settings.PUBLIC_FORM_RATE, e.g. "5/m": five in any 60
    seconds): over it, a 429 page. Refused posts do not count, so a visitor gets exactly the rate.

    The hits live in the default cache (Redis when REDIS_URL is set, so all web processes share it). If the
    cache is unreachable the form stays open: losing a client's enquiry is worse than a short unthrottled spell.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method == "POST":
                limit, window = parse_rate(settings.PUBLIC_FORM_RATE)
                key = f"public-rate:{group}:{client_address(request)}"
                try:
                    allowed = sliding_window_hit(key, limit=limit, window=window, now=clock())
                except (RedisError, OSError):  # the cache is down: log it and let the visitor through
                    logger.exception("Rate-limit cache unavailable; %s form not throttled", group)
                    allowed = True
                if not allowed:
                    return render(request, "public/429.html", status=429)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def clock() -> float:
    """Seconds since the epoch; tests replace it to place posts exactly in time."""
    return time.time()


def request_too_large(request: HttpRequest, max_bytes: int) -> bool:
    """True when the declared body is over max_bytes; checked before anything reads the body."""
    try:
        return int(request.headers.get("content-length") or 0) > max_bytes
    except ValueError:
        return True


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to the field it names, else at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
