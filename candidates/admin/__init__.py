"""The candidate pages: records, skills, consents."""

from . import candidates

__all__ = ["candidates"]
