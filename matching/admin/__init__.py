"""Admin for matching: the role's Matches page and its ranking log, saved searches, talent pools."""

from . import matches, pools, saved_searches  # noqa: F401  (each module registers its admin)
