"""Settings an operator relies on: secrets from *_FILE, mail to an absolute directory, Celery queues and limits,
JSON logs without personal data, error reporting only with a DSN."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import environ
import pytest
from celery import current_app
from django.core.exceptions import ImproperlyConfigured

from sonitec import config, observability
from sonitec.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "ALLOWED_HOSTS": "crm.sonitec.example",
}
CONFIG_VARS = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_URL", "SENTRY_DSN", "LOG_FORMAT", "DATABASE_URL")


def django_shell(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS and not k.endswith("_FILE")}
    return subprocess.run(  # noqa: S603 - fixed arguments, our own manage.py
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- secrets from files -------------------------------------------------------------------------------------------


@pytest.mark.child_process
def test_production_starts_with_its_secret_key_from_a_file(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("from-a-mounted-secret-" + "k" * 40 + "\n")  # trailing newline, as `echo` writes it
    result = django_shell(
        "from django.conf import settings; print(repr(settings.SECRET_KEY), settings.LOG_FORMAT)",
        {**PRODUCTION_ENV, "SECRET_KEY_FILE": str(secret)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr("from-a-mounted-secret-" + "k" * 40) + " json"  # production logs JSON


@pytest.mark.child_process
def test_a_database_url_from_a_file_wins_over_the_plain_variable(tmp_path):
    url_file = tmp_path / "database_url"
    url_file.write_text(f"sqlite:///{tmp_path / 'from-file.sqlite3'}\n")
    result = django_shell(
        "from django.conf import settings; print(settings.DATABASES['default']['NAME'])",
        {"DATABASE_URL": "sqlite:///ignored.sqlite3", "DATABASE_URL_FILE": str(url_file)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(tmp_path / "from-file.sqlite3")


@pytest.mark.child_process
def test_a_missing_secret_file_stops_the_start_with_a_clear_error(tmp_path):
    result = django_shell(
        "from django.conf import settings; print('started', settings.DEBUG)",
        {**PRODUCTION_ENV, "SECRET_KEY_FILE": str(tmp_path / "nowhere")},
    )
    assert result.returncode != 0
    assert "started" not in result.stdout
    assert "SECRET_KEY_FILE names" in result.stderr and "cannot be read" in result.stderr


def test_secret_file_mapping_reads_files_and_falls_back_to_the_environment(tmp_path):
    (tmp_path / "dsn").write_text("https://key@errors.example/1\r\n")
    mapping = config.SecretFileMapping({"SENTRY_DSN_FILE": str(tmp_path / "dsn"), "PLAIN": "value"})
    assert mapping["SENTRY_DSN"] == "https://key@errors.example/1"
    assert mapping["PLAIN"] == "value"
    assert "SENTRY_DSN" in mapping and "OTHER" not in mapping
    with pytest.raises(KeyError):
        mapping["OTHER"]
    with pytest.raises(ImproperlyConfigured):
        config.SecretFileMapping({"X_FILE": str(tmp_path / "missing")})["X"]


# --- mail ---------------------------------------------------------------------------------------------------------


class _Env(environ.Env):
    def __init__(self, values: dict[str, str]):
        super().__init__()
        self.ENVIRON = values  # type: ignore[misc]


def test_filemail_with_an_absolute_path_writes_there(tmp_path):
    settings = config.email_settings(_Env({"EMAIL_URL": f"filemail://{tmp_path}/outbox"}))
    assert settings["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert settings["EMAIL_FILE_PATH"] == f"{tmp_path}/outbox"


def test_filemail_with_a_relative_path_stays_relative():
    assert config.email_settings(_Env({"EMAIL_URL": "filemail://mail/out"}))["EMAIL_FILE_PATH"] == "mail/out"


@pytest.mark.child_process
def test_mail_sent_with_filemail_lands_in_the_absolute_directory(tmp_path):
    outbox = tmp_path / "mail"
    code = (
        "from django.core.mail import send_mail; "
        "send_mail('Hello', 'Body', 'crm@sonitec.example', ['someone@example.org'])"
    )
    result = django_shell(code, {"EMAIL_URL": f"filemail://{outbox}"})
    assert result.returncode == 0, result.stderr
    [written] = list(outbox.iterdir())
    assert "Subject: Hello" in written.read_text()


# --- Celery -------------------------------------------------------------------------------------------------------


def test_each_task_is_routed_to_a_declared_queue():
    celery_app.loader.import_default_modules()
    queues = {queue.name for queue in celery_app.amqp.queues.values()}
    assert queues == {"default", "email", "webhooks"}
    router = celery_app.amqp.router
    routed = {}
    for name in celery_app.tasks:
        if name.startswith("celery."):
            continue
        route = router.route({}, name)
        routed[name] = route["queue"].name
    assert set(routed.values()) <= queues
    email_tasks = [name for name, queue in routed.items() if queue == "email"]
    webhook_tasks = [name for name, queue in routed.items() if queue == "webhooks"]
    assert email_tasks and all("send_message" in name for name in email_tasks)
    assert webhook_tasks and all("webhook" in name for name in webhook_tasks)
    assert routed["messaging.dispatch_due_followups"] == "default"
    assert routed["partners.retry_due_webhooks"] == "default"  # the sweep is light; the deliveries it queues are not


def test_workers_take_one_task_at_a_time_ack_late_and_are_recycled():
    conf = current_app.conf
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_acks_late is True
    assert conf.worker_max_tasks_per_child and conf.worker_max_tasks_per_child > 0
    assert conf.worker_hijack_root_logger is False


# --- logs ---------------------------------------------------------------------------------------------------------


@pytest.mark.child_process
def test_production_logs_are_json_lines_with_request_id_user_path_status_and_duration(tmp_path):
    code = """
