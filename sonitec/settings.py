"""Settings for Sonitec CRM, read from the environment (see README "Configuration").

Unset DATABASE_URL means an SQLite file beside manage.py; unset REDIS_URL means Celery
runs tasks in-process and the cache is local memory: the embedded default used by `make run`.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.templatetags.static import static
from django.urls import reverse_lazy
from django.utils.text import format_lazy

from sonitec import config

BASE_DIR = Path(__file__).resolve().parent.parent

# Every variable can also come from a file named by NAME_FILE (Docker and Kubernetes secrets), e.g. SECRET_KEY_FILE.
env = config.SecretFileEnv()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Unset means development, so `manage.py` works in a fresh checkout; deployments set DEBUG=false, and then
# nothing starts without a SECRET_KEY (docker-compose.yml does exactly that).
DEBUG = env.bool("DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-only-used-while-debug-is-on")
else:
    # Production refuses to start without its secret rather than run on a guessable one.
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # The admin theme (the recruiters' workspace): before django.contrib.admin, whose templates it overrides.
    "unfold",
    "unfold.contrib.filters",
    "unfold.contrib.simple_history",
    "unfold.contrib.import_export",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "simple_history",
    "sonitec",
    "roles",
    "clients",
    "candidates",
    "pipelines",
    "leads",
    "partners",
    "messaging",
    "imports",
    "import_export",
    "assessments",
    "matching",
    "privacy",
    # Security (README "Security"): login lockout, two-factor sign-in for staff.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    # Operations first: the request log and id wrap everything; health probes answer before host checks and the
    # HTTPS redirect (load balancers probe plain HTTP by address); outages become 503s (see sonitec/outage.py).
    "sonitec.observability.RequestLogMiddleware",
    "sonitec.health.HealthCheckMiddleware",
    "sonitec.outage.ServiceUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "sonitec.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETag on every GET: a partner re-reading an unchanged page gets 304 Not Modified and no body.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two-factor: marks request.user verified by a device, then keeps staff who owe a code (or, for superusers
    # when required, a device) out of the admin and the staff API until they give it (sonitec/two_factor.py).
    "django_otp.middleware.OTPMiddleware",
    "sonitec.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "sonitec.middleware.MethodNotAllowedPageMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into its lockout answer.
    "axes.middleware.AxesMiddleware",
]

AUTH_USER_MODEL = "sonitec.User"
ROOT_URLCONF = "sonitec.urls"
WSGI_APPLICATION = "sonitec.wsgi.application"
ASGI_APPLICATION = "sonitec.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Overrides of the admin theme's templates (accessibility fixes), searched before the apps' own.
        "DIRS": [BASE_DIR / "sonitec" / "theme"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # An unreachable database fails a request within seconds (a 503, see sonitec/outage.py) instead of hanging it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", env.int("DB_CONNECT_TIMEOUT", 5))
    # Candidate search (docs/search.md): how alike a misspelt name must be to match, set per connection so the
    # trigram indexes serve the `%` and `%>` operators. 0.5 finds "Lena Usmn" for Lena Usman but not every Lena.
    # JIT compilation costs more than it saves on these short queries, so it is off. Broad text is ranked within
    # the first matches a scan finds (RANK_WINDOW): a synchronized scan starts wherever another one is, so the same
    # search would rank a different sample each time and its pages would overlap; scans start at the table's start.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = (
        _options.get("options", "")
        + " -c pg_trgm.similarity_threshold=0.5 -c pg_trgm.word_similarity_threshold=0.6"
        + " -c jit=off -c synchronize_seqscans=off"
    ).strip()
# Optional read replica: the dashboard reads there (sonitec/db_routers.py); everything else stays on the primary.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {**env.db("DATABASE_REPLICA_URL"), "TEST": {"MIRROR": "default"}}
    DATABASE_ROUTERS = ["sonitec.db_routers.ReplicaRouter"]
# Every PostgreSQL database through Django's backend with timestamps read in C, health checks that ask the socket
# first and a prepared-statement cursor for the API's list pages (sonitec/postgresql/base.py).
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        _database["ENGINE"] = "sonitec.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "sonitec.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis outage fails fast (a 503) rather than hanging every request.
            "OPTIONS": {"socket_connect_timeout": 3, "socket_timeout": 3},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Argon2 with a memory cost a burst of sign-ins on a 2-core server can take (sonitec/hashers.py, figures in
# docs/deployment.md). Hashes made with Django's default cost still verify and are re-hashed at the next sign-in.
PASSWORD_HASHERS = [
    "sonitec.hashers.LeanArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
FORMAT_MODULE_PATH = ["sonitec.formats"]  # en-GB with the 24-hour clock (sonitec/formats/en_GB)
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True
FORMS_URLFIELD_ASSUME_HTTPS = True  # the Django 6 default, opted into now

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploaded files (CVs) are private: kept outside the static and any public path, never given a URL,
# and read only through views that check permissions.
MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private-media")))
STORAGES = {
    "default": {"BACKEND": "sonitec.storage.PrivateFileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_PERMISSIONS = 0o600
# Request size limits: forms carry little text; a CV is at most 5 MB (checked again per file).
DATA_UPLOAD_MAX_MEMORY_SIZE = 1 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 1 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

vars().update(config.email_settings(env, "EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Sonitec <hello@sonitec.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGIN_URL = "admin:login"

# Security: strict by default in production; `manage.py check --deploy` passes with no warnings. README "Security"
# lists what each setting below protects, and the test that shows it.
#
# Sign-in lockout (django-axes): AXES_FAILURE_LIMIT failed sign-ins from one address for one username lock that
# pair out (429 and a page saying so) for AXES_COOLOFF_TIME hours; a success in between starts the count again.
# Administrators see the locks under Administration > Sign-in lockouts and release them there. Axes' backend
# comes first so a locked-out pair never reaches the password check (and never costs an Argon2 hash). The second
# is Django's ModelBackend with each user's permissions kept in the default cache (sonitec/auth_cache.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "sonitec.auth_cache.CachedPermissionsBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_TIME", default=1.0)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/sonitec/locked_out.html"  # a 429 page that says what happened and what to do
AXES_ENABLE_ADMIN = False  # shown by sonitec/admin/security.py, in the workspace's look
AXES_DISABLE_ACCESS_LOG = True  # failures are what count; successful sign-ins are not recorded
AXES_VERBOSE = False  # no banner on every command
# The client address as the public forms and the API throttles see it (TRUSTED_PROXIES / NUM_PROXIES).
AXES_CLIENT_IP_CALLABLE = "sonitec.public.client_ip"
#
# Two-factor sign-in (django-otp, TOTP): any staff member can turn it on for themselves in the admin (their
# name, top right: "Two-factor sign-in"); from then on the admin asks for a code after the password. Superusers
# without a confirmed device are sent to set one up before any admin page while REQUIRE_2FA_FOR_SUPERUSERS is on
# (the default when DEBUG is off; `make run`, with DEBUG on, keeps the demo logins password-only).
REQUIRE_2FA_FOR_SUPERUSERS = env.bool("REQUIRE_2FA_FOR_SUPERUSERS", default=not DEBUG)
OTP_TOTP_ISSUER = "Sonitec CRM"
#
# Content-Security-Policy (django-csp) on every page. The public site runs only our own scripts and styles, no
# inline code. The admin theme (django-unfold) needs two exceptions, added for /admin/ only by
# sonitec/csp.py: 'unsafe-eval' for scripts, because Alpine.js compiles the expressions in its x-data/x-on
# attributes with new Function(); 'unsafe-inline' for styles, because the theme writes its colours into a <style>
# element, htmx injects its indicator styles and the workspace's charts size themselves with style attributes.
# Scripts stay 'self' there too: the admin has no inline script. The API docs (Swagger UI, ReDoc) keep their
# vendors' inline bootstrap script and styles, so they get 'unsafe-inline' for both, and ReDoc a blob: worker.
_CSP_SELF = ["'self'"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": _CSP_SELF,
        "script-src": _CSP_SELF,
        "style-src": _CSP_SELF,
        "img-src": [*_CSP_SELF, "data:"],
        "font-src": _CSP_SELF,
        "connect-src": _CSP_SELF,
        "object-src": ["'none'"],
        "base-uri": _CSP_SELF,
        "form-action": _CSP_SELF,
        "frame-ancestors": ["'none'"],
    },
}
CSP_EXTRA_BY_PATH = {
    "/admin/": {"script-src": ["'unsafe-eval'"], "style-src": ["'unsafe-inline'"]},
    "/api/docs/": {"script-src": ["'unsafe-inline'"], "style-src": ["'unsafe-inline'"]},
    "/api/redoc/": {"script-src": ["'unsafe-inline'"], "style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]},
}
#
# Sessions, cookies and headers.
SESSION_COOKIE_HTTPONLY = True
# Staff sessions end after SESSION_COOKIE_AGE seconds without a request (default 12 hours): every request renews
# the expiry, so it counts inactivity, not time since sign-in. The renewal is written at most once a minute
# (sonitec/sessions.py), not on every request of a burst of staff API calls; sessions are read through the
# default cache, the database staying their source of truth.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ENGINE = "sonitec.sessions"
CSRF_COOKIE_HTTPONLY = False  # the admin's JavaScript and the API's staff clients read it
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Celery: Redis is the broker when REDIS_URL is set; otherwise tasks run in-process (embedded default).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Every task has a soft time limit (SoftTimeLimitExceeded is raised inside it, so it can roll back cleanly) and a
# hard one (the worker process is replaced); tasks that need less set their own, lower limits.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Queues where load differs (default, email, webhooks), routed by task name; a worker started without -Q
# consumes all three. A worker process is replaced after this many tasks, which bounds any slow memory growth.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = {name: {"routing_key": name} for name in config.TASK_QUEUES}
CELERY_TASK_ROUTES = config.TASK_ROUTES
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=1000)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # workers log through LOGGING below, as JSON in production

# Partner API keys are checked by the partners app; the API infrastructure only knows this name.
API_KEY_AUTHENTICATOR = "partners.services.api_key_authenticate"
# A key's row (with its partner's scopes) is read once per this many seconds per key, not on every request of a
# burst. Revoking a key and editing a partner or key in the admin take effect at once in the process that made the
# change and within a second in the others (partners/services.py); any other change to those rows within this
# time. 0 reads the row on every request.
API_KEY_CACHE_SECONDS = env.int("API_KEY_CACHE_SECONDS", default=5)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "sonitec.api.schema.ApiAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["sonitec.api.filters.QueryFilterBackend"],
    # Partner API (see docs/api.md): partner keys or staff sessions, nothing open by default.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "sonitec.api.authentication.PartnerKeyAuthentication",
        "sonitec.api.authentication.StaffSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "sonitec.api.pagination.StableCursorPagination",
    "DEFAULT_RENDERER_CLASSES": ["sonitec.api.renderers.FastJSONRenderer"],
    # JSON bodies only; the one endpoint that takes a file (a partner's candidate with a CV) adds multipart itself,
    # so the schema offers each request body under the media types the endpoint really reads. The parser bounds
    # size, depth and encoding (sonitec/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": ["sonitec.api.parsers.SafeJSONParser"],
    "DEFAULT_THROTTLE_CLASSES": [
        "sonitec.api.throttling.PartnerKeyThrottle",
        "sonitec.api.throttling.StaffUserThrottle",
        "sonitec.api.throttling.AnonAddressThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "partner_key": env.str("API_PARTNER_RATE", default="600/min"),
        "staff_user": env.str("API_STAFF_RATE", default="1200/min"),
        "anon": env.str("API_ANON_RATE", default="120/min"),
    },
    "EXCEPTION_HANDLER": "sonitec.api.errors.api_exception_handler",
    # Anonymous throttling keys on the client address: X-Forwarded-For counts only as far as this many proxies
    # of ours append to it (0: the header is ignored and REMOTE_ADDR is used; it cannot be forged).
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# Failed API-key attempts per client address before that address gets 429s.
API_FAILED_KEY_RATE = env.str("API_FAILED_KEY_RATE", default="20/m")
SPECTACULAR_SETTINGS = {
    "TITLE": "Sonitec CRM API",
    "DESCRIPTION": "Partner and staff API of Sonitec CRM. Partners: see the quick start in docs/api.md.",
    "VERSION": "1.0.0",
    "CONTACT": {
        "name": "Sonitec partner support",
        "email": env.str("API_CONTACT_EMAIL", default="api@sonitec.example"),
    },
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc are served from our own static files (drf-spectacular-sidecar), no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": True},
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "sonitec.api.schema.tidy_schema"],
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "pipelines.models.Stage",
        "RemotePolicyEnum": "roles.models.RemotePolicy",
        "RoleStatusEnum": "roles.models.RoleStatus",
        "CandidateStatusEnum": "candidates.models.CandidateStatus",
        "PlacementStatusEnum": "pipelines.models.PlacementStatus",
        "ClientStatusEnum": "clients.models.ClientStatus",
    },
}
# Webhooks (clients/webhooks.py): targets on loopback/private/link-local addresses are refused unless this is on
# (only for tests and local development with a receiver on this machine).
WEBHOOK_ALLOW_PRIVATE_TARGETS = env.bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", default=False)
# With a broker a worker sends each delivery right after commit. Without one (embedded default) tasks would run
# inside the staff request that fired the event, so the rows wait for the dispatcher loop (run_dispatcher) instead.
WEBHOOKS_SENT_BY_WORKER = bool(REDIS_URL)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=7)
WEBHOOK_SUSPEND_AFTER_FAILURES = env.int("WEBHOOK_SUSPEND_AFTER_FAILURES", default=20)

# Public site (home, contact, intake, job board): the privacy notice version stored with every consent given
# there (change it whenever the notice's wording changes), and the per-IP limit on posts to each public form.
# The form limit is a sliding window kept in the default cache (Redis when REDIS_URL is set, shared by all web
# processes; local memory in embedded mode). Failed API keys are counted in the same kind of window.
PRIVACY_NOTICE_VERSION = "2026-01"
# Job adverts' structured data: the country of a role's address, and where applicants to remote roles must live.
JOB_BOARD_COUNTRY = env.str("JOB_BOARD_COUNTRY", default="GB")
PUBLIC_FORM_RATE = env.str("PUBLIC_FORM_RATE", default="5/m")
# Our reverse proxies (addresses or networks, comma-separated). Behind them the visitor's address is the
# right-most X-Forwarded-For entry that is not one of them (sonitec.public.client_address); it takes precedence
# over NUM_PROXIES. Empty: X-Forwarded-For counts only as far as NUM_PROXIES says.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# JSON lines in production, console lines in development (LOG_FORMAT=json|console overrides); see
# sonitec/observability.py for what each record carries.
LOG_FORMAT = env.str("LOG_FORMAT", default="console" if DEBUG else "json")
LOGGING = config.logging_config(json_logs=LOG_FORMAT == "json", level=env.str("LOG_LEVEL", default="INFO"))

# Error reporting: only when SENTRY_DSN is set (Django, Celery and Redis integrations; no personal data sent).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    config.sentry_init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        release=env.str("SENTRY_RELEASE", default="") or None,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# Follow-ups and the outbox (docs/followups.md). EMAIL_BACKEND overrides what EMAIL_URL chose, e.g. a
# backend that records sends for the integration tests; EMAIL_TIMEOUT bounds a hung mail server, and must stay
# well under OUTBOX_SENDING_TIMEOUT_SECONDS, after which a "sending" message is considered abandoned.
if env.str("EMAIL_BACKEND", default=""):
    EMAIL_BACKEND = env.str("EMAIL_BACKEND")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
FOLLOWUP_TEAM_EMAIL = env.str("FOLLOWUP_TEAM_EMAIL", default="team@sonitec.example")
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=5)
OUTBOX_RETRY_BASE_SECONDS = env.float("OUTBOX_RETRY_BASE_SECONDS", default=30.0)
OUTBOX_RETRY_MAX_SECONDS = env.float("OUTBOX_RETRY_MAX_SECONDS", default=15 * 60.0)
OUTBOX_STALE_AFTER_SECONDS = env.float("OUTBOX_STALE_AFTER_SECONDS", default=120.0)
OUTBOX_SENDING_TIMEOUT_SECONDS = env.float("OUTBOX_SENDING_TIMEOUT_SECONDS", default=600.0)
# Messages per send task: claimed together, sent over one mail connection, marked sent in one transaction.
# Large enough that the per-task and per-batch costs vanish; small enough that a slow mail server (half a second
# a message) still finishes a batch well inside the task's soft time limit (250 x 0.5 s = 125 s of 240).
OUTBOX_SEND_BATCH_SIZE = env.int("OUTBOX_SEND_BATCH_SIZE", default=250)

# Personal data (docs/privacy.md). Every period the privacy notice states is read from these settings, so the
# public page and the code cannot disagree. Months are calendar months.
CONSENT_DATA_PROCESSING_MONTHS = env.int("CONSENT_DATA_PROCESSING_MONTHS", default=24)  # from the last contact
CONSENT_MARKETING_MONTHS = env.int("CONSENT_MARKETING_MONTHS", default=24)  # from when it was given
CONSENT_REPRESENTATION_DAYS_AFTER_CLOSE = env.int("CONSENT_REPRESENTATION_DAYS_AFTER_CLOSE", default=30)
RETENTION_MONTHS = env.int("RETENTION_MONTHS", default=24)  # no consent and no contact for this long
RETENTION_RENEWAL_ANSWER_DAYS = env.int("RETENTION_RENEWAL_ANSWER_DAYS", default=30)  # then anonymised
RECORDS_KEEP_MONTHS = env.int("RECORDS_KEEP_MONTHS", default=12)  # after the last service (Conduct Regulations)
LEAD_RETENTION_MONTHS = env.int("LEAD_RETENTION_MONTHS", default=24)  # enquiries/intakes that never converted
SPAM_RETENTION_DAYS = env.int("SPAM_RETENTION_DAYS", default=30)
ACCESS_LOG_MONTHS = env.int("ACCESS_LOG_MONTHS", default=24)
DPO_EMAIL = env.str("DPO_EMAIL", default="privacy@sonitec.example")
PRIVACY_REQUEST_DUE_DAYS = env.int("PRIVACY_REQUEST_DUE_DAYS", default=30)  # the statutory one month
SELF_SERVICE_LINK_DAYS = env.int("SELF_SERVICE_LINK_DAYS", default=180)  # how long an emailed link works
# Links in emails are absolute: the public address of the site.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Generated API clients need a base address; the operations' paths start with /api/v1/.
SPECTACULAR_SETTINGS["SERVERS"] = [{"url": PUBLIC_BASE_URL, "description": "This installation"}]
RETENTION_BATCH_SIZE = env.int("RETENTION_BATCH_SIZE", default=200)
# A subject-access export whose CV files or rows exceed these is built by a task and offered for download once.
EXPORT_INLINE_MAX_BYTES = env.int("EXPORT_INLINE_MAX_BYTES", default=10 * 1024 * 1024)
EXPORT_INLINE_MAX_ROWS = env.int("EXPORT_INLINE_MAX_ROWS", default=2000)


# The recruiters' workspace (django-unfold). The sidebar is ordered for a recruiter's day; each entry shows only to
# those with the permission behind it, so the administration group appears only for those allowed.
def _can(*perms: str):
    return lambda request: any(request.user.has_perm(perm) for perm in perms)


def _nav(title: str, icon: str, url: str, perm: str, query: str = "") -> dict:
    link = format_lazy("{}?{}", reverse_lazy(url), query) if query else reverse_lazy(url)
    return {"title": title, "icon": icon, "link": link, "permission": _can(perm)}


UNFOLD = {
    "SITE_TITLE": "Sonitec CRM",
    "SITE_HEADER": "Sonitec CRM",
    "SITE_SUBHEADER": "Recruiting workspace",
    "SITE_URL": "/",
    "SITE_SYMBOL": "groups",
    "SITE_FAVICONS": [{"rel": "icon", "type": "image/svg+xml", "href": lambda request: static("sonitec/favicon.svg")}],
    "DASHBOARD_CALLBACK": "pipelines.admin.dashboard.dashboard_callback",
    "SHOW_HISTORY": True,
    "SHOW_VIEW_ON_SITE": True,
    "STYLES": [lambda request: static("sonitec/workspace.css")],
    "SCRIPTS": [lambda request: static("sonitec/workspace.js")],
    # The user menu (top right): every staff member turns their own two-factor sign-in on or off there.
    "ACCOUNT": {"navigation": [{"title": "Two-factor sign-in", "link": reverse_lazy("two_factor_setup")}]},
    "COLORS": {
        # Sonitec's blue, dark enough that white text on it and it on white pass WCAG AA.
        "primary": {
            "50": "oklch(97% .014 254.604)",
            "100": "oklch(93.2% .032 255.585)",
            "200": "oklch(88.2% .059 254.128)",
            "300": "oklch(80.9% .105 251.813)",
            "400": "oklch(70.7% .165 254.624)",
            "500": "oklch(62.3% .214 259.815)",
            "600": "oklch(54.6% .245 262.881)",
            "700": "oklch(48.8% .243 264.376)",
            "800": "oklch(42.4% .199 265.638)",
            "900": "oklch(37.9% .146 265.522)",
            "950": "oklch(28.2% .091 267.935)",
        },
    },
    "SIDEBAR": {
        "show_search": False,
        "show_all_applications": False,
        "navigation": [
            {
                "title": "My day",
                "items": [
                    {"title": "My day", "icon": "today", "link": reverse_lazy("admin:index")},
                    _nav(
                        "Follow-ups due",
                        "alarm",
                        "admin:messaging_followupduetoday_changelist",
                        "messaging.view_followup",
                    ),
                ],
            },
            {
                "title": "Pipeline",
                "items": [
                    _nav("Roles", "work", "admin:roles_role_changelist", "roles.view_role"),
                    _nav(
                        "My open roles' boards",
                        "view_kanban",
                        "admin:roles_role_changelist",
                        "roles.view_role",
                        "status__exact=open&owner_is=me",
                    ),
                    _nav(
                        "Submissions", "move_up", "admin:pipelines_submission_changelist", "pipelines.view_submission"
                    ),
                    _nav("Interviews", "event", "admin:assessments_interview_changelist", "assessments.view_interview"),
                    _nav("Activities", "call", "admin:pipelines_activity_changelist", "pipelines.view_activity"),
                ],
            },
            {
                "title": "People",
                "items": [
                    _nav(
                        "Candidates",
                        "person_search",
                        "admin:candidates_candidate_changelist",
                        "candidates.view_candidate",
                    ),
                    _nav(
                        "Find candidates",
                        "search",
                        "admin:candidates_candidate_find",
                        "candidates.view_candidate",
                    ),
                    _nav("Talent pools", "groups", "admin:matching_talentpool_changelist", "matching.view_talentpool"),
                    _nav(
                        "Saved searches",
                        "saved_search",
                        "admin:matching_savedsearch_changelist",
                        "matching.view_savedsearch",
                    ),
                    _nav("Consents", "verified_user", "admin:candidates_consent_changelist", "candidates.view_consent"),
                    _nav(
                        "Skill evidence",
                        "fact_check",
                        "admin:assessments_evidence_changelist",
                        "assessments.view_evidence",
                    ),
                ],
            },
            {
                "title": "Clients",
                "items": [
                    _nav("Clients", "apartment", "admin:clients_client_changelist", "clients.view_client"),
                    _nav("Contacts", "contacts", "admin:clients_contact_changelist", "clients.view_contact"),
                    _nav(
                        "Enquiries", "mail", "admin:leads_enquiry_changelist", "leads.view_enquiry", "status__exact=new"
                    ),
                    _nav(
                        "Intakes",
                        "assignment",
                        "admin:leads_intake_changelist",
                        "leads.view_intake",
                        "status__exact=new",
                    ),
                ],
            },
            {
                "title": "Money",
                "items": [
                    _nav("Placements", "payments", "admin:pipelines_placement_changelist", "pipelines.view_placement"),
                ],
            },
            {
                "title": "Messages",
                "items": [
                    _nav(
                        "Follow-ups", "schedule_send", "admin:messaging_followup_changelist", "messaging.view_followup"
                    ),
                    _nav("Outbox", "outbox", "admin:messaging_message_changelist", "messaging.view_message"),
                ],
            },
            {
                "title": "Administration",
                "separator": True,
                "collapsible": True,
                "items": [
                    _nav("Users", "manage_accounts", "admin:sonitec_user_changelist", "sonitec.view_user"),
                    _nav("Groups", "group", "admin:auth_group_changelist", "auth.view_group"),
                    _nav("Sign-in lockouts", "lock", "admin:axes_accessattempt_changelist", "axes.view_accessattempt"),
                    _nav(
                        "Two-factor devices",
                        "phonelink_lock",
                        "admin:otp_totp_totpdevice_changelist",
                        "otp_totp.view_totpdevice",
                    ),
                    _nav("Pillars", "category", "admin:roles_pillar_changelist", "roles.change_pillar"),
                    _nav("Skills", "psychology", "admin:roles_skill_changelist", "roles.change_skill"),
                    _nav(
                        "Interview rubrics",
                        "checklist",
                        "admin:assessments_competency_changelist",
                        "assessments.change_competency",
                    ),
                    _nav(
                        "Rejection reasons",
                        "block",
                        "admin:pipelines_rejectionreason_changelist",
                        "pipelines.change_rejectionreason",
                    ),
                    _nav("Partners", "handshake", "admin:partners_partner_changelist", "partners.view_partner"),
                    _nav("API keys", "key", "admin:partners_apikey_changelist", "partners.view_apikey"),
                    _nav(
                        "Webhooks",
                        "webhook",
                        "admin:partners_webhooksubscription_changelist",
                        "partners.view_webhooksubscription",
                    ),
                    _nav(
                        "Webhook deliveries",
                        "send",
                        "admin:partners_webhookdelivery_changelist",
                        "partners.view_webhookdelivery",
                    ),
                    _nav(
                        "Email templates",
                        "draft",
                        "admin:messaging_emailtemplate_changelist",
                        "messaging.change_emailtemplate",
                    ),
                    _nav(
                        "Follow-up rules",
                        "rule",
                        "admin:messaging_followuprule_changelist",
                        "messaging.change_followuprule",
                    ),
                    _nav(
                        "Schedules",
                        "event_repeat",
                        "admin:django_celery_beat_periodictask_changelist",
                        "django_celery_beat.view_periodictask",
                    ),
                    _nav(
                        "Stage changes",
                        "history",
                        "admin:pipelines_stagechange_changelist",
                        "pipelines.view_stagechange",
                    ),
                    _nav("Imports", "upload_file", "admin:imports_importjob_changelist", "imports.view_importjob"),
                    _nav("Exports", "download", "admin:imports_exportrecord_changelist", "imports.view_exportrecord"),
                    _nav(
                        "Match rankings",
                        "leaderboard",
                        "admin:matching_matchrankinglog_changelist",
                        "matching.view_matchrankinglog",
                    ),
                    _nav(
                        "Privacy requests",
                        "policy",
                        "admin:privacy_privacyrequest_changelist",
                        "privacy.view_privacyrequest",
                    ),
                    _nav("Access log", "visibility", "admin:privacy_accesslog_changelist", "privacy.view_accesslog"),
                    _nav(
                        "Retention runs",
                        "auto_delete",
                        "admin:privacy_retentionrun_changelist",
                        "privacy.view_retentionrun",
                    ),
                ],
            },
        ],
    },
}
