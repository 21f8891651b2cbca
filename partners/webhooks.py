"""Webhook rules: subscriptions, signed deliveries written with the event and sent after commit, retries, suspension.

A delivery is a row written inside the transaction of the event it announces, so an event that rolls back
sends nothing and an event that commits is never lost. With a broker, a Celery worker sends it right after
commit; in the embedded default (no Redis, tasks run in-process) nothing is sent inside the request that caused
it: the dispatcher loop (`manage.py run_dispatcher`) sends due rows. If the partner's server fails, the row keeps
the next attempt time for the retry (partners/tasks.py).

Signature (documented for partners in docs/api.md):
    Sonitec-Webhook-Timestamp: <unix seconds>
    Sonitec-Webhook-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
"""

import datetime
import hashlib
import hmac
import http.client
import ipaddress
import json
import secrets
import socket
import ssl
import uuid
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from messaging.outbox import message_queue

from .models import DeliveryStatus, Partner, WebhookDelivery, WebhookEvent, WebhookSubscription
from .selectors import partners_who_see_role

SIGNATURE_HEADER = "Sonitec-Webhook-Signature"
TIMESTAMP_HEADER = "Sonitec-Webhook-Timestamp"
EVENT_ID_HEADER = "Sonitec-Webhook-Id"
REQUEST_TIMEOUT_SECONDS = 10
# Seconds to wait before attempts 2, 3, …: about a day in total before a delivery is given up.
RETRY_BACKOFF_SECONDS = [60, 5 * 60, 30 * 60, 2 * 60 * 60, 6 * 60 * 60, 12 * 60 * 60]
# While one worker attempts a delivery, others leave it alone for this long (longer than the HTTP timeout).
ATTEMPT_LEASE = datetime.timedelta(seconds=REQUEST_TIMEOUT_SECONDS * 3)
MAX_SUBSCRIPTIONS_PER_PARTNER = 10


def _max_attempts() -> int:
    return getattr(settings, "WEBHOOK_MAX_ATTEMPTS", len(RETRY_BACKOFF_SECONDS) + 1)


def _suspend_after() -> int:
    return getattr(settings, "WEBHOOK_SUSPEND_AFTER_FAILURES", 20)


# IPv6 ranges that carry (or translate to) an IPv4 address, or are otherwise not a plain public host. Python's
# `is_global` accepts some of them (IPv4-compatible ::/96, NAT64 64:ff9b::/96, 6to4 2002::/16, site-local), so
# they are refused by name: an embedded IPv4 address could be a private one.
_REFUSED_V6_NETWORKS = tuple(
    ipaddress.IPv6Network(network)
    for network in (
        "::/96",  # IPv4-compatible (deprecated) and the unspecified address
        "::ffff:0:0/96",  # IPv4-mapped
        "64:ff9b::/96",  # NAT64 well-known prefix
        "64:ff9b:1::/48",  # NAT64 local-use prefix
        "2002::/16",  # 6to4
        "2001::/32",  # Teredo
        "fec0::/10",  # site-local (deprecated)
    )
)


def webhook_address_allowed(address: str) -> bool:
    """True when `address` is a global unicast address our servers may call (see README, "Security")."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and any(ip in network for network in _REFUSED_V6_NETWORKS):
        return False
    return bool(
        ip.is_global
        and not ip.is_multicast
        and not ip.is_private
        and not ip.is_loopback
        and not ip.is_link_local
        and not ip.is_reserved
        and not ip.is_unspecified
    )


def _resolve_target(url: str) -> tuple[str, int, str]:
    """Check the URL and resolve its host once: (host name, port, the one address to connect to).

    Every address the name resolves to must be allowed, and the connection then goes to the first of them, so a
    second DNS answer (DNS rebinding) can never send the request elsewhere.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError({"url": "Enter an http:// or https:// URL."})
    if parts.username or parts.password:
        raise ValidationError({"url": "The URL must not contain a user name or password."})
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError) as error:
        raise ValidationError({"url": "The URL's host name does not resolve."}) from error
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise ValidationError({"url": "The URL's host name does not resolve."})
    if not getattr(settings, "WEBHOOK_ALLOW_PRIVATE_TARGETS", False) and not all(
        webhook_address_allowed(address) for address in addresses
    ):
        raise ValidationError(
            {"url": "The URL must point to a public address (not loopback, private, link-local or reserved)."}
        )
    return parts.hostname, port, addresses[0]


