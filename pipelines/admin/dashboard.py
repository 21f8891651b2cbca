""" "My day": the admin index. Headline figures, what needs doing today, then the charts.

A recruiter sees their own work by default; whoever may see placements (a manager) sees everyone's by
default and fees. Both can pick a recruiter (or everyone) with the filter at the top.
"""

from django.contrib.auth import get_user_model

from messaging import selectors as messaging_selectors

from .. import selectors

MANAGER_PERMISSION = "pipelines.view_placement"


def _scope(request):
    """The recruiter whose figures are shown (None: everyone), and the filter's value."""
    users = get_user_model().objects.filter(is_staff=True, is_active=True).order_by("first_name", "username")
    chosen = request.GET.get("recruiter", "")
    if chosen == "all":
        return None, "all", users
    if chosen.isdigit():
        owner = users.filter(pk=int(chosen)).first()
        if owner is not None:
            return owner, chosen, users
    if request.user.has_perm(MANAGER_PERMISSION):
        return None, "all", users
    return request.user, str(request.user.pk), users


def dashboard_callback(request, context):
    owner, chosen, users = _scope(request)
    day = selectors.my_day(owner=owner)
    due = list(messaging_selectors.followups_due(owner=owner)[: messaging_selectors.DUE_LIST_LIMIT])
    context.update(
        {
            "title": "My day",
            "my_day": day,
            "followups_due": due,
            "recruiters": users,
            "recruiter_chosen": chosen,
            "scope_owner": owner,
            "show_fees": request.user.has_perm(MANAGER_PERMISSION),
            "rejections_total": sum(n for _label, n in day.rejections_by_reason),
        }
    )
    return context
