"""Pieces shared by the public pages: the honeypot field, the per-IP rate limit, the request size limit."""

import logging
from collections.abc import Callable
from functools import wraps

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

HONEYPOT_FIELD = "fax_number"


class HoneypotForm(forms.Form):
    """A form with a field people never see (hidden by CSS, skipped by keyboard and screen readers) but bots fill.

    A filled honeypot makes `is_spam()` true; the view then shows the usual thank-you and stores nothing, so the
    bot learns nothing from the response.
    """

    fax_number = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_spam(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())


def form_rate_limited(group: str) -> Callable:
    """Limit POSTs to a public form per client IP (settings.PUBLIC_FORM_RATE, e.g. "5/m"): over it, a 429 page.

    The count lives in the default cache (Redis when REDIS_URL is set, so all web processes share it). If the
    cache is unreachable the form stays open: losing a client's enquiry is worse than a short unthrottled spell.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method == "POST":
                try:
                    limited = is_ratelimited(
                        request,
                        group=f"public:{group}",
                        key="ip",
                        rate=settings.PUBLIC_FORM_RATE,
                        method="POST",
                        increment=True,
                    )
                except (RedisError, OSError):  # the cache is down: log it and let the visitor through
                    logger.exception("Rate-limit cache unavailable; %s form not throttled", group)
                    limited = False
                if limited:
                    return render(request, "public/429.html", status=429)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


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
