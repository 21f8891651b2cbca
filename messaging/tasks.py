"""Celery tasks: thin wrappers that take ids and call the follow-up and outbox services.

acks_late, reject_on_worker_lost and prefetch 1 are set for every task in settings: a task whose worker dies
is delivered again, and the services make a second run harmless.
"""

from celery import shared_task

from . import followups, outbox

# Every minute: killed before the next run is due, so runs never overlap; each batch commits on its own, so a run
# cut short loses nothing and the next one goes on.
EVERY_MINUTE_LIMITS = {"soft_time_limit": 45, "time_limit": 55}


@shared_task(name="messaging.send_message")
def message_send_task(message_id: int) -> str:
    return outbox.message_send(message_id=message_id)


@shared_task(name="messaging.dispatch_due_followups", **EVERY_MINUTE_LIMITS)
def followups_dispatch_task() -> int:
    return followups.followups_dispatch_due()


@shared_task(name="messaging.sweep_outbox", **EVERY_MINUTE_LIMITS)
def outbox_sweep_task() -> int:
    return outbox.outbox_sweep()


@shared_task(name="messaging.schedule_reengagement")
def followups_reengage_task() -> int:
    return followups.followups_schedule_reengage()
