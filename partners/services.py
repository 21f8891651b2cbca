"""Partner rules: partners, their API keys (stored hashed, shown once) and what a partner may see."""

import datetime
import hashlib
import secrets
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from candidates.models import Candidate, ConsentMethod, ConsentPurpose, Source
from candidates.services import candidate_upsert, consent_record, cv_validate
from pipelines.models import ActivityKind, Submission
from pipelines.services import activity_log, cv_received, submission_create
from roles.models import Role, RoleStatus
from sonitec import events
from sonitec.audit import audited_update

from .models import ApiKey, Partner, PartnerScope
from .selectors import partners_who_see_role, roles_visible_to_partner

KEY_PREFIX_LENGTH = 8
# last_used_at is a hint for admins, not an audit log: writing it at most once a minute keeps the hot path read-only.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def _hash_key(key: str) -> str:
    # The key carries 256 bits of randomness, so a fast hash is enough (no dictionary to attack).
    return hashlib.sha256(key.encode()).hexdigest()


def _cache_name(key_hash: str) -> str:
    return f"api-key:{key_hash}"


# Each process also keeps its lookups for at most this long: a partner's burst of requests then costs no cache
# call either. A change made through the services reaches the process that made it at once (api_keys_forget) and
# every other process within this time.
LOCAL_SECONDS = 1.0
_LOCAL_MAX = 10_000  # keys a process keeps at once; past that it starts afresh
_local: dict[str, tuple[float, ApiKey]] = {}


def _key_lookup(key_hash: str, before_database: Callable[[], None]) -> ApiKey | None:
    """The key's row with its partner, read from the database at most once every API_KEY_CACHE_SECONDS per key: a
    partner's burst of requests costs one lookup. The services that revoke a key or change a partner forget the
    entry (api_keys_forget), so those take effect at once in the process that made them and within LOCAL_SECONDS
    in the others; any other change is seen within API_KEY_CACHE_SECONDS."""
    seconds = settings.API_KEY_CACHE_SECONDS
    now = time.time()
    local = _local.get(key_hash) if seconds > 0 else None
    if local is not None and local[0] > now:
        return local[1]
    name = _cache_name(key_hash)
    cached = cache.get(name) if seconds > 0 else None
    # The entry carries its own deadline, so staleness stays bounded even where the cache keeps it longer.
    if cached is not None and cached[0] > now:
        _keep_locally(key_hash, cached[0], cached[1], now)
        return cached[1]
    before_database()
    api_key = ApiKey.objects.select_related("partner").filter(key_hash=key_hash).first()
    if api_key is not None and seconds > 0:
        cache.set(name, (now + seconds, api_key), timeout=seconds)
        _keep_locally(key_hash, now + seconds, api_key, now)
    return api_key


def _keep_locally(key_hash: str, deadline: float, api_key: ApiKey, now: float) -> None:
    if len(_local) >= _LOCAL_MAX:
        _local.clear()
    _local[key_hash] = (min(deadline, now + LOCAL_SECONDS), api_key)


def api_keys_forget(*, keys: Iterable[ApiKey]) -> None:
    """Drop the cached lookups of these keys, now and again when the transaction commits (a request reading the
    database meanwhile may have cached the row as it was before the change)."""
    hashes = [api_key.key_hash for api_key in keys]
    if hashes:
        _forget(hashes)
        transaction.on_commit(lambda: _forget(hashes))


def _forget(hashes: list[str]) -> None:
    for key_hash in hashes:
        _local.pop(key_hash, None)
    cache.delete_many([_cache_name(key_hash) for key_hash in hashes])


def scopes_validate(scopes: list[str]) -> list[str]:
    known = set(PartnerScope.values)
    unknown = [scope for scope in scopes if scope not in known]
    if unknown:
        raise ValidationError(
            {"scopes": f"Unknown scope(s): {', '.join(unknown)}. Known scopes: {', '.join(PartnerScope.values)}."}
        )
    return sorted(set(scopes))


