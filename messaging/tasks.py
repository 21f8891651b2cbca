"""Celery tasks: thin wrappers that take ids and call the follow-up and outbox services.

acks_late, reject_on_worker_lost and prefetch 1 are set for every task in settings: a task whose worker dies
is delivered again, and the services make a second run harmless.
"""

from collections import Counter

from celery import shared_task

from . import followups, outbox


@shared_task(name="messaging.send_messages")
def messages_send_task(message_ids: list[int]) -> dict[str, int]:
    return dict(Counter(outbox.messages_send(ids=message_ids).values()))


# Tasks queued before batches existed carry one id each; they still run after an upgrade.
@shared_task(name="messaging.send_message")
def message_send_task(message_id: int) -> str:
    return outbox.message_send(message_id=message_id)


# A dispatch task stops after this many batches and hands the rest to a new task, so a backlog never runs into
# the task time limit and the other worker processes can send the messages already queued meanwhile.
DISPATCH_BATCHES_PER_TASK = 20


@shared_task(name="messaging.dispatch_due_followups")
def followups_dispatch_task() -> int:
    done = followups.followups_dispatch_due(max_batches=DISPATCH_BATCHES_PER_TASK)
    if done >= DISPATCH_BATCHES_PER_TASK * followups.DISPATCH_BATCH_SIZE:  # every batch was full: there may be more
        followups_dispatch_task.delay()
    return done


@shared_task(name="messaging.sweep_outbox")
def outbox_sweep_task() -> int:
    return outbox.outbox_sweep()


@shared_task(name="messaging.schedule_reengagement")
def followups_reengage_task() -> int:
    return followups.followups_schedule_reengage()
