"""The daily digest of saved searches: one email per recruiter, through the outbox, listing who is new.

No marker: these run in both CI passes, on PostgreSQL (its full-text search) and on the embedded SQLite default.
"""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate
from matching.models import SavedSearch
from matching.selectors import saved_search_form, saved_search_result_ids
from matching.services import saved_search_create, saved_search_mark_run
from messaging import outbox
from messaging.models import Message
from messaging.tasks import saved_search_digests_task
from sonitec.celery import app
from tests.factories import CandidateFactory, SavedSearchFactory, UserFactory, staff_group

from .conftest import give_skills


def recruiter_user(username: str, **fields):
    user = UserFactory(username=username, first_name=username.title(), **fields)
    user.groups.add(staff_group("Recruiter"))
    return user


def save(owner, name: str, query: dict[str, str], *, daily_digest: bool = True) -> SavedSearch:
    """As the Find page's "Save search" does: saved, then run once."""
    saved = saved_search_create(owner=owner, name=name, query=query, daily_digest=daily_digest)
    form = saved_search_form(saved_search=saved)
    assert form.is_valid()
    saved_search_mark_run(saved_search=saved, result_ids=saved_search_result_ids(params=form.to_params()))
    return saved


def run_digests() -> list[Message]:
    before = set(Message.objects.values_list("pk", flat=True))
    saved_search_digests_task.apply().get()
    return list(Message.objects.exclude(pk__in=before).order_by("to_email"))


def candidate_link(candidate) -> str:
    return reverse("admin:candidates_candidate_change", args=[candidate.pk])


def test_the_digest_is_a_daily_periodic_task_and_a_command(people):
    entry = app.conf.beat_schedule["saved-search-digests"]
    assert entry["task"] == "messaging.send_saved_search_digests" and entry["options"]["expire_seconds"]
    save(recruiter_user("hana"), "PyTorch people", {"q": "pytorch"})
    give_skills(CandidateFactory(name="New Torch"), "pytorch")
    output = io.StringIO()
    call_command("saved_search_digests", stdout=output)
    assert output.getvalue() == "digests queued: 1\n"


def test_one_email_per_owner_lists_the_new_people_once_then_only_later_newcomers(people):
    alice, bob = recruiter_user("alice"), recruiter_user("bob")
    torch = save(alice, "PyTorch people", {"q": "pytorch"})
    save(alice, "ONNX people", {"skills": "onnx"})
    save(alice, "Not emailed", {"skills": "tensorflow"}, daily_digest=False)
    save(bob, "Bob's PyTorch", {"q": "pytorch"})
    newcomer = CandidateFactory(name="New Torch")
    give_skills(newcomer, "pytorch", "onnx", "tensorflow")

    messages = run_digests()

    assert [message.to_email for message in messages] == [alice.email, bob.email]
    to_alice = messages[0]
    assert to_alice.subject == "1 new person in your saved searches"  # new to two of her searches, one person
    assert "“ONNX people”: 1 new" in to_alice.body and "“PyTorch people”: 1 new" in to_alice.body
    assert to_alice.body.count(f"- New Torch: http://testserver{candidate_link(newcomer)}") == 2
    assert reverse("admin:matching_savedsearch_run", args=[torch.pk]) in to_alice.body
    assert "Not emailed" not in to_alice.body and "Omar Haddad" not in to_alice.body
    assert outbox.message_send(message_id=to_alice.pk) == "sent"
    assert mail.outbox[0].to == [f"Alice {alice.last_name} <{alice.email}>"]

    assert run_digests() == []  # the next day, nobody new: no email

    later = CandidateFactory(name="Later Torch")
    give_skills(later, "pytorch")
    newcomer.save()  # changed again, still a match: already reported
    messages = run_digests()
    assert [message.to_email for message in messages] == [alice.email, bob.email]
    for message in messages:
        assert message.subject == "1 new person in your saved searches"
        assert "Later Torch" in message.body and "New Torch" not in message.body
    assert "ONNX people" not in messages[0].body


def test_do_not_contact_and_anonymised_people_are_never_listed(people):
    owner = recruiter_user("carol")
    # Even a search asking for do-not-contact people; everyone it finds is new (an empty run before they came).
    SavedSearchFactory(
        owner=owner,
        query={"skills": "onnx", "include_do_not_contact": "true"},
        daily_digest=True,
        last_run_at=timezone.now() - datetime.timedelta(hours=1),
        seen_ids=[],
    )
    (message,) = run_digests()
    assert "Lena Usman" in message.body
    assert "Dora Blocked" not in message.body and "Anonymised person" not in message.body
    assert message.subject == "1 new person in your saved searches"


def test_a_run_between_two_digests_does_not_hide_anyone_from_the_next(people):
    owner = recruiter_user("dan")
    saved = save(owner, "PyTorch people", {"q": "pytorch"})
    assert run_digests() == []
    give_skills(CandidateFactory(name="New Torch"), "pytorch")
    saved.refresh_from_db()
    form = saved_search_form(saved_search=saved)
    assert form.is_valid()
    assert len(saved_search_mark_run(saved_search=saved, result_ids=saved_search_result_ids(params=form.to_params())))

    (message,) = run_digests()
    assert "New Torch" in message.body


def test_people_unchanged_since_the_previous_digest_are_not_new_though_the_last_results_missed_them(people):
    # Broad text is ranked within a sample of its matches, a different one each time: someone who matched all
    # along may be missing from the previous results. Only people added or changed since can be new.
    owner = recruiter_user("gail")
    Candidate.objects.update(updated_at=timezone.now() - datetime.timedelta(hours=3))
    digest_last_at = timezone.now() - datetime.timedelta(minutes=5)
    SavedSearchFactory(
        owner=owner, query={"q": "pytorch"}, daily_digest=True, digest_last_at=digest_last_at, digest_seen_ids=[]
    )
    # A change made while the previous digest ran, committed after it had looked, is still seen.
    late = CandidateFactory(name="Late Commit")
    give_skills(late, "pytorch")
    Candidate.objects.filter(pk=late.pk).update(updated_at=digest_last_at - datetime.timedelta(minutes=30))

    (message,) = run_digests()
    assert "Late Commit" in message.body
    assert "Omar Haddad" not in message.body and "Priya Raman" not in message.body


def test_inactive_owners_and_staff_who_may_not_see_candidates_get_nothing(people):
    gone = recruiter_user("erin", is_active=False)
    no_role = UserFactory(username="frank")  # staff, but no permission to view candidates
    for owner in (gone, no_role):
        save(owner, "PyTorch people", {"q": "pytorch"})
    give_skills(CandidateFactory(name="New Torch"), "pytorch")

    assert run_digests() == []


def test_the_find_page_and_the_saved_search_page_set_the_digest(admin_client, recruiter, people):
    admin_client.post(
        reverse("admin:matching_savedsearch_save"),
        {"name": "PyTorch people", "query": "q=pytorch", "daily_digest": "on"},
    )
    saved = SavedSearch.objects.get(name="PyTorch people")
    assert saved.daily_digest

    change = reverse("admin:matching_savedsearch_change", args=[saved.pk])
    response = admin_client.post(change, {"name": "PyTorch people"})
    assert response.status_code == 302
    saved.refresh_from_db()
    assert not saved.daily_digest


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.PUBLIC_BASE_URL = "http://testserver"
