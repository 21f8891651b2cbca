"""gunicorn settings for the image (`gunicorn -c gunicorn.conf.py sonitec.wsgi`). Every value can be overridden by
the GUNICORN_* variable named beside it."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Sync workers: each request holds one process; (2 x cores) + 1 is gunicorn's rule of thumb for I/O-bound apps.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A request that has not finished in this time is killed (its worker replaced); forms and API calls take well
# under a second, CV uploads a few.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Replace each worker after a bounded number of requests (with jitter, so they do not all restart at once).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# Load the application before forking: less memory per worker, and a broken configuration stops the start.
preload_app = True
# Temporary files of the worker heartbeat in memory, not on the container's overlay filesystem.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Access log: one JSON line per request on stdout, with the path but not the query string (searches hold names
# and emails) and not the client address. The application's own request log adds the user id.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = (
    '{"logger": "gunicorn.access", "method": "%(m)s", "path": "%(U)s", "status": %(s)s, '
    '"bytes": "%(B)s", "duration_ms": %(M)s, "request_id": "%({x-request-id}o)s"}'
)
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Behind a proxy that sets X-Forwarded-* (nginx, a load balancer), trust it only from these addresses.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
