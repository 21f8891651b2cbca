"""The outbox: every outgoing email is a Message row written in the caller's transaction, sent by a Celery task
after commit, exactly once.

- At most once: a worker sends only after its conditional UPDATE moved the row from queued to sending (one
  caller can win), so a task delivered twice, run concurrently or redelivered after a crash never sends twice.
- At least once: a lost task (Redis down at commit, a worker killed) leaves the row queued or sending; the
  periodic sweep enqueues it again. Transient errors retry with exponential backoff and jitter, up to a limit;
  permanent ones (the server refused the address) mark the message failed with the error at once.

The one window left is a crash between the mail server accepting a message and our commit marking it sent;
the sweep then sends it again. The Message-ID header is stable per message, so receiving servers can drop
that duplicate. Sending and marking share one transaction, so a backend that records in the database has no
such window at all.
"""

import logging
import random
import smtplib
from collections.abc import Sequence
from datetime import datetime, timedelta
from email.utils import formataddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from sonitec.bulk import rows_insert
from sonitec.normalise import clean_display_name

from .models import Message, MessageStatus

logger = logging.getLogger(__name__)


def _setting(name: str, default):
    return getattr(settings, name, default)


def max_attempts() -> int:
    return _setting("OUTBOX_MAX_ATTEMPTS", 5)


def retry_delay(*, attempts: int) -> float:
    """Seconds before the next try: doubling per attempt, capped, with jitter so retries do not stampede."""
    base = _setting("OUTBOX_RETRY_BASE_SECONDS", 30.0)
    cap = _setting("OUTBOX_RETRY_MAX_SECONDS", 15 * 60.0)
    delay = min(cap, base * 2 ** max(attempts - 1, 0))
    # Jitter only, not security, so the standard generator is right here.
    return delay * random.uniform(0.5, 1.0)  # nosec B311


def is_transient(error: Exception) -> bool:
    """Worth trying again later: the network or server is unavailable, or the server answered 4xx ("try later").
    A 5xx answer (no such mailbox, sender refused) or any other error will not get better by waiting."""
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    return isinstance(error, OSError)  # connection refused or reset, timeouts, SMTPServerDisconnected


# ---- queueing (inside the caller's transaction) -----------------------------------------------------------


def send_batch_size() -> int:
    return _setting("OUTBOX_SEND_BATCH_SIZE", 250)


def _enqueue(ids: Sequence[int], *, countdown: float | None = None) -> None:
    """Hand messages to the broker, one task per batch of ids. If the broker is down they stay queued and the
    sweep sends them later."""
    from .tasks import messages_send_task

    ids = list(ids)
    if not ids:
        return
    size = send_batch_size()
    try:
        # One producer (one broker connection) for every batch rather than one checkout per task.
        with messages_send_task.app.producer_or_acquire() as producer:
            for start in range(0, len(ids), size):
                batch = ids[start : start + size]
                messages_send_task.apply_async((batch,), countdown=countdown, retry=False, producer=producer)
    except Exception:  # the broker is unavailable: the rows are safe, the sweep will enqueue them again
        logger.warning("Could not enqueue %s message(s); the outbox sweep will send them.", len(ids), exc_info=True)


def _enqueue_on_commit(ids: Sequence[int]) -> None:
    ids = list(ids)
    if ids:
        transaction.on_commit(lambda: _enqueue(ids), robust=True)


@transaction.atomic
def message_queue(
    *,
    to_email: str,
    subject: str,
    body: str,
    to_name: str = "",
    attachment: tuple[str, str, str] | None = None,
    **concerns,
) -> Message:
    """Record an email to send once the caller's transaction commits. Bad addresses are refused, nothing stored.

    attachment: (file name, text content, MIME type), e.g. an interview's calendar invitation.
    """
    try:
        validate_email(to_email)
    except ValidationError as error:
        raise ValidationError({"to_email": f"Not a valid email address: {to_email!r}."}) from error
    if not subject.strip():
        raise ValidationError({"subject": "A message needs a subject."})
    to_name = clean_display_name(to_name)[:200]
    if attachment is not None:
        name, content, mimetype = attachment
        concerns.update(attachment_name=name, attachment_content=content, attachment_type=mimetype)
    message = Message.objects.create(to_email=to_email, to_name=to_name, subject=subject, body=body, **concerns)
    _enqueue_on_commit([message.pk])
    return message


