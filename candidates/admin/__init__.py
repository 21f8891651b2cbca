"""The candidate pages: records, skills, consents."""

from . import candidates, duplicates

__all__ = ["candidates", "duplicates"]
