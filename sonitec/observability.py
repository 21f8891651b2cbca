"""What operators see: one log record per request and per Celery task, with request ids.

Records carry ids (request, user, task), paths without query strings, statuses and durations; never names,
email addresses or request bodies, which are personal data. `settings.LOGGING` (sonitec/config.py) formats them
as JSON lines in production and as console lines in development.
"""

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from celery import signals
from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

request_log = logging.getLogger("sonitec.requests")
task_log = logging.getLogger("sonitec.tasks")

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
user_id_var: contextvars.ContextVar[int | None] = contextvars.ContextVar("user_id", default=None)
task_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("task_id", default=None)
task_name_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("task_name", default=None)

REQUEST_ID_HEADER = "X-Request-ID"
# A request id handed in by a proxy is kept only if it looks like one (it ends up in every log line).
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class ContextFilter(logging.Filter):
    """Adds the current request id, user id and task id/name to every record, so any line can be traced."""

    def filter(self, record: logging.LogRecord) -> bool:
        for field, var in (
            ("request_id", request_id_var),
            ("user_id", user_id_var),
            ("task_id", task_id_var),
            ("task_name", task_name_var),
        ):
            if not hasattr(record, field):
                setattr(record, field, var.get())
        # Django's request logger attaches the request, whose text shows the query string (searches hold names
        # and emails): keep the method and path only.
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest):
            record.request = f"{request.method} {request.path}"
        return True


def _user_id(request: HttpRequest) -> int | None:
    """The signed-in user's id, if something in the request already looked the user up (never a query here:
    the request may have failed because the database is down)."""
    user: Any = getattr(request, "user", None)
    if user is None:
        return None
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is empty:
        return None
    return getattr(wrapped, "pk", None)


class RequestLogMiddleware:
    """Outermost middleware: gives each request an id (kept from X-Request-ID when a proxy sets a valid one,
    returned in the response's X-Request-ID) and logs method, path, status, duration and user id once it ends."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        # Set, not reset at the end: Django logs its own line for 4xx/5xx responses after the middleware returns,
        # and that line should carry the id too. The next request on this thread sets its own.
        request_id_var.set(request_id)
        user_id_var.set(None)
        started = time.perf_counter()
        response = self.get_response(request)
        user_id = _user_id(request)
        user_id_var.set(user_id)
        response[REQUEST_ID_HEADER] = request_id
        request_log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user_id,
            },
        )
        return response


# Celery: one record per task run, and the request id of the web request that queued it.
_task_started: dict[str, float] = {}


@signals.before_task_publish.connect
def _pass_request_id(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    request_id = request_id_var.get()
    if headers is not None and request_id:
        headers.setdefault("request_id", request_id)


@signals.task_prerun.connect
def _task_started_signal(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    task_id_var.set(task_id)
    task_name_var.set(getattr(task, "name", None))
    request_id_var.set(getattr(getattr(task, "request", None), "request_id", None))
    if task_id:
        _task_started[task_id] = time.perf_counter()


@signals.task_postrun.connect
def _task_finished_signal(task_id: str | None = None, task: Any = None, state: str | None = None, **kwargs: Any):
    started = _task_started.pop(task_id or "", None)
    level = logging.WARNING if state in ("FAILURE", "RETRY") else logging.INFO
    task_log.log(
        level,
        "task %s %s",
        getattr(task, "name", "?"),
        state,
        extra={
            "task_name": getattr(task, "name", None),
            "task_id": task_id,
            "outcome": state,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started is not None else None,
        },
    )
    task_id_var.set(None)
    task_name_var.set(None)
    request_id_var.set(None)


@signals.task_failure.connect
def _task_failed_signal(task_id: str | None = None, exception: BaseException | None = None, sender: Any = None, **kw):
    # The exception's type only: its message may quote the data the task was working on.
    task_log.error(
        "task %s raised %s",
        getattr(sender, "name", "?"),
        type(exception).__name__,
        extra={"task_id": task_id, "task_name": getattr(sender, "name", None), "exception": type(exception).__name__},
    )
