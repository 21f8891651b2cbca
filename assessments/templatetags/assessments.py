"""Pieces of assessment shown on other apps' pages: a submission's interviews and scorecards, a role's pay against
the agency's band, the dashboard's pay-band table."""

from django import template
from django.core.cache import cache

from .. import selectors
from ..models import Interview

register = template.Library()

PAY_BANDS_CACHE_SECONDS = 10 * 60


@register.inclusion_tag("assessments/submission_assessment.html")
def submission_assessment(submission):
    interviews = Interview.objects.filter(submission=submission).order_by("-scheduled_at", "-id")
    return {
        "submission": submission,
        "interviews": list(interviews),
        "table": selectors.submission_scorecards(submission=submission),
    }


@register.inclusion_tag("assessments/role_market.html")
def role_market(role):
    market = selectors.role_market(role=role)
    return {
        "market": market,
        "bands": [market.placements, market.candidates],
        "window_months": selectors.WINDOW_DAYS * 12 // 365,
    }


@register.inclusion_tag("assessments/pay_bands.html")
def pay_band_table():
    # Reads every placement and candidate in the window: cached like the rest of the dashboard.
    rows = cache.get_or_set("assessments:pay-band-table", selectors.pay_band_table, PAY_BANDS_CACHE_SECONDS)
    return {"rows": rows, "window_months": selectors.WINDOW_DAYS * 12 // 365, "min_points": selectors.MIN_POINTS}
