"""Partners, their API keys and webhook subscriptions."""

from . import partners

__all__ = ["partners"]
