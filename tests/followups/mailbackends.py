"""Email backends for the follow-up tests, selected with EMAIL_BACKEND (also in a worker's environment).

Recipients script failures: "flakyN-…@…" fails its first N attempts with a dropped connection (transient),
"bounce-…@…" is refused with 550 (permanent). Everything else is delivered.
"""

import os
import re
import smtplib
import time

from django.core.mail.backends.locmem import EmailBackend as LocMemBackend
from django.db import connection

SENT_TABLE = "test_followups_sent_email"


def _fail_if_scripted(message) -> None:
    recipient = message.to[0].rsplit("<", 1)[-1].strip(">")
    attempt = int(message.extra_headers.get("X-Sonitec-Attempt", "1"))
    flaky = re.match(r"flaky(\d+)-", recipient)
    if flaky and attempt <= int(flaky.group(1)):
        raise smtplib.SMTPServerDisconnected(f"Connection unexpectedly closed (attempt {attempt})")
    if recipient.startswith("bounce-"):
        raise smtplib.SMTPRecipientsRefused({recipient: (550, b"5.1.1 No such mailbox")})


class ScriptedBackend(LocMemBackend):
    """locmem (django.core.mail.outbox), with scripted failures."""

    def send_messages(self, messages):
        for message in messages:
            _fail_if_scripted(message)
        return super().send_messages(messages)


class RecordingBackend(ScriptedBackend):
    """Records every delivery as a row in a table the test created, in the sender's transaction."""

    def send_messages(self, messages):
        delay = float(os.environ.get("RECORDING_BACKEND_DELAY", "0"))
        for message in messages:
            _fail_if_scripted(message)
            if delay:
                time.sleep(delay)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {SENT_TABLE} (message_id, to_email, pid) VALUES (%s, %s, %s)",  # noqa: S608
                    [int(message.extra_headers["X-Sonitec-Message"]), message.to[0], os.getpid()],
                )
        return len(messages)


class CountingBackend(ScriptedBackend):
    """locmem, counting the connections opened (a real backend opens one per SMTP session)."""

    opened = 0
    is_open = False

    def open(self):
        if self.is_open:
            return False
        self.is_open = True
        CountingBackend.opened += 1
        return True

    def close(self):
        self.is_open = False


class CrashingBackend(RecordingBackend):
    """Records deliveries like RecordingBackend; the process "dies" (SystemExit, which no handler swallows)
    when it reaches a "crash-…" recipient, once."""

    crashed = False

    def send_messages(self, messages):
        for message in messages:
            if message.to[0].startswith("crash-") and not CrashingBackend.crashed:
                CrashingBackend.crashed = True
                raise SystemExit("the worker died")
        return super().send_messages(messages)
