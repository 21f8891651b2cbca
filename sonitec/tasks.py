"""Project-wide housekeeping."""

import datetime

from celery import shared_task
from django.utils import timezone

from .models import IdempotencyRecord


@shared_task(name="sonitec.purge_idempotency_records")
def idempotency_purge() -> int:
    """Forget Idempotency-Key responses older than a day (clients retry within minutes, not days)."""
    cutoff = timezone.now() - datetime.timedelta(days=1)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