def webhook_url_validate(url: str) -> str:
    """Accept only http(s) URLs whose host resolves to public addresses only (see `webhook_address_allowed`),
    so a partner cannot make our servers call into our own network."""
    _resolve_target(url)
    return url


def events_validate(events: Iterable[str]) -> list[str]:
    events = list(events)
    unknown = [event for event in events if event not in WebhookEvent.values]
    if not events or unknown:
        raise ValidationError({"events": f"Choose one or more of: {', '.join(WebhookEvent.values)}."})
    return sorted(set(events))


@transaction.atomic
def webhook_subscribe(*, partner: Partner, url: str, events: Iterable[str]) -> WebhookSubscription:
    """Subscribe a partner's URL to events; the returned subscription's secret is what signs deliveries."""
    events = events_validate(events)
    url = webhook_url_validate(url)
    # Lock the partner so two concurrent requests cannot both pass the limit.
    Partner.objects.select_for_update().filter(pk=partner.pk).first()
    if WebhookSubscription.objects.filter(partner=partner).count() >= MAX_SUBSCRIPTIONS_PER_PARTNER:
        raise ValidationError(f"A partner may have at most {MAX_SUBSCRIPTIONS_PER_PARTNER} webhook subscriptions.")
    return WebhookSubscription.objects.create(
        partner=partner, url=url, events=events, secret=f"whsec_{secrets.token_hex(24)}"
    )


@transaction.atomic
def webhook_unsubscribe(*, subscription: WebhookSubscription) -> None:
    subscription.delete()


@transaction.atomic
def webhook_resume(*, subscription: WebhookSubscription) -> WebhookSubscription:
    """Reactivate a suspended subscription (after the partner fixed their server)."""
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        is_active=True, suspended_at=None, consecutive_failures=0
    )
    subscription.refresh_from_db()
    return subscription


def webhook_emit(*, partners: Iterable[Partner] | None, event_type: str, data: dict[str, Any]) -> list[int]:
    """Write one delivery per active subscription of these partners to this event; with a broker, a worker sends
    each after commit (else the dispatcher loop does).

    Called by sonitec.events inside the event's transaction. Returns the delivery ids.
    """
    if partners is None:
        return []
    partner_ids = [partner.pk for partner in partners]
    if not partner_ids:
        return []
    subscriptions = [
        subscription
        for subscription in WebhookSubscription.objects.filter(
            partner_id__in=partner_ids, is_active=True, partner__is_active=True
        )
        if event_type in subscription.events
    ]
    if not subscriptions:
        return []
    event_id = uuid.uuid4()
    now = timezone.now()
    payload = {"id": str(event_id), "type": event_type, "created_at": now.isoformat(), "data": data}
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                subscription=subscription,
                event_id=event_id,
                event_type=event_type,
                payload=payload,
                next_attempt_at=now,
            )
            for subscription in subscriptions
        ]
    )
    ids = [delivery.pk for delivery in deliveries]
    if ids[0] is None:  # backends that do not return ids from bulk_create
        ids = list(WebhookDelivery.objects.filter(event_id=event_id).values_list("pk", flat=True))

    if not settings.WEBHOOKS_SENT_BY_WORKER:
        return ids  # the dispatcher loop sends them: an outbound call never holds up a staff request

    def enqueue() -> None:
        from .tasks import webhook_deliver

        for delivery_id in ids:
            webhook_deliver.delay(delivery_id)

    transaction.on_commit(enqueue)
    return ids


