"""Reads for personal data: who has no lawful basis left (retention), and the access log shown to managers."""

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

from candidates.models import Candidate, Consent, ConsentPurpose
from candidates.selectors import consent_in_force_q
from pipelines.models import Placement, PlacementStatus

from .models import AccessLog

ACCESS_LOG_SHOWN = 20


def candidates_under_legal_hold_q(*, today: datetime.date) -> Q:
    """A placement still within its guarantee, or less than RECORDS_KEEP_MONTHS after the last service (the
    Conduct of Employment Agencies Regulations' minimum for keeping records)."""
    keep_since = today - relativedelta(months=settings.RECORDS_KEEP_MONTHS)
    placements = Placement.objects.filter(submission__candidate=OuterRef("pk")).filter(
        Q(guarantee_ends_on__gte=today, status__in=[PlacementStatus.PENDING_START, PlacementStatus.STARTED])
        | Q(guarantee_ends_on__gte=keep_since)
        | Q(ended_on__gte=keep_since)
        | Q(start_date__gte=keep_since)
    )
    return Q(Exists(placements))


def candidates_without_lawful_basis(*, at: datetime.datetime, today: datetime.date) -> QuerySet[Candidate]:
    """People who, at `at`, have no data-processing consent in force and no meaningful contact for
    RETENTION_MONTHS, and are not under legal hold. Anonymised records are never returned again."""
    quiet_since = at - relativedelta(months=settings.RETENTION_MONTHS)
    consent = Consent.objects.filter(
        consent_in_force_q(now=at), candidate=OuterRef("pk"), purpose=ConsentPurpose.DATA_PROCESSING
    )
    return (
        Candidate.objects.filter(anonymised_at=None)
        .filter(Q(last_activity_at__lt=quiet_since) | Q(last_activity_at=None, created_at__lt=quiet_since))
        .exclude(Exists(consent))
        .exclude(candidates_under_legal_hold_q(today=today))
    )


def access_log_for(*, candidate: Candidate, limit: int = ACCESS_LOG_SHOWN) -> list[AccessLog]:
    """The latest entries for the candidate page: one query."""
    return list(AccessLog.objects.filter(candidate=candidate).select_related("user")[:limit])
