"""Reads of follow-ups for the recruiters' workspace."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import FollowUp, FollowUpStatus

DUE_LIST_LIMIT = 6


def followups_due(*, owner=None, today: datetime.date | None = None) -> QuerySet[FollowUp]:
    """Pending follow-ups due by the end of `today` (overdue ones included), soonest first.

    A follow-up is someone's when they own its submission, candidate or role, or the account of its contact.
    """
    today = today or timezone.localdate()
    end_of_day = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min))
    mine = (
        Q(submission__owner=owner)
        | Q(candidate__owner=owner)
        | Q(role__owner=owner)
        | Q(contact__client__account_owner=owner)
        if owner is not None
        else Q()
    )
    return (
        FollowUp.objects.filter(mine, status=FollowUpStatus.PENDING, due_at__lt=end_of_day)
        .select_related("rule", "submission__candidate", "submission__role", "candidate", "role", "contact")
        .order_by("due_at", "id")
    )
