"""Reads about intakes for the public result page."""

import datetime

from assessments.selectors import PillarBudgetGuide, budget_guide
from roles.models import Pillar

from .models import Intake


def intake_budget_guide(*, intake: Intake, today: datetime.date | None = None) -> list[PillarBudgetGuide]:
    """The intake result page's budget guide: each pillar asked for (at its seniority) and each recommended one
    not asked for (every seniority), only bands with enough data, rounded."""
    asked = [(need.pillar, need.seniority) for need in intake.pillar_needs.all() if not need.suggested]
    asked_ids = {pillar.pk for pillar, _ in asked}
    slugs = [item.get("pillar") for item in intake.recommendation or []]
    recommended = [(p, "") for p in Pillar.objects.filter(slug__in=slugs).exclude(pk__in=asked_ids)]
    return [guide for guide in budget_guide(pillar_seniorities=asked + recommended, today=today) if guide.bands]
