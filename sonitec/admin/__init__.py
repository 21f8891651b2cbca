"""The staff users."""

from . import users

__all__ = ["users"]
