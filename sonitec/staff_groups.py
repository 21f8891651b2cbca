"""The staff roles: the Recruiter, Manager and Administrator groups and the permissions each holds.

Made by a data migration (sonitec/migrations/0004_staff_groups.py) and checked again by `make run`'s demo_setup.
`staff_groups_sync` only adds what is missing, so it is safe to run any number of times and never takes away a
permission an administrator gave a group; a migration that adds a model a role should use calls it again.
"""

from django.apps import apps as global_apps

RECRUITER = "Recruiter"
MANAGER = "Manager"
ADMINISTRATOR = "Administrator"

ACTIONS = {"v": "view", "a": "add", "c": "change", "d": "delete"}


def _model_perms(spec: dict[str, dict[str, str]]) -> list[str]:
    """{"app": {"model": "vac"}} as "app.view_model", "app.add_model", "app.change_model"."""
    return [
        f"{app}.{ACTIONS[action]}_{model}"
        for app, models in spec.items()
        for model, actions in models.items()
        for action in actions
    ]


# A recruiter's day: candidates, clients and contacts, roles, submissions and activities, consents, follow-ups,
# pools and saved searches, interviews, and their own figures on My day. No placements (the money), no
# other recruiters' figures, no administration.
_RECRUITER = [
    *_model_perms(
        {
            "roles": {"role": "vac", "pillar": "v", "skill": "v"},
            "clients": {"client": "vac", "contact": "vac"},
            "candidates": {"candidate": "vac", "candidateskill": "vacd", "candidatedocument": "vac", "consent": "vac"},
            "pipelines": {"submission": "vac", "stagechange": "v", "activity": "vac", "rejectionreason": "vac"},
            "leads": {"enquiry": "vc", "intake": "vc", "intakepillarneed": "v"},
            "messaging": {"followup": "vac", "followupduetoday": "vc", "message": "v"},
            "matching": {"savedsearch": "vacd", "talentpool": "vac", "talentpoolmember": "vacd", "matchaddition": "va"},
            "assessments": {
                "competency": "v",
                "evidence": "vac",
                "interview": "vac",
                "scorecard": "vac",
                "competencyscore": "vac",
            },
        }
    ),
    "pipelines.view_dashboard",
]
# Plus the money and the whole team: placements and fees, every recruiter's figures and pipeline, reports
# (exports of the admin lists).
_MANAGER = [
    *_RECRUITER,
    *_model_perms({"pipelines": {"placement": "vac"}, "imports": {"exportrecord": "v"}}),
    "pipelines.view_team_dashboard",
    "imports.export_data",
]
# Plus running the system: partners, API keys and webhooks, staff users and groups, schedules, email templates
# and follow-up rules, the taxonomy, sign-in lockouts (deleting one releases it) and two-factor devices.
_ADMINISTRATOR = [
    *_MANAGER,
    *_model_perms(
        {
            "partners": {"partner": "vac", "apikey": "vacd", "webhooksubscription": "vacd", "webhookdelivery": "v"},
            "sonitec": {"user": "vac"},
            "auth": {"group": "vacd"},
            "django_celery_beat": {
                "periodictask": "vacd",
                "crontabschedule": "vacd",
                "intervalschedule": "vacd",
                "clockedschedule": "vacd",
                "solarschedule": "vacd",
            },
            "messaging": {"emailtemplate": "vac", "followuprule": "vac"},
            "roles": {"pillar": "ac", "skill": "acd"},
            "pipelines": {"rejectionreason": "d"},
            "imports": {"importjob": "vac"},
            "axes": {"accessattempt": "vd"},
            "otp_totp": {"totpdevice": "vd"},
        }
    ),
]

GROUP_PERMISSIONS: dict[str, list[str]] = {
    RECRUITER: _RECRUITER,
    MANAGER: _MANAGER,
    ADMINISTRATOR: _ADMINISTRATOR,
}


def staff_groups_sync(apps=global_apps) -> None:
    """Make the three groups and give each every permission it is listed with (a migration passes its `apps`).
    A permission whose model is not installed is skipped."""
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    wanted = {perm for perms in GROUP_PERMISSIONS.values() for perm in perms}
    by_name = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in permission_model.objects.filter(
            codename__in={perm.split(".", 1)[1] for perm in wanted}
        ).values_list("pk", "content_type__app_label", "codename")
    }
    for name, perms in GROUP_PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=name)
        group.permissions.add(*[by_name[perm] for perm in perms if perm in by_name])
