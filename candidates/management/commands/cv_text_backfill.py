"""Extract the text of CVs that have none yet (or whose CV changed since), so they become searchable."""

from django.core.management.base import BaseCommand
from django.db.models import Exists, OuterRef
from tqdm import tqdm

from candidates.cv_text import cv_text_extract
from candidates.models import Candidate, CandidateCvText


class Command(BaseCommand):
    help = "Extract searchable text from stored CVs that have not been read yet."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="At most this many CVs.")
        parser.add_argument("--retry-errors", action="store_true", help="Also retry CVs that could not be read.")

    def handle(self, *args, **options):
        current = CandidateCvText.objects.filter(candidate_id=OuterRef("pk"), cv_name=OuterRef("cv"))
        if options["retry_errors"]:
            current = current.filter(error="")
        todo = Candidate.objects.exclude(cv="").filter(~Exists(current)).order_by("pk").values_list("pk", flat=True)
        if options["limit"]:
            todo = todo[: options["limit"]]
        ids = list(todo)
        outcomes: dict[str, int] = {}
        for candidate_id in tqdm(ids, desc="CVs", disable=options["verbosity"] == 0, file=self.stderr):
            outcome = cv_text_extract(candidate_id=candidate_id)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items())) or "nothing to do"
        self.stdout.write(self.style.SUCCESS(f"CV text: {len(ids)} CV(s) read: {summary}."))
