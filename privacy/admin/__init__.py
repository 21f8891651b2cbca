"""The personal-data pages: access log, privacy requests (the data-protection owner's tasks), renewal requests,
retention runs. The export and erase actions on candidates and contacts live in `actions`."""

from . import records

__all__ = ["records"]