def webhook_body(payload: dict[str, Any]) -> bytes:
    # Deterministic bytes, so every attempt sends (and signs) exactly the same body.
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()


def webhook_signature(*, secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"v1={digest}"


def webhook_signature_verify(*, secret: str, timestamp: str, body: bytes, signature: str, tolerance: int = 300) -> bool:
    """What a receiver does (also the reference for docs/api.md): check the signature and the timestamp's age."""
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    if abs(timezone.now().timestamp() - sent_at) > tolerance:
        return False
    expected = webhook_signature(secret=secret, timestamp=sent_at, body=body)
    return hmac.compare_digest(expected, signature)


def _open_connection(address: str, port: int, timeout: float | None) -> socket.socket:
    return socket.create_connection((address, port), timeout=timeout)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, whatever DNS answers now; Host still names the host."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = _open_connection(self._address, self.port, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """As above, with TLS: the certificate is checked against the host name (SNI), not the address."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = _open_connection(self._address, self.port, self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST once to the checked address. Redirects are not followed: a 3xx answer counts as a failure."""
    host, port, address = _resolve_target(url)
    parts = urlsplit(url)
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, port, address=address, timeout=REQUEST_TIMEOUT_SECONDS)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    try:
        connection.request("POST", path, body=body, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


def webhook_delivery_attempt(*, delivery_id: int) -> int | None:
    """Send a due delivery once. Returns the seconds until the next attempt, or None when nothing is left to do.

    Only the caller whose conditional UPDATE claims the row sends, so concurrent workers never double-send.
    """
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id,
        status=DeliveryStatus.PENDING,
        next_attempt_at__lte=now,
        subscription__is_active=True,
    ).update(next_attempt_at=now + ATTEMPT_LEASE, attempts=F("attempts") + 1, last_attempt_at=now)
    if claimed != 1:
        return None
    delivery = WebhookDelivery.objects.select_related("subscription__partner").get(pk=delivery_id)
    subscription = delivery.subscription
    body = webhook_body(delivery.payload)
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Sonitec-Webhooks/1",
        EVENT_ID_HEADER: str(delivery.event_id),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: webhook_signature(secret=subscription.secret, timestamp=timestamp, body=body),
    }
    status_code, error = None, ""
    try:
        # Checked again (DNS may have changed since subscribing), and sent to the very address checked.
        status_code = _post(subscription.url, body, headers)
    except ValidationError as invalid:
        error = "; ".join(invalid.messages)
    except (OSError, ValueError, http.client.HTTPException) as failure:  # refused, timeout, TLS, bad answer
        error = f"{type(failure).__name__}: {failure}"[:500]
    if status_code is not None and 200 <= status_code < 300:
        _delivery_succeeded(delivery, status_code)
        return None
    return _delivery_failed(delivery, status_code, error or f"HTTP {status_code}")


@transaction.atomic
def _delivery_succeeded(delivery: WebhookDelivery, status_code: int) -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.DELIVERED, response_status=status_code, last_error="", delivered_at=timezone.now()
    )
    WebhookSubscription.objects.filter(pk=delivery.subscription_id).update(consecutive_failures=0)


@transaction.atomic
def _delivery_failed(delivery: WebhookDelivery, status_code: int | None, error: str) -> int | None:
    subscription = WebhookSubscription.objects.select_for_update().get(pk=delivery.subscription_id)
    subscription.consecutive_failures += 1
    subscription.save(update_fields=["consecutive_failures", "updated_at"])
    gave_up = delivery.attempts >= _max_attempts()
    delay = None if gave_up else RETRY_BACKOFF_SECONDS[min(delivery.attempts - 1, len(RETRY_BACKOFF_SECONDS) - 1)]
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.FAILED if gave_up else DeliveryStatus.PENDING,
        response_status=status_code,
        last_error=error[:500],
        next_attempt_at=timezone.now() + datetime.timedelta(seconds=delay or 0),
    )
    if subscription.is_active and subscription.consecutive_failures >= _suspend_after():
        webhook_suspend(subscription=subscription, reason=error)
        return None
    return delay


