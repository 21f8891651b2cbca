"""python manage.py import_csv {candidates,clients,contacts,roles} FILE [--dry-run] [--source TEXT]"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from imports.importers import KINDS
from imports.services import import_run


class Command(BaseCommand):
    help = (
        "Import candidates, clients, contacts or roles from a CSV or XLSX file: all rows or none. Prints "
        "'created N, updated N, duplicates N, errors N' and every error with its line; exits 1 if any row failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check every row and report; store nothing.")
        parser.add_argument(
            "--source",
            default="",
            help="Where the records came from and the lawful basis for holding the people (required for candidates),"
            " e.g. 'Legacy CRM export 2026-11, legitimate interest'. Recorded on each person.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        bar = tqdm(total=0, unit="row", disable=options["no_progress"], file=self.stderr._out, leave=False)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        try:
            plan = import_run(
                kind=options["kind"],
                content=path.read_bytes(),
                filename=path.name,
                source=options["source"],
                dry_run=options["dry_run"],
                progress=progress,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        finally:
            bar.close()
        counts = plan.counts
        summary = ", ".join(f"{name} {counts[name]}" for name in ("created", "updated", "duplicates", "errors"))
        for line, message in plan.errors():
            self.stderr.write(f"line {line}: {message}")
        if not plan.ok:
            self.stdout.write(summary)
            raise CommandError("Nothing was imported: fix the lines above and run the command again.")
        if options["dry_run"]:
            self.stdout.write(f"{summary} (dry run: nothing stored)")
        else:
            self.stdout.write(summary)
