"""Health endpoints for load balancers, orchestrators and the compose stack.

/health/live/  liveness: the process answers; touches nothing else (a restart would not fix a database outage).
/health/       readiness: the database answers and every migration is applied, the cache and the Celery broker
               answer (when Redis is configured), the private media storage is writable. 200 when all pass;
               otherwise 503 with Retry-After, naming each failing check. JSON either way.

Every check is a single round trip (a SELECT 1, a cache get, a broker PING, a file write in a temporary name),
and the migration check is remembered once it has passed, so a probe every few seconds costs next to nothing.
"""

import logging
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10
# Each dependency gets this long to answer before the check counts as failed.
CHECK_TIMEOUT_SECONDS = 3

_migrations_applied = False


def check_database() -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_migrations() -> None:
    """Fails while the code expects migrations the database does not have yet (e.g. during a deploy that has
    not run `migrate`). Remembered once true: migrations never go back while the process lives."""
    global _migrations_applied
    if _migrations_applied:
        return
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        raise RuntimeError(f"{len(pending)} migration(s) not applied")
    _migrations_applied = True


def check_cache() -> None:
    key = "health:probe"
    cache.set(key, "ok", timeout=30)
    if cache.get(key) != "ok":
        raise RuntimeError("the cache did not return what was stored")


def check_broker() -> None:
    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_connect_timeout=CHECK_TIMEOUT_SECONDS, socket_timeout=CHECK_TIMEOUT_SECONDS
    )
    try:
        client.ping()
    finally:
        client.close()


def check_storage() -> None:
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=root, prefix=".health-", delete=True) as handle:
        handle.write(b"ok")
        handle.flush()


def active_checks() -> dict[str, Callable[[], None]]:
    checks: dict[str, Callable[[], None]] = {"database": check_database, "migrations": check_migrations}
    checks["cache"] = check_cache
    if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        checks["broker"] = check_broker
    checks["storage"] = check_storage
    return checks


def run_checks() -> dict[str, dict[str, object]]:
    """Each check's outcome: ok True, False (with the error), or None when skipped for a failure before it."""
    results: dict[str, dict[str, object]] = {}
    database_ok = True
    for name, check in active_checks().items():
        if name == "migrations" and not database_ok:
            results[name] = {"ok": None, "skipped": "the database is unavailable"}
            continue
        started = time.perf_counter()
        try:
            check()
        except Exception as error:  # noqa: BLE001 - any failure of a dependency is what this reports
            results[name] = {"ok": False, "error": f"{type(error).__name__}: {error}".strip()[:300]}
            logger.warning("health check %s failed: %s", name, type(error).__name__)
            if name == "database":
                database_ok = False
        else:
            results[name] = {"ok": True}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return results


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    results = run_checks()
    failing = [name for name, result in results.items() if result["ok"] is False]
    body = {"status": "unavailable" if failing else "ok", "failing": failing, "checks": results}
    response = JsonResponse(body, status=503 if failing else 200)
    if failing:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@never_cache
@require_GET
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


class HealthCheckMiddleware:
    """Serves /health/ and /health/live/ ahead of the host check and the HTTPS redirect: probes come over plain
    HTTP from the load balancer or orchestrator, addressed by IP rather than by the public host name."""

    routes: dict[str, Callable[[HttpRequest], HttpResponse]] = {"/health/": health, "/health/live/": live}

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = self.routes.get(request.path)
        if view is not None:
            return view(request)
        return self.get_response(request)
