"""Two recruiters moving the same submission at the same moment, on two real PostgreSQL connections."""

import threading
import time
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from candidates.models import ConsentPurpose
from pipelines.models import StageChange, Submission
from pipelines.services import submission_move
from tests import factories


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_only_one_of_two_simultaneous_moves_wins():
    # Its own pillar: transactional tests that ran before may have flushed the seeded ones.
    pillar = factories.PillarFactory()
    submission = factories.SubmissionFactory(stage="interview", role__pillar=pillar, candidate__primary_pillar=pillar)
    factories.ConsentFactory(
        candidate=submission.candidate, purpose=ConsentPurpose.REPRESENTATION, role=submission.role
    )
    first_holds_lock = threading.Event()
    results: dict[str, str] = {}

    def slow_announcement(change):
        # The first mover holds the row lock a while, so the second one really arrives during its transaction.
        if change.to_stage == "rejected":
            first_holds_lock.set()
            time.sleep(0.5)

    def move(name, to_stage, note, wait_for=None):
        try:
            if wait_for is not None:
                wait_for.wait(5)
            submission_move(submission=Submission.objects.get(pk=submission.pk), to_stage=to_stage, note=note)
            results[name] = "moved"
        except ValidationError as error:
            results[name] = " ".join(error.messages)
        finally:
            connection.close()

    with mock.patch("sonitec.events.stage_changed", side_effect=slow_announcement):
        rejecting = threading.Thread(target=move, args=("reject", "rejected", "Client said no"))
        offering = threading.Thread(target=move, args=("offer", "offer", "", first_holds_lock))
        rejecting.start()
        offering.start()
        rejecting.join(30)
        offering.join(30)

    assert results["reject"] == "moved"
    # The second mover waited for the lock, then saw "rejected": re-opening needs a note, so it was refused.
    assert "Re-opening" in results["offer"]
    stored = Submission.objects.get(pk=submission.pk)
    changes = list(StageChange.objects.filter(submission=submission))
    assert stored.stage == "rejected"
    assert [(c.from_stage, c.to_stage) for c in changes] == [("interview", "rejected")]
