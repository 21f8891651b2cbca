# The partner API fixtures (partners, keys, the local webhook receiver) are shared with the API tests.
from tests.api.conftest import (  # noqa: F401
    _fresh_throttle_counts,
    acme,
    eager_celery,
    public_role,
    receiver,
    rival,
)