@transaction.atomic
def partner_create(*, name: str, contact_email: str, scopes: list[str] | None = None) -> Partner:
    """Create an active partner; scopes default to all of them."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "A partner needs a name."})
    try:
        validate_email(contact_email)
    except ValidationError as error:
        raise ValidationError({"contact_email": "Enter a valid contact email address."}) from error
    if Partner.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"A partner named {name!r} already exists."})
    scopes = scopes_validate(PartnerScope.values if scopes is None else scopes)
    return Partner.objects.create(name=name, contact_email=contact_email, scopes=scopes)


@transaction.atomic
def api_key_create(
    *, partner: Partner, name: str = "", expires_at: datetime.datetime | None = None
) -> tuple[ApiKey, str]:
    """Make a new key for a partner. Returns (api_key, key): the key itself is never stored, so show it now."""
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "The expiry must be in the future."})
    while True:
        prefix = secrets.token_hex(KEY_PREFIX_LENGTH // 2)
        if not ApiKey.objects.filter(prefix=prefix).exists():
            break
    key = f"sk_{prefix}_{secrets.token_urlsafe(32)}"
    api_key = ApiKey.objects.create(
        partner=partner, name=name, prefix=prefix, key_hash=_hash_key(key), expires_at=expires_at
    )
    return api_key, key


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    """Revoke a key at once; revoking twice keeps the first time."""
    ApiKey.objects.filter(pk=api_key.pk, revoked_at=None).update(revoked_at=timezone.now())
    api_key.refresh_from_db(fields=["revoked_at", "key_hash"])
    api_keys_forget(keys=[api_key])
    return api_key


def api_key_authenticate(*, key: str, before_database: Callable[[], None] = lambda: None) -> ApiKey | None:
    """The live key matching this secret, with its partner; None if unknown, revoked, expired or partner inactive.
    `before_database` runs (and may raise) before the key is read from the database rather than the cache."""
    if not key or len(key) > 200:
        return None
    api_key = _key_lookup(_hash_key(key), before_database)
    now = timezone.now()
    if (
        api_key is None
        or api_key.revoked_at is not None
        or (api_key.expires_at is not None and api_key.expires_at <= now)
        or not api_key.partner.is_active
    ):
        return None
    if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
        api_keys_forget(keys=[api_key])  # the next request reads the new time rather than writing it again
    return api_key


@transaction.atomic
def partner_candidate_submit(
    *,
    partner: Partner,
    email: str,
    details: dict[str, Any],
    consent_notice_version: str,
    role_ids: list[int],
    cv: UploadedFile | None = None,
) -> list[int]:
    """A partner submits a person, optionally to roles it can see. Returns the ids of the roles received.

    The answer is the same whether or not the person was already on file, and whether or not they are already in
    a role's pipeline through someone else (recruiters are told; the partner is not): an existing record is only
    filled in where empty (never overwritten, CV included), and nothing about it is returned. Partners follow
    their own submissions with GET /submissions/ and webhooks.
    """
    roles = list(roles_visible_to_partner(partner=partner).filter(pk__in=role_ids))
    unknown = sorted(set(role_ids) - {role.pk for role in roles})
    if unknown:
        # Same message for a role that does not exist and one not published to this partner.
        raise ValidationError({"role_ids": f"Unknown role id(s): {', '.join(map(str, unknown))}."})
    if cv is not None:
        cv_validate(cv)  # before anything is written
    candidate, created = candidate_upsert(email=email, defaults={**details, "source": Source.PARTNER})
    if created:
        audited_update(Candidate.objects.filter(pk=candidate.pk), source_partner=partner)
    if cv is not None:
        cv_received(candidate=candidate, upload=cv, source=Source.PARTNER, via=f"partner {partner.name}")
    note = f"Given through partner {partner.name}."
    consent_record(
        candidate=candidate,
        purpose=ConsentPurpose.DATA_PROCESSING,
        method=ConsentMethod.PARTNER,
        notice_version=consent_notice_version,
        partner=partner,
        note=note,
    )
    existing = {
        submission.role_id: submission
        for submission in Submission.objects.select_for_update().filter(candidate=candidate, role__in=roles)
    }
    for role in roles:
        submission = existing.get(role.pk)
        if submission is not None and submission.source_partner_id != partner.pk:
            # The person is already in this pipeline through someone else: recruiters learn of the second
            # submission; the partner is told nothing about the first, and its attestation of consent to
            # represent does not cover a submission it does not own (the gate ignores it there too).
            activity_log(
                author=None,
                kind=ActivityKind.NOTE,
                submission=submission,
                subject=f"Also submitted by partner {partner.name}",
            )
            continue
        consent_record(
            candidate=candidate,
            purpose=ConsentPurpose.REPRESENTATION,
            method=ConsentMethod.PARTNER,
            notice_version=consent_notice_version,
            role=role,
            partner=partner,
            note=note,
        )
        if submission is None:
            submission = submission_create(
                candidate=candidate,
                role=role,
                source=Source.PARTNER,
                source_partner=partner,
                note=f"Submitted by partner {partner.name}.",
            )
            events.application_received(submission)
    return sorted(role.pk for role in roles)


def role_partner_ids(*, role: Role) -> set[int]:
    """The partners this role is published to, by its visibility setting (whatever its status)."""
    return set(partners_who_see_role(role=role).values_list("pk", flat=True))


@transaction.atomic
def role_partners_changed(*, role: Role, partner_ids_before: set[int], was_open: bool) -> None:
    """After an edit of who may see a role: an open role is announced to the partners who can now see it and
    withdrawn from those who no longer can. A role that has just opened was announced by role_set_status."""
    if not was_open or role.status != RoleStatus.OPEN:
        return
    partner_ids_now = role_partner_ids(role=role)
    gained, lost = partner_ids_now - partner_ids_before, partner_ids_before - partner_ids_now
    if gained or lost:
        events.role_partners_changed(role, gained_partner_ids=gained, lost_partner_ids=lost)
