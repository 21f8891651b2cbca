# syntax=docker/dockerfile:1
# Sonitec CRM: one image for web (gunicorn), worker and beat (celery), migrate and backups of media.
# Build: docker build -t sonitec-crm .      Run: see docker-compose.yml and docs/deployment.md.

# --- build: the locked dependencies, installed from hashes into a virtual environment --------------------------
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
COPY requirements.txt /tmp/requirements.txt
RUN /opt/venv/bin/pip install --no-deps --require-hashes -r /tmp/requirements.txt

# --- runtime: the virtual environment, the code and the collected static files; runs as an unprivileged user ---
FROM python:3.11-slim-bookworm AS runtime
# "PRIVATE" in PRIVATE_MEDIA_ROOT reads as a secret to hadolint; it is a directory path.
# hadolint ignore=DL3064
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=sonitec.settings \
    DEBUG=false \
    PRIVATE_MEDIA_ROOT=/data/private-media
RUN groupadd --system --gid 10001 sonitec \
    && useradd --system --uid 10001 --gid sonitec --home-dir /app --no-create-home --shell /usr/sbin/nologin sonitec \
    && mkdir -p /data/private-media \
    && chown sonitec:sonitec /data/private-media \
    && chmod 0700 /data/private-media
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY . /app
# Static files are collected (hashed and compressed for whitenoise) at build time; the key only satisfies the
# settings' production check for this one command and is not kept in the image.
RUN SECRET_KEY=collectstatic-only-not-a-secret python manage.py collectstatic --noinput --verbosity 0
USER 10001:10001
EXPOSE 8000
# Liveness of the web process; the compose file and load balancers probe /health/ for readiness.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health/live/', timeout=4).status != 200)"]
CMD ["gunicorn", "--config", "gunicorn.conf.py", "sonitec.wsgi"]
