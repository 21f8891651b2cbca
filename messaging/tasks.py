"""Celery tasks: thin wrappers that take ids and call the follow-up and outbox services.

acks_late, reject_on_worker_lost and prefetch 1 are set for every task in settings: a task whose worker dies
is delivered again, and the services make a second run harmless.
"""

from collections import Counter

from celery import shared_task

from . import digests, followups, outbox

# Every minute: killed before the next run is due, so runs never overlap; each batch commits on its own, so a run
# cut short loses nothing and the next one goes on.
EVERY_MINUTE_LIMITS = {"soft_time_limit": 45, "time_limit": 55}


@shared_task(name="messaging.send_messages")
def messages_send_task(message_ids: list[int]) -> dict[str, int]:
    return dict(Counter(outbox.messages_send(ids=message_ids).values()))


# Tasks queued before batches existed carry one id each; they still run after an upgrade.
@shared_task(name="messaging.send_message")
def message_send_task(message_id: int) -> str:
    return outbox.message_send(message_id=message_id)


# A dispatch task stops after this many batches (10,000 follow-ups), so a backlog never runs into the task time
# limit. Once its first batch shows there is a backlog, it queues its successor, so a free worker process
# dispatches alongside it (row locks keep them apart) and the messages already queued are sent meanwhile.
DISPATCH_BATCHES_PER_TASK = 10


@shared_task(name="messaging.dispatch_due_followups", **EVERY_MINUTE_LIMITS)
def followups_dispatch_task() -> int:
    done = followups.followups_dispatch_due(max_batches=1)
    if done < followups.DISPATCH_BATCH_SIZE:
        return done
    followups_dispatch_task.delay()
    return done + followups.followups_dispatch_due(max_batches=DISPATCH_BATCHES_PER_TASK - 1)


@shared_task(name="messaging.sweep_outbox", **EVERY_MINUTE_LIMITS)
def outbox_sweep_task() -> int:
    return outbox.outbox_sweep()


@shared_task(name="messaging.schedule_reengagement")
def followups_reengage_task() -> int:
    return followups.followups_schedule_reengage()


@shared_task(name="messaging.send_saved_search_digests", soft_time_limit=20 * 60, time_limit=25 * 60)
def saved_search_digests_task() -> int:
    """Daily: each recruiter's email of the people new to their opted-in saved searches. Owners are done one
    transaction each, so a run cut short by the time limit loses nothing: the rest are caught up the next day."""
    return digests.saved_search_digests_send()
