"""Reads about candidates as people: which consents are in force, and the signed self-service link.

A consent is in force when it was not withdrawn and has not expired. Each purpose expires on its own clock
(periods in settings, see docs/privacy.md):
- data processing: CONSENT_DATA_PROCESSING_MONTHS after the later of when it was given and the candidate's last
  meaningful contact (`last_activity_at`);
- marketing: CONSENT_MARKETING_MONTHS after it was given;
- representation: CONSENT_REPRESENTATION_DAYS_AFTER_CLOSE days after the role closed (open roles: in force).
Expired consent counts as absent everywhere: every check goes through `consent_in_force_q`.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .models import Candidate, Consent, ConsentPurpose

SELF_SERVICE_SALT = "candidates.self-service"


def consent_in_force_q(*, now: datetime.datetime | None = None, prefix: str = "") -> Q:
    """A filter for Consent rows (or, with `prefix="consents__"`, rows related to them) that are in force now."""
    now = now or timezone.now()
    data_since = now - relativedelta(months=settings.CONSENT_DATA_PROCESSING_MONTHS)
    marketing_since = now - relativedelta(months=settings.CONSENT_MARKETING_MONTHS)
    closed_since = timezone.localdate(now) - datetime.timedelta(days=settings.CONSENT_REPRESENTATION_DAYS_AFTER_CLOSE)

    def q(**lookups) -> Q:
        return Q(**{f"{prefix}{key}": value for key, value in lookups.items()})

    return q(withdrawn_at=None) & (
        (
            q(purpose=ConsentPurpose.DATA_PROCESSING)
            & (q(given_at__gte=data_since) | q(candidate__last_activity_at__gte=data_since))
        )
        | (q(purpose=ConsentPurpose.MARKETING) & q(given_at__gte=marketing_since))
        | (q(purpose=ConsentPurpose.REPRESENTATION) & (q(role__closed_on=None) | q(role__closed_on__gte=closed_since)))
    )


def consent_is_current(
    *, candidate: Candidate, purpose: str = ConsentPurpose.DATA_PROCESSING, role=None, now=None
) -> bool:
    return (
        Consent.objects.filter(candidate=candidate, purpose=purpose, role=role)
        .filter(consent_in_force_q(now=now))
        .exists()
    )


def consent_expires_at(*, consent: Consent) -> datetime.datetime | None:
    """When this consent lapses (None: not on a clock, e.g. representation for a role still open).

    Reads `consent.candidate` and `consent.role`: select them with the consent when listing many.
    """
    if consent.purpose == ConsentPurpose.DATA_PROCESSING:
        last_contact = consent.candidate.last_activity_at
        start = max(consent.given_at, last_contact) if last_contact else consent.given_at
        return start + relativedelta(months=settings.CONSENT_DATA_PROCESSING_MONTHS)
    if consent.purpose == ConsentPurpose.MARKETING:
        return consent.given_at + relativedelta(months=settings.CONSENT_MARKETING_MONTHS)
    if consent.role is not None and consent.role.closed_on is not None:
        end = consent.role.closed_on + datetime.timedelta(days=settings.CONSENT_REPRESENTATION_DAYS_AFTER_CLOSE)
        return timezone.make_aware(datetime.datetime.combine(end, datetime.time.max))
    return None


def consent_state(*, consent: Consent, now: datetime.datetime | None = None) -> str:
    """'withdrawn', 'expired' or 'in force', as shown to staff and to the candidate."""
    now = now or timezone.now()
    if consent.withdrawn_at is not None:
        return "withdrawn"
    expires = consent_expires_at(consent=consent)
    return "expired" if expires is not None and expires < now else "in force"


# ---- the self-service link: no login, a signed token naming the candidate --------------------------------------


def candidate_self_service_token(*, candidate: Candidate) -> str:
    return signing.dumps({"candidate": candidate.pk}, salt=SELF_SERVICE_SALT, compress=True)


def candidate_from_self_service_token(*, token: str) -> Candidate | None:
    """The candidate a link was made for, or None if it was tampered with, is too old, or they were erased."""
    try:
        data = signing.loads(
            token, salt=SELF_SERVICE_SALT, max_age=datetime.timedelta(days=settings.SELF_SERVICE_LINK_DAYS)
        )
    except signing.BadSignature:
        return None
    return Candidate.objects.filter(pk=data.get("candidate"), anonymised_at=None).first()


def candidate_self_service_url(*, candidate: Candidate) -> str:
    path = reverse("public:privacy_self_service", args=[candidate_self_service_token(candidate=candidate)])
    return f"{settings.PUBLIC_BASE_URL}{path}"


def candidate_email_footer(*, candidate: Candidate) -> str:
    """The lines every email to a candidate ends with: their self-service link (see consents, withdraw, ask)."""
    return (
        "\n\n--\nSee the consents we hold for you, withdraw any of them, or ask for a copy or the erasure of your "
        f"data (no login needed): {candidate_self_service_url(candidate=candidate)}\n"
    )
