from django.core.management.base import BaseCommand

from privacy.services import retention_plan, retention_run


class Command(BaseCommand):
    help = (
        "Apply the retention rules: ask people about to lose their lawful basis to renew (once), anonymise those "
        "who did not answer, purge old enquiries and intakes. --dry-run lists who would be asked and anonymised."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Print what would happen; change nothing.")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        if dry_run:
            plan = retention_plan()
            self.stdout.write(f"Would ask {len(plan.to_ask)} people to renew their consent:")
            for pk, name in plan.to_ask:
                self.stdout.write(f"  #{pk} {name}")
            self.stdout.write(f"Would anonymise {len(plan.to_anonymise)} people:")
            for pk, name in plan.to_anonymise:
                self.stdout.write(f"  #{pk} {name}")
            self.stdout.write(
                f"Would purge {plan.enquiries} enquiries, {plan.intakes} intakes and {plan.access_log} access-log "
                "entries. Nothing was changed (dry run)."
            )
            return
        run = retention_run()
        self.stdout.write(
            f"Asked {run.renewal_requests_sent} people to renew, anonymised {run.candidates_anonymised}, purged "
            f"{run.enquiries_purged} enquiries, {run.intakes_purged} intakes and {run.access_log_purged} access-log "
            "entries."
        )