@transaction.atomic
def webhook_suspend(*, subscription: WebhookSubscription, reason: str) -> None:
    """Stop sending to a failing URL, give up its pending deliveries and tell the partner by email (outbox)."""
    updated = WebhookSubscription.objects.filter(pk=subscription.pk, is_active=True).update(
        is_active=False, suspended_at=timezone.now()
    )
    if not updated:
        return
    WebhookDelivery.objects.filter(subscription=subscription, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.FAILED, last_error="Subscription suspended after repeated failures."
    )
    partner = subscription.partner
    message = (
        f"Hello {partner.name},\n\n"
        f"We suspended your webhook subscription to {subscription.url} after "
        f"{subscription.consecutive_failures} failed deliveries in a row (last error: {reason}).\n\n"
        "Once your endpoint answers again with a 2xx status, create a new subscription through the API "
        "(POST /api/v1/webhooks/) or ask us to resume this one.\n\nSonitec"
    )
    # Through the outbox like every other email: recorded, retried, visible to staff, sent after commit.
    message_queue(
        to_email=partner.contact_email,
        to_name=partner.name,
        subject="Your Sonitec webhook subscription was suspended",
        body=message,
    )


def webhook_deliveries_due(*, limit: int = 500) -> list[int]:
    """Pending deliveries whose next attempt time has come (for the periodic retry sweep)."""
    return list(
        WebhookDelivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=timezone.now(), subscription__is_active=True
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


# --- Reactions to domain events (called from sonitec/events.py, inside the event's transaction) -------------------


def _role_data(role) -> dict[str, Any]:
    return {"role": {"id": role.pk, "title": role.title, "status": role.status}}


def webhooks_on_stage_change(*, stage_change) -> None:
    submission = stage_change.submission
    if submission.source_partner_id is None:
        return
    webhook_emit(
        partners=[submission.source_partner],
        event_type=WebhookEvent.SUBMISSION_STAGE_CHANGED,
        data={
            "submission": {"id": submission.pk, "role": submission.role_id, "stage": stage_change.to_stage},
            "from_stage": stage_change.from_stage,
            "to_stage": stage_change.to_stage,
            "changed_at": stage_change.changed_at.isoformat(),
        },
    )


def webhooks_on_placement(*, placement) -> None:
    submission = placement.submission
    if submission.source_partner_id is None:
        return
    # No money: fees and pay are between the agency and its client.
    webhook_emit(
        partners=[submission.source_partner],
        event_type=WebhookEvent.PLACEMENT_CREATED,
        data={"submission": {"id": submission.pk, "role": submission.role_id}, "start_date": str(placement.start_date)},
    )


def webhooks_on_role_published(*, role) -> None:
    partners = partners_who_see_role(role=role)
    webhook_emit(partners=partners, event_type=WebhookEvent.ROLE_PUBLISHED, data=_role_data(role))


def webhooks_on_role_partners_changed(*, role, gained_partner_ids: set[int], lost_partner_ids: set[int]) -> None:
    """To partners who can now see an open role it is newly published; to those who no longer can, closed."""
    data = _role_data(role)
    webhook_emit(
        partners=Partner.objects.filter(pk__in=gained_partner_ids), event_type=WebhookEvent.ROLE_PUBLISHED, data=data
    )
    webhook_emit(
        partners=Partner.objects.filter(pk__in=lost_partner_ids), event_type=WebhookEvent.ROLE_CLOSED, data=data
    )


def webhooks_on_role_closed(*, role) -> None:
    partners = partners_who_see_role(role=role)
    webhook_emit(partners=partners, event_type=WebhookEvent.ROLE_CLOSED, data=_role_data(role))
