"""Data that migrations seed (pillars, skills, follow-up rules and templates, rejection reasons).

A transactional test empties every table when it ends, and unlike content types and permissions these rows do
not come back by themselves; tests that flush call `reseed_migration_data` so later tests find them again.
"""

import importlib

SEED_MIGRATIONS = (
    "roles.migrations.0003_seed_pillars_and_skills",
    "pipelines.migrations.0003_seed_followup_rules",
    "pipelines.migrations.0006_seed_rejection_reasons",
)
# Models a seed migration names by the app that held them then, and the app that holds them now.
MOVED_MODELS = {("pipelines", "emailtemplate"): "messaging", ("pipelines", "followuprule"): "messaging"}


class _CurrentApps:
    """The live app registry, answering for models by the app label a migration used when it was written."""

    def __init__(self, apps):
        self._apps = apps

    def get_model(self, app_label: str, model_name: str):
        app_label = MOVED_MODELS.get((app_label, model_name.lower()), app_label)
        return self._apps.get_model(app_label, model_name)


def reseed_migration_data() -> None:
    from django.apps import apps

    for module in SEED_MIGRATIONS:
        importlib.import_module(module).seed(_CurrentApps(apps), None)  # each seed is idempotent