import logging
from django.test import Client
from sonitec.models import User
from django.core.management import call_command
call_command("migrate", verbosity=0)
user = User.objects.create_user(
    username="rosa", email="rosa.parks@example.org", password="pw-long-enough-1", is_staff=True, is_superuser=True
)
client = Client()
client.force_login(user)
client.get("/admin/candidates/candidate/?q=rosa.parks@example.org", HTTP_X_REQUEST_ID="req-abcdef123")
client.get("/no-such-page/?email=rosa.parks@example.org")
"""
    # JSON is the production default (see the secret-file test); asked for here so DEBUG's static files work.
    env = {
        "LOG_FORMAT": "json",
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'logs.sqlite3'}",
    }
    result = django_shell(code, env)
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    request_line, not_found_line = [line for line in lines if line.get("logger") == "sonitec.requests"]
    assert request_line["request_id"] == "req-abcdef123"
    assert request_line["path"] == "/admin/candidates/candidate/"
    assert request_line["method"] == "GET"
    assert request_line["status"] == 200
    assert (
        not_found_line["status"] == 404
        and not_found_line["request_id"] != "req-abcdef123"
        and isinstance(request_line["duration_ms"], float)
    )
    assert isinstance(request_line["user_id"], int)
    assert any(line.get("logger") == "django.request" for line in lines)  # Django's own "Not Found" warning
    assert "rosa" not in result.stderr.lower()  # neither the name nor the email from the query string


def test_a_celery_task_logs_its_name_id_and_outcome(caplog):
    with caplog.at_level(logging.INFO, logger="sonitec.tasks"):
        result = _ping.apply()
    assert result.successful()
    [record] = [r for r in caplog.records if r.name == "sonitec.tasks"]
    assert record.task_name == _ping.name
    assert record.task_id == result.id
    assert record.outcome == "SUCCESS"


@celery_app.task(name="tests.operations.ping")
def _ping() -> str:
    return "pong"


# --- error reporting ----------------------------------------------------------------------------------------------

SENTRY_STATE = (
    "import sentry_sdk; client = sentry_sdk.get_client(); "
    "print(client.is_active(), client.options.get('send_default_pii'), "
    "sorted(i for i in client.integrations if i in ('django', 'celery', 'redis')))"
)


@pytest.mark.child_process
def test_sentry_reports_only_when_a_dsn_is_set_and_sends_no_personal_data():
    off = django_shell(SENTRY_STATE, {})
    assert off.returncode == 0, off.stderr
    assert off.stdout.strip().startswith("False")
    on = django_shell(SENTRY_STATE, {"SENTRY_DSN": "https://public@errors.sonitec.example/1"})
    assert on.returncode == 0, on.stderr
    assert on.stdout.strip() == "True False ['celery', 'django', 'redis']"


def test_events_sent_to_sentry_carry_no_request_body_cookies_or_search_terms():
    event = {
        "request": {
            "url": "https://crm.sonitec.example/admin/candidates/candidate/",
            "method": "POST",
            "data": {"email": "ada@example.org"},
            "cookies": {"sessionid": "secret"},
            "query_string": "q=ada",
        }
    }
    assert config.sentry_strip_request_data(event, {})["request"] == {
        "url": "https://crm.sonitec.example/admin/candidates/candidate/",
        "method": "POST",
    }


def test_the_request_id_travels_with_the_tasks_a_request_queues():
    observability.request_id_var.set("req-0123456789")
    headers: dict = {}
    observability._pass_request_id(headers=headers)
    assert headers == {"request_id": "req-0123456789"}

    observability.request_id_var.set(None)
    task = SimpleNamespace(name="messaging.send_message", request=SimpleNamespace(request_id="req-0123456789"))
    observability._task_started_signal(task_id="t-1", task=task)
    assert (observability.request_id_var.get(), observability.task_id_var.get()) == ("req-0123456789", "t-1")
    observability._task_finished_signal(task_id="t-1", task=task, state="SUCCESS")
    assert observability.request_id_var.get() is None
