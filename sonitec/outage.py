"""When the database or Redis is unreachable, answer 503 with Retry-After instead of a 500.

A restart of PostgreSQL or Redis is an outage of seconds: clients should wait and retry (API clients with the same
Idempotency-Key), and load balancers should not count it as an application bug. Under /api/ the answer is the
API's JSON error shape; elsewhere a branded page. Nothing else is needed to recover: Django checks pooled
connections before reuse (CONN_HEALTH_CHECKS) and drops broken ones, so the first request after the outage works.
"""

import logging
import sys

import kombu.exceptions
import redis.exceptions
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import defaults

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
OUTAGE_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,  # PostgreSQL down, restarting, refusing connections; SQLite locked
    InterfaceError,  # a connection closed under us
    redis.exceptions.ConnectionError,  # cache or rate-limit store down (includes redis timeouts' parent class)
    redis.exceptions.TimeoutError,
    kombu.exceptions.OperationalError,  # the Celery broker could not take a task
)


def is_outage(error: BaseException | None) -> bool:
    return isinstance(error, OUTAGE_ERRORS)


def outage_response(request: HttpRequest) -> HttpResponse:
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {
                "error": {
                    "status": 503,
                    "code": "service_unavailable",
                    "message": "The service is briefly unavailable. Retry after the number of seconds in Retry-After.",
                }
            },
            status=503,
        )
    else:
        response = render(request, "public/503.html", {"retry_after": RETRY_AFTER_SECONDS}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class ServiceUnavailableMiddleware:
    """Turns an outage raised by a view into a 503 (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_outage(exception):
            return None
        logger.warning("dependency unavailable, answered 503: %s", type(exception).__name__)
        return outage_response(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: an outage raised outside a view (in a middleware, e.g. saving the session) is a 503 too."""
    if is_outage(sys.exc_info()[1]):
        return outage_response(request)
    return defaults.server_error(request)
