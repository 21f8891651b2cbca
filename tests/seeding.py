"""Data that migrations seed (pillars, skills, follow-up rules and templates).

A transactional test empties every table when it ends, and unlike content types and permissions these rows do
not come back by themselves; tests that flush call `reseed_migration_data` so later tests find them again.
"""

import importlib

SEED_MIGRATIONS = ("roles.migrations.0003_seed_pillars_and_skills", "pipelines.migrations.0003_seed_followup_rules")


# The seeds were written when these models lived in pipelines; they now live in messaging.
MOVED_MODELS = {("pipelines", "emailtemplate"): "messaging", ("pipelines", "followuprule"): "messaging"}


class _CurrentApps:
    """The app registry as the seed functions expect it, with moved models found under their old app label."""

    def get_model(self, app_label: str, model_name: str):
        from django.apps import apps

        return apps.get_model(MOVED_MODELS.get((app_label, model_name.lower()), app_label), model_name)


def reseed_migration_data() -> None:
    for module in SEED_MIGRATIONS:
        importlib.import_module(module).seed(_CurrentApps(), None)  # each seed is idempotent (update_or_create)
