"""The staff users and groups, sign-in lockouts and two-factor devices, and celery beat's schedules, in the
workspace's look."""

from . import schedules, security, two_factor, users

__all__ = ["schedules", "security", "two_factor", "users"]
