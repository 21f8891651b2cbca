""" "My day": the admin index. Headline figures, what needs doing today, then the charts.

A recruiter (DASHBOARD_PERMISSION) sees only their own work. A manager (MANAGER_PERMISSION) sees everyone's by
default, the fees and the team's charts, and can pick one recruiter with the filter at the top. A staff member
with neither sees only where to ask for a role.
"""

from django.contrib.auth import get_user_model

from messaging import selectors as messaging_selectors

from .. import selectors

DASHBOARD_PERMISSION = "pipelines.view_dashboard"
MANAGER_PERMISSION = "pipelines.view_team_dashboard"


def _scope(request):
    """The recruiter whose figures are shown (None: everyone), the filter's value and its choices: only a manager
    may choose; anyone else sees their own figures whatever the address asks for."""
    if not request.user.has_perm(MANAGER_PERMISSION):
        return request.user, str(request.user.pk), []
    users = get_user_model().objects.filter(is_staff=True, is_active=True).order_by("first_name", "username")
    chosen = request.GET.get("recruiter", "")
    if chosen == "all":
        return None, "all", users
    if chosen.isdigit():
        owner = users.filter(pk=int(chosen)).first()
        if owner is not None:
            return owner, chosen, users
    return None, "all", users


def dashboard_callback(request, context):
    if not request.user.has_perm(DASHBOARD_PERMISSION) and not request.user.has_perm(MANAGER_PERMISSION):
        context.update({"title": "My day", "no_role": not request.user.get_all_permissions()})
        return context
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
            "show_dashboard": True,
            # The fees, and the team's charts and pay bands (every recruiter's work and placements).
            "show_fees": request.user.has_perm(MANAGER_PERMISSION),
            "show_team": request.user.has_perm(MANAGER_PERMISSION),
            "rejections_total": sum(n for _label, n in day.rejections_by_reason),
        }
    )
    return context
