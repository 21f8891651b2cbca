"""Helpers the settings use: secrets from files, mail URLs, Celery queues, logging, error reporting.

Kept apart from settings.py so the settings stay a flat list of names, and so these rules can be tested alone.
"""

import logging
import os
from collections.abc import Iterator, MutableMapping
from typing import Any
from urllib.parse import urlsplit

import environ
import sentry_sdk
from django.core.exceptions import ImproperlyConfigured
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import LoggingIntegration
from sentry_sdk.integrations.redis import RedisIntegration


class SecretFileMapping(MutableMapping[str, str]):
    """os.environ, where `NAME_FILE=/path` supplies NAME from that file (how Docker and Kubernetes mount secrets).

    The file wins over a plain NAME, its trailing newline is dropped (`echo secret > file` adds one), and a
    NAME_FILE naming a missing or unreadable file stops the start with a clear error rather than running without
    the secret.
    """

    def __init__(self, environ_: MutableMapping[str, str] | None = None):
        self.env = os.environ if environ_ is None else environ_

    def __getitem__(self, key: str) -> str:
        path = self.env.get(f"{key}_FILE")
        if path:
            try:
                with open(path, encoding="utf-8") as handle:
                    return handle.read().rstrip("\r\n")
            except OSError as error:
                raise ImproperlyConfigured(
                    f"{key}_FILE names {path}, which cannot be read: {error.strerror}."
                ) from error
        return self.env[key]

    def __iter__(self) -> Iterator[str]:
        yield from self.env
        for key in list(self.env):
            if key.endswith("_FILE") and key[:-5] and key[:-5] not in self.env:
                yield key[:-5]

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and (key in self.env or bool(self.env.get(f"{key}_FILE")))

    def __setitem__(self, key: str, value: str) -> None:
        self.env[key] = value

    def __delitem__(self, key: str) -> None:
        del self.env[key]


class SecretFileEnv(environ.Env):
    """django-environ's Env reading every variable through SecretFileMapping (so SECRET_KEY_FILE,
    DATABASE_URL_FILE, EMAIL_URL_FILE, SENTRY_DSN_FILE, ... all work)."""

    ENVIRON = SecretFileMapping()


def email_settings(env: environ.Env, var: str = "EMAIL_URL", default: str = "consolemail://") -> dict[str, Any]:
    """The EMAIL_* settings for a mail URL. `filemail:///var/mail/crm` means the absolute directory /var/mail/crm
    (django-environ drops the leading slash, which would write under the working directory instead)."""
    url = env.str(var, default=default)
    config = env.email_url_config(url)
    parts = urlsplit(url)
    if parts.scheme == "filemail":
        # filemail:///abs/dir has no host and an absolute path; filemail://rel/dir is relative to the working dir.
        config["EMAIL_FILE_PATH"] = parts.path if not parts.netloc else parts.netloc + parts.path
    return config


# Celery queues: where load differs, work is kept apart, so a slow webhook receiver never delays an email.
TASK_QUEUES: tuple[str, ...] = ("default", "email", "webhooks")
TASK_ROUTES: dict[str, dict[str, str]] = {
    # Outgoing mail: one task per batch of messages in the outbox (and the older one-message task).
    "messaging.send_messages": {"queue": "email"},
    "messaging.send_message": {"queue": "email"},
    # Webhook deliveries to partners' servers, whose response times we do not control.
    "partners.deliver_webhook": {"queue": "webhooks"},
    # Everything else (sweeps, dispatchers, housekeeping) goes to "default".
}


def logging_config(*, json_logs: bool, level: str) -> dict[str, Any]:
    """JSON lines in production (one object per line, with the request or task they belong to); readable
    console lines in development. Records carry ids, never names or email addresses."""
    formatter: dict[str, Any]
    if json_logs:
        formatter = {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "timestamp": False,
        }
    else:
        formatter = {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "sonitec.observability.ContextFilter"}},
        "formatters": {"main": formatter},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "main", "filters": ["context"]}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Our request log replaces runserver's and gunicorn's lines within Django; Celery's own task lines
            # ("Task ... succeeded in ...: <return value>") are replaced by sonitec.tasks records.
            "django.server": {"level": "WARNING"},
            "celery.app.trace": {"level": "WARNING"},
        },
    }


def sentry_strip_request_data(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    """Drop what a request may carry about a person (form and JSON bodies, cookies, search terms)."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("data", "cookies", "query_string"):
            request.pop(key, None)
    return event


def sentry_init(*, dsn: str, environment: str, release: str | None, traces_sample_rate: float) -> None:
    """Errors from Django views, Celery tasks and Redis calls go to Sentry; personal data is not sent (no user
    emails, names, IP addresses, cookies or request bodies)."""

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        send_default_pii=False,
        max_request_body_size="never",
        traces_sample_rate=traces_sample_rate,
        before_send=sentry_strip_request_data,  # type: ignore[arg-type]
        integrations=[
            DjangoIntegration(),
            CeleryIntegration(),
            RedisIntegration(),
            LoggingIntegration(event_level=logging.ERROR),
        ],
    )
