"""The daily digest of saved searches: for each recruiter, one email listing, per saved search they opted in, the
people new to it since its last digest, queued through the outbox (so it is sent once, with retries).

It lives here, above matching and candidates, because it sends email; matching keeps the rule of who is new
(matching.services.saved_search_digest_take) and candidates the search itself.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate
from matching.models import SavedSearch
from matching.selectors import saved_search_form, saved_search_result_ids
from matching.services import saved_search_digest_since, saved_search_digest_take

from . import outbox
from .models import Message

logger = logging.getLogger(__name__)

# Names listed per saved search; the rest are counted, and the Run link shows everyone.
DIGEST_NAMES = 10
# A change committed while the previous digest ran (begun before it, so unseen by it) is looked at again: the
# digest looks this far back before the previous one. Who was reported is remembered, so nobody comes twice.
CHANGE_OVERLAP = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class DigestSection:
    """One saved search's part of a digest: who is new to it, best first, since when."""

    saved_search: SavedSearch
    since: datetime.datetime | None
    new_ids: list[int]


def _link(name: str, pk: int) -> str:
    return settings.PUBLIC_BASE_URL + reverse(name, args=[pk])


def _digest_text(owner, sections: list[DigestSection]) -> tuple[str, str]:
    listed = [pk for section in sections for pk in section.new_ids[:DIGEST_NAMES]]
    names = dict(Candidate.objects.filter(pk__in=listed).values_list("pk", "name"))
    total = len({pk for section in sections for pk in section.new_ids})  # a person new to two searches is one
    subject = f"{total} new {'person' if total == 1 else 'people'} in your saved searches"
    lines = [
        f"Hello {owner.first_name or owner.username},",
        "",
        "These people were added or changed since each search's previous digest (or, before its first digest,"
        " since you last ran it), match it now and were not among its results then.",
    ]
    for section in sections:
        since = f" since {timezone.localtime(section.since):%d %b %Y %H:%M}" if section.since else ""
        lines += ["", f"“{section.saved_search.name}”: {len(section.new_ids)} new{since}"]
        lines += [
            f"- {' '.join(names.get(pk, '').split())}: {_link('admin:candidates_candidate_change', pk)}"
            for pk in section.new_ids[:DIGEST_NAMES]
        ]
        if len(section.new_ids) > DIGEST_NAMES:
            lines.append(f"- and {len(section.new_ids) - DIGEST_NAMES} more")
        lines.append(f"Run the search again: {_link('admin:matching_savedsearch_run', section.saved_search.pk)}")
    lines += [
        "",
        "Each search compares its first 500 results. People marked do not contact and anonymised people are never"
        " listed.",
        "You receive this because “daily digest” is ticked on these saved searches; untick it on a search's page"
        f" to stop: {settings.PUBLIC_BASE_URL}{reverse('admin:matching_savedsearch_changelist')}",
        "",
        "Sonitec",
    ]
    return subject, "\n".join(lines) + "\n"


@transaction.atomic
def saved_search_digest_send(*, owner) -> Message | None:
    """Run the owner's opted-in saved searches and queue one email listing who is new, or nothing when nobody is.

    Recording who was reported and queueing the email share this transaction: a run cut short records and sends
    nothing, and a second run (a redelivered task) finds nobody new. The rows are locked, so two runs at once
    report each person once. Only active staff who may still view candidates receive a digest.
    """
    if not (owner.is_active and owner.is_staff and owner.has_perm("candidates.view_candidate")):
        return None
    searches = SavedSearch.objects.select_for_update().filter(owner=owner, daily_digest=True).order_by("name", "id")
    sections = []
    for saved_search in searches:
        form = saved_search_form(saved_search=saved_search)
        if not form.is_valid():
            logger.warning("Saved search %s no longer validates; its digest is skipped.", saved_search.pk)
            continue
        params = form.to_params()
        since = saved_search_digest_since(saved_search=saved_search)
        result_ids = saved_search_result_ids(params=params, contactable_only=True)
        changed_ids = (
            saved_search_result_ids(params=params, contactable_only=True, changed_since=since - CHANGE_OVERLAP)
            if since
            else []
        )
        new_ids = saved_search_digest_take(saved_search=saved_search, result_ids=result_ids, changed_ids=changed_ids)
        if new_ids:
            sections.append(DigestSection(saved_search=saved_search, since=since, new_ids=new_ids))
    if not sections:
        return None
    subject, body = _digest_text(owner, sections)
    name = owner.get_full_name() or owner.username
    return outbox.message_queue(to_email=owner.email, to_name=name, subject=subject, body=body)


def saved_search_digests_send() -> int:
    """The daily run: one digest per owner of an opted-in saved search, each in its own transaction, so one
    owner's failure (no valid email address) neither stops nor undoes the others. Returns how many were queued."""
    owners = (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True, saved_searches__daily_digest=True)
        .distinct()
        .order_by("pk")
    )
    queued = 0
    for owner in owners:
        try:
            queued += saved_search_digest_send(owner=owner) is not None
        except ValidationError:
            logger.warning("User %s has no valid email address; no saved-search digest.", owner.pk)
    return queued
