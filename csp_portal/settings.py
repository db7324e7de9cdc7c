"""Settings for the CSP Portal, all read from the environment (see README "Configuration").

With nothing set the portal runs embedded: SQLite in the project folder, Celery tasks in-process,
email printed to the console. DATABASE_URL, REDIS_URL and EMAIL_HOST switch to the real services.
With DEBUG unset (false) the security settings are those of a production deployment and
`manage.py check --deploy` reports nothing.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from csp_portal.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    # pytest (8.2+) sets PYTEST_VERSION for the whole session.
    if DEBUG or "PYTEST_VERSION" in os.environ:
        SECRET_KEY = "insecure-development-key-never-use-in-production-0123456789abcdefghij"  # noqa: S105
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "knox",
    "django_celery_beat",
    "crispy_forms",
    "crispy_forms_gds",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "partnerships",
    "priorities",
    "actionplans",
    "reviews",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before whitenoise, which answers static files itself: they carry the same headers as pages.
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks whether this session passed the second factor (request.user.is_verified()).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "csp_portal.urls"
WSGI_APPLICATION = "csp_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "partnerships.context_processors.navigation",
                "reviews.context_processors.terms",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", default=60),
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(BASE_DIR / "db.sqlite3"),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache and Celery --------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    # No broker: tasks run in the calling process, so `make run` needs nothing else.
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Europe/London"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# --- Authentication -----------------------------------------------------------------------------
AUTH_USER_MODEL = "partnerships.User"
AUTHENTICATION_BACKENDS = [
    # First, as django-axes requires: refuses sign-in while an account or address is locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3  # an invitation link for a new person lasts three days

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failures for one account from one
# address, that pair is locked out for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", default=5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", default=15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Django's sign-in form posts the email address as "username" (axes would look for "email").
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", default=0)
AXES_VERBOSE = False

# Sessions expire after SESSION_IDLE_MINUTES without a request (each request renews the cookie).
SESSION_COOKIE_AGE = 60 * env_int("SESSION_IDLE_MINUTES", default=30, minimum=1)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Security headers ---------------------------------------------------------------------------
_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=_SECURE)
# The container health check speaks plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("TRUST_X_FORWARDED_PROTO", default=False):
    # Only behind a proxy that sets this header itself (and strips it from clients).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = _SECURE
CSRF_COOKIE_SECURE = _SECURE
CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=31536000 if _SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _SECURE
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=_SECURE)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # No 'unsafe-inline': every script is a file under /static/.
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

# --- Email ----------------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", default=587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", default=30, minimum=1)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Any Django email backend by its dotted path, e.g. the file backend with EMAIL_FILE_PATH.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", EMAIL_BACKEND)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))
# GOV.UK Notify instead of the email backend for reminders: an API key and the id of a template whose
# body is ((items)) (its subject ((subject)); personalisation also has ((name)) and ((settings_url))).
NOTIFY_API_KEY = env_str("NOTIFY_API_KEY")
NOTIFY_REMINDER_TEMPLATE_ID = env_str("NOTIFY_REMINDER_TEMPLATE_ID")
if NOTIFY_API_KEY and not NOTIFY_REMINDER_TEMPLATE_ID:
    raise ImproperlyConfigured("NOTIFY_REMINDER_TEMPLATE_ID must be set with NOTIFY_API_KEY")
# A reminder send that claimed its rows and did not finish in this time is taken to have died.
REMINDER_CLAIM_LEASE_SECONDS = env_int("REMINDER_CLAIM_LEASE_SECONDS", default=900, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "CSP Portal <no-reply@csp-portal.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where links in emails point (invitations, password resets, reminders).
PORTAL_DOMAIN = env_str("PORTAL_DOMAIN", "127.0.0.1:8000")
PORTAL_USE_HTTPS = env_bool("PORTAL_USE_HTTPS", default=_SECURE)

# --- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env_str("STATICFILES_BACKEND", "whitenoise.storage.CompressedManifestStaticFilesStorage")
    },
}

# --- Forms and pages ------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
# crispy-forms-gds styles text inputs itself but leaves number and multiple-file inputs unstyled.
CRISPY_CLASS_CONVERTERS = {"numberinput": "govuk-input", "multiplefileinput": "govuk-file-upload"}
PORTAL_SERVICE_NAME = "Community Safety Partnership Portal"
PAGE_SIZE = 25

# --- Domestic homicide reviews ---------------------------------------------------------------------
# "dhr" calls them domestic homicide reviews; "dardr" domestic abuse related death reviews (the newer name).
REVIEW_TERM = env_str("REVIEW_TERM", "dhr")
if REVIEW_TERM not in {"dhr", "dardr"}:
    raise ImproperlyConfigured('REVIEW_TERM must be "dhr" or "dardr"')
# Review documents are kept here, outside the web root, and served only through a permission check.
REVIEW_DOCUMENTS_ROOT = Path(env_str("REVIEW_DOCUMENTS_ROOT", str(BASE_DIR / "private-media")))
REVIEW_UPLOAD_MAX_BYTES = env_int("REVIEW_UPLOAD_MAX_MB", default=20, minimum=1) * 1024 * 1024
# The issuer name authenticator apps show beside the second-factor code.
OTP_TOTP_ISSUER = "CSP Portal"
# Staff can reset a person's authenticator app in the admin, but never read its key.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- REST API (/api/v1/, csp_portal/api/ and each app's api.py) ------------------------------------------
# Rate limits, per token for token callers, per person for the browser's session, per address for
# anonymous callers (who reach only the schema and the docs). "<requests>/<second|minute|hour|day>".
# A dashboard refreshing 100,000 actions at 500 a page makes 200 requests: well inside a minute's share.
API_RATE_TOKEN = env_str("API_RATE_TOKEN", "600/minute")
API_RATE_SESSION = env_str("API_RATE_SESSION", "300/minute")
API_RATE_ANONYMOUS = env_str("API_RATE_ANONYMOUS", "60/minute")
for _name, _rate in (
    ("API_RATE_TOKEN", API_RATE_TOKEN),
    ("API_RATE_SESSION", API_RATE_SESSION),
    ("API_RATE_ANONYMOUS", API_RATE_ANONYMOUS),
):
    _count, _, _period = _rate.partition("/")
    if not (_count.isdigit() and int(_count) > 0 and _period in {"second", "minute", "hour", "day"}):
        raise ImproperlyConfigured(
            f"{_name} must look like 600/minute (per second, minute, hour or day), not {_rate!r}"
        )
# The largest request body the API reads; anything bigger is refused with 413 before it is parsed.
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_KB", default=64, minimum=1) * 1024
API_PAGE_SIZE = 50
API_MAX_PAGE_SIZE = 500

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "csp_portal.api.schema.PortalAutoSchema",
    # Tokens first: a caller with neither gets 401 with "WWW-Authenticate: Token". The session needs CSRF.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "csp_portal.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["csp_portal.api.throttling.PortalRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": API_RATE_TOKEN, "session": API_RATE_SESSION, "anonymous": API_RATE_ANONYMOUS},
    # JSON only: the browsable API's pages run inline scripts, which the Content-Security-Policy forbids.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["csp_portal.api.parsers.BoundedJSONParser"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "csp_portal.api.filters.StableOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "csp_portal.api.pagination.PortalPagination",
    "PAGE_SIZE": API_PAGE_SIZE,
    "EXCEPTION_HANDLER": "csp_portal.api.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CSP Portal API",
    "DESCRIPTION": (
        "The partnership data a person may see in the portal, with the same rules: partnerships and their "
        "member organisations, strategic assessments with their crime profile, partnership plans, priorities, "
        "outcome measures and their values, action plans, actions and progress updates, and domestic homicide "
        "reviews for those on them. Authenticate with a personal API token (Authorization: Token <token>), "
        "made at /accounts/api-tokens/."
    ),
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "status" with its own values: each set is named after its model.
    "ENUM_NAME_OVERRIDES": {
        "AssessmentStatusEnum": "priorities.models.AssessmentStatus",
        "PlanStatusEnum": "priorities.models.PlanStatus",
        "PriorityStatusEnum": "priorities.models.PriorityStatus",
        "ActionPlanStatusEnum": "actionplans.models.ActionPlanStatus",
        "ActionStatusEnum": "actionplans.models.ActionStatus",
        "RecommendationStatusEnum": "reviews.choices.RecommendationStatus",
        "AnnualReportStatusEnum": "actionplans.models.AnnualReportStatus",
    },
    "SERVE_AUTHENTICATION": [],
}
# Per-user API tokens (django-rest-knox): stored as SHA-512 digests, several per person, each named,
# with an expiry (chosen when made) and the time it was last used (partnerships.models.ApiToken).
KNOX_TOKEN_MODEL = "partnerships.ApiToken"  # noqa: S105 - a model name, not a secret
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=90),
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}
# knox's own migrations create knox_authtoken even with its model swapped out (django-rest-knox 5.1):
# nothing uses that table, and its foreign key to users stops PostgreSQL truncating the tables between
# transactional tests (browser tests). Without migrations, the swapped model gets no table.
MIGRATION_MODULES = {"knox": None}

# --- Logging ----------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every PDF at INFO.
    "loggers": {name: {"level": "WARNING"} for name in ("axes", "weasyprint", "fontTools")},
}

# --- Demo data --------------------------------------------------------------------------------------
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "portal-demo-2026")
