"""Background work for partners: webhook deliveries and their retries."""

from celery import shared_task

from .webhooks import ATTEMPT_LEASE, webhook_deliveries_due, webhook_delivery_attempt

# An attempt is killed before its lease ends: after that another worker may claim the delivery, and a partner's
# server that answers slowly (each read within the socket timeout) must not receive it twice.
_ATTEMPT_HARD_LIMIT = int(ATTEMPT_LEASE.total_seconds()) - 5


@shared_task(
    name="partners.deliver_webhook",
    acks_late=True,
    soft_time_limit=_ATTEMPT_HARD_LIMIT - 5,
    time_limit=_ATTEMPT_HARD_LIMIT,
)
def webhook_deliver(delivery_id: int) -> None:
    """Attempt one delivery. A failed one gets a next-attempt time with backoff, which the periodic sweep
    picks up: never a Celery countdown, which Redis would redeliver after its visibility timeout."""
    webhook_delivery_attempt(delivery_id=delivery_id)


@shared_task(name="partners.retry_due_webhooks", soft_time_limit=45, time_limit=55)  # every minute
def webhook_retry_due() -> int:
    """Periodic sweep: re-send deliveries whose retry time has come (also catches retries lost with a worker)."""
    due = webhook_deliveries_due()
    for delivery_id in due:
        webhook_deliver.delay(delivery_id)
    return len(due)