def messages_queue_many(*, messages: list[Message]) -> list[Message]:
    """Bulk form of message_queue for the dispatcher; the caller holds the transaction. On PostgreSQL the rows go in
    by one COPY (sonitec.bulk): a multi-row INSERT has 22 parameters a message, each quoted into the statement by
    the driver in Python, which cost more than the rest of the dispatcher."""
    rows_insert(messages)
    _enqueue_on_commit([m.pk for m in messages])
    return messages


@transaction.atomic
def message_retry(*, message: Message) -> bool:
    """Send a failed message again (the admin's retry action), with a fresh set of attempts."""
    updated = Message.objects.filter(pk=message.pk, status=MessageStatus.FAILED).update(
        status=MessageStatus.QUEUED, attempts=0, next_attempt_at=timezone.now(), claimed_at=None
    )
    if updated:
        _enqueue_on_commit([message.pk])
    return bool(updated)


# ---- sending (in the worker) ----------------------------------------------------------------------------


def _blocked_reason(message: Message) -> str:
    """Do-not-contact set after the message was queued still stops it."""
    candidate, contact = message.candidate, message.contact
    to = message.to_email.lower()
    if candidate is not None and candidate.is_do_not_contact and candidate.email.lower() == to:
        return "The candidate is marked do not contact."
    if contact is not None and contact.do_not_contact and contact.email.lower() == to:
        return "The contact is marked do not contact."
    return ""


# One statement claims a batch: rows another worker is claiming right now are skipped (SKIP LOCKED where the
# database has it), and RETURNING tells exactly which rows this caller moved from queued to sending.
_CLAIM_SQL = """
    UPDATE pipelines_message SET status = %s, claimed_at = %s, attempts = attempts + 1
    WHERE status = %s AND id IN (
        SELECT id FROM pipelines_message
        WHERE status = %s AND next_attempt_at <= %s AND id IN ({ids})
        ORDER BY next_attempt_at, id LIMIT %s {lock}
    )
    RETURNING id
"""


def messages_claim(*, ids: Sequence[int], now: datetime) -> list[int]:
    """Move these messages from queued to sending for this caller, in its own committed transaction, with
    `now` as the claim's token (claimed_at). Only messages due and still queued are claimed; a row claimed by
    someone else (or being claimed right now) is left out."""
    ids = [int(pk) for pk in ids]
    if not ids:
        return []
    at = connection.ops.adapt_datetimefield_value(now)
    lock = "FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    sql = _CLAIM_SQL.format(ids=", ".join(["%s"] * len(ids)), lock=lock)
    queued, sending = MessageStatus.QUEUED.value, MessageStatus.SENDING.value
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [sending, at, queued, queued, at, *ids, len(ids)])
        return sorted(row[0] for row in cursor.fetchall())


def _email(message: Message) -> EmailMessage:
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        # formataddr quotes or encodes the name, so no name (quotes, commas, angle brackets, unicode) can add a
        # recipient: the one address recorded on the message is the only one used.
        to=[formataddr((clean_display_name(message.to_name), message.to_email))],
        headers={
            "Message-ID": f"<message-{message.pk}@{settings.DEFAULT_FROM_EMAIL.rsplit('@', 1)[-1].strip('> ')}>",
            "X-Sonitec-Message": str(message.pk),
            "X-Sonitec-Attempt": str(message.attempts),
        },
    )
    if message.attachment_name:
        email.attach(message.attachment_name, message.attachment_content, message.attachment_type or "text/plain")
    return email


