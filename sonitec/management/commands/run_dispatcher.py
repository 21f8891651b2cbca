"""The follow-up engine without Redis (the embedded default of `make run`): every N seconds, turn due
follow-ups into messages, send whatever is queued and due, and send due webhook deliveries; every hour, the
housekeeping sweeps. With Redis, Celery beat and a worker do this."""

import time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand

from candidates.tasks import sweep_cv_orphans
from leads.tasks import purge_spam
from messaging import followups, outbox
from partners.tasks import webhook_retry_due

from ...tasks import idempotency_purge

HOUSEKEEPING_EVERY = 3600.0  # seconds: the hourly sweeps that Celery beat runs when Redis is there


class Command(BaseCommand):
    help = "Dispatch due follow-ups and send queued messages every --interval seconds (embedded mode, no Redis)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=30.0, help="Seconds between rounds (default 30).")
        parser.add_argument("--once", action="store_true", help="Run one round and exit.")

    def handle(self, *args, interval: float, once: bool, **options):
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            self.stderr.write(
                self.style.WARNING(
                    "REDIS_URL is set: run `celery -A sonitec worker` and `celery -A sonitec beat` instead."
                )
            )
            return
        self.stdout.write(f"Dispatching follow-ups every {interval:g} s (Ctrl+C to stop).")
        housekeeping_due = 0.0
        try:
            while True:
                self._round()
                if time.monotonic() >= housekeeping_due:
                    self._housekeeping()
                    housekeeping_due = time.monotonic() + HOUSEKEEPING_EVERY
                if once:
                    return
                time.sleep(interval)
        except KeyboardInterrupt:
            return

    def _round(self) -> None:
        # Tasks run in-process here, so enqueueing a message sends it at once.
        dispatched = followups.followups_dispatch_due()
        followups.followups_schedule_reengage()
        # Without a broker nothing is in flight, so any queued message that is due can be sent now.
        swept = outbox.outbox_sweep(stale_after=timedelta(0))
        webhook_retry_due()
        if dispatched or swept:
            self.stdout.write(f"{dispatched} follow-up(s) dispatched, {swept} message(s) sent or retried.")

    def _housekeeping(self) -> None:
        # CV files whose transaction never committed, spam past its 30 days, stale idempotency records.
        removed = sweep_cv_orphans() + purge_spam() + idempotency_purge()
        if removed:
            self.stdout.write(f"Housekeeping removed {removed} item(s).")