def messages_send(*, ids: Sequence[int]) -> dict[int, str]:
    """Claim these messages, then send the claimed ones over one mail connection. Returns what happened to each
    id: sent, retry, failed, cancelled or skipped (someone else has it, it is not due yet, or it is done).

    Sending and marking sent share one transaction, so a crash mid-batch rolls the marks back: the messages stay
    "sending" until the sweep puts them back, and a backend that records in the database never sends twice.
    """
    outcome = dict.fromkeys(ids, "skipped")
    claimed_at = timezone.now()
    claimed = messages_claim(ids=ids, now=claimed_at)
    if not claimed:
        return outcome
    messages = list(Message.objects.select_related("candidate", "contact").filter(pk__in=claimed).order_by("pk"))
    blocked = {m.pk: reason for m in messages if (reason := _blocked_reason(m))}
    for pk, reason in blocked.items():
        Message.objects.filter(pk=pk, status=MessageStatus.SENDING).update(
            status=MessageStatus.CANCELLED, last_error=reason
        )
        outcome[pk] = "cancelled"
    failures: list[tuple[Message, Exception]] = []
    mail = get_connection()
    with transaction.atomic():
        sent = []
        for message in messages:
            if message.pk in blocked:
                continue
            try:
                mail.open()  # once per batch: a no-op while the connection is open
                mail.send_messages([_email(message)])
            except Exception as error:  # recorded on the message below, never lost in a log
                failures.append((message, error))
                mail.close()  # the connection may be broken; the next send opens a fresh one
                continue
            sent.append(message.pk)
        mail.close()
        # claimed_at is this claim's token: a message the sweep reclaimed meanwhile is not ours to mark.
        marked = Message.objects.filter(pk__in=sent, status=MessageStatus.SENDING, claimed_at=claimed_at).update(
            status=MessageStatus.SENT, sent_at=timezone.now(), last_error=""
        )
    if marked != len(sent):
        logger.error("%s message(s) were sent but had been reclaimed meanwhile.", len(sent) - marked)
    outcome.update(dict.fromkeys(sent, "sent"))
    for message, failure in failures:
        outcome[message.pk] = _record_failure(message=message, error=failure)
    return outcome


def message_send(*, message_id: int) -> str:
    """Send one message if this caller wins its claim (see messages_send)."""
    return messages_send(ids=[message_id])[message_id]


def _record_failure(*, message: Message, error: Exception) -> str:
    text = f"{type(error).__name__}: {error}"[:2000]
    still_ours = Q(pk=message.pk, status=MessageStatus.SENDING, claimed_at=message.claimed_at)
    if is_transient(error) and message.attempts < max_attempts():
        delay = retry_delay(attempts=message.attempts)
        Message.objects.filter(still_ours).update(
            status=MessageStatus.QUEUED, last_error=text, next_attempt_at=timezone.now() + timedelta(seconds=delay)
        )
        logger.warning(
            "Message %s attempt %s failed (%s); retrying in %.0f s.", message.pk, message.attempts, text, delay
        )
        # A short countdown only (minutes at most); the sweep is the safety net if this task is lost.
        _enqueue([message.pk], countdown=delay)
        return "retry"
    Message.objects.filter(still_ours).update(status=MessageStatus.FAILED, last_error=text)
    logger.error("Message %s failed after %s attempts: %s", message.pk, message.attempts, text)
    return "failed"


def outbox_sweep(
    *,
    now: datetime | None = None,
    stale_after: timedelta | None = None,
    sending_timeout: timedelta | None = None,
    limit: int = 5000,
) -> int:
    """Periodic: enqueue again what should have been sent by now. Returns how many messages it enqueued.

    Queued messages due for `stale_after` lost their task (or never got one: Redis was down at commit).
    Messages "sending" for longer than `sending_timeout` (well above the mail server timeout) belonged to a
    worker that died; they go back to queued first, so the claim still lets only one worker send them.
    """
    now = now or timezone.now()
    if stale_after is None:
        stale_after = timedelta(seconds=_setting("OUTBOX_STALE_AFTER_SECONDS", 120))
    if sending_timeout is None:
        sending_timeout = timedelta(seconds=_setting("OUTBOX_SENDING_TIMEOUT_SECONDS", 600))
    abandoned = Q(status=MessageStatus.SENDING, claimed_at__lte=now - sending_timeout)
    reset = list(Message.objects.filter(abandoned).values_list("pk", flat=True)[:limit])
    Message.objects.filter(abandoned, pk__in=reset).update(
        status=MessageStatus.QUEUED, next_attempt_at=now, last_error="The worker sending it stopped; sending again."
    )
    ids = reset + list(
        Message.objects.filter(status=MessageStatus.QUEUED, next_attempt_at__lte=now - stale_after)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    ids = list(dict.fromkeys(ids))
    _enqueue(ids)
    if ids:
        logger.info("Outbox sweep enqueued %s messages again.", len(ids))
    return len(ids)
