"""Acus settings: one module, driven by environment variables.

Defaults make `make run` work on a bare machine (SQLite and a file-system
Celery broker under var/). With DEBUG off the service refuses insecure values.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import django_stubs_ext
from csp.constants import NONE, SELF

from config.database import database_from_env, pooler_from_env
from config.env import (
    ConfigError,
    anchor_keys,
    check_networks,
    check_secret_key,
    envbool,
    envchoice,
    envint,
    envlist,
    envstr,
    envzone,
    passkey_site,
)
from config.metrics import metrics_from_env
from config.observability import logging_from_env, start_error_reporting
from config.schedule import beat_schedule

# Lets ModelAdmin[Model] and similar generics be written at run time, as mypy wants.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("ACUS_VAR_DIR", str(BASE_DIR / "var")))
# Runtime state of the zero-install default (SQLite, broker files, static files).
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)

DEBUG = envbool("DEBUG", False)

_DEV_SECRET_KEY = "dev-only-not-secret-" + "x7Qm2pL9vR4tK8wZ3nB6cJ1hF5dG0sA" * 2
SECRET_KEY = envstr("SECRET_KEY", _DEV_SECRET_KEY) if DEBUG else check_secret_key(envstr("SECRET_KEY", ""))

# The consent chains' checkpoints are signed with keys kept outside the database (docs/SECURITY.md).
ANCHOR_KEYS, ANCHOR_KEY_IS_DEV = anchor_keys(debug=DEBUG)
ANCHOR_DIR = Path(envstr("ANCHOR_DIR", str(VAR_DIR / "anchors")))
ANCHOR_EVERY = envint("ANCHOR_EVERY", 100, minimum=1)

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ConfigError("ALLOWED_HOSTS must be set when DEBUG is off")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
# Reverse proxies whose X-Forwarded-For is believed (addresses or CIDR ranges, comma-separated).
# Empty: the header is ignored and the caller is the direct peer. See core/addresses.py.
TRUSTED_PROXIES = check_networks("TRUSTED_PROXIES", envlist("TRUSTED_PROXIES", []))

# The public address, used in links inside emails and calendar files.
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ConfigError(f"SITE_URL must start with http:// or https://, not {SITE_URL!r}")
TIME_ZONE_DEFAULT_CLINIC = envzone("DEFAULT_CLINIC_TIME_ZONE", "Europe/London")

INSTALLED_APPS = [
    "core.admin_apps.AcusAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_email",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "axes",
    "csp",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Lower layers first: each app imports only those above it in this list (import-linter checks).
    "core",
    "accounts",
    "consent",
    "booking",
    "care",
    "waitlist",
    "calendars",
    "notifications",
    "workspace",
    "compliance",
    "interop",
]

MIDDLEWARE = [
    "core.metrics.middleware.MetricsMiddleware",  # first: its time covers the whole request
    "core.request_id.RequestIdMiddleware",  # next: every log line of the request carries its id
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A database outage is a 503 with Retry-After, for everything below (sessions, sign-in too).
    "core.middleware.DatabaseUnavailableMiddleware",
    # `private, no-store` on every answer to a session or API token (it sees the session cookie being set).
    "core.middleware.PrivateResponsesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The signed-in person's stored language, else the switcher's cookie, else Accept-Language.
    "core.language.LanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.messages.LazyMessageMiddleware",  # Django's, the storage made on first use
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.csp.StaticPolicyCSPMiddleware",  # django-csp's, the policy built once (core/csp.py)
    # Axes must come last so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- Database (config/database.py) ------------------------------------------------
DATABASE_POOLER = pooler_from_env()  # none, session or transaction (config/database.py)
DATABASES = {"default": database_from_env(VAR_DIR, pooler=DATABASE_POOLER)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, Celery and cache -----------------------------------------------------
REDIS_URL = envstr("REDIS_URL", "")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://")):
    raise ConfigError(f"REDIS_URL must start with redis:// or rediss://, not {REDIS_URL!r}")
CELERY_BROKER_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {"visibility_timeout": 3600}
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        # Broadcasts (celery inspect/control) would otherwise land in ./control.
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker waits out a Redis outage of any length (the default gives up after 100 tries,
# about 46 minutes); the outbox in PostgreSQL keeps every message meanwhile.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = beat_schedule()
# After a booking commits, wake a worker at once rather than waiting for beat.
NOTIFICATIONS_NUDGE = envbool("NOTIFICATIONS_NUDGE", True)
# After freed time commits, queue its matching at once (waitlist.services.freeing).
WAITLIST_FILL = envbool("WAITLIST_FILL", True)
# Calendar sync (calendars/): Fernet keys for stored credentials, newest first (calendars/secrets.py).
CALENDAR_KEYS = envlist("CALENDAR_KEYS", [])
CALENDAR_ALLOW_PRIVATE_HOSTS = envbool("CALENDAR_ALLOW_PRIVATE_HOSTS", False)  # loopback test servers only
CALENDAR_FETCH_MAX_BYTES = envint("CALENDAR_FETCH_MAX_BYTES", 10_000_000, minimum=10_000)
CALENDAR_FETCH_SECONDS = envint("CALENDAR_FETCH_SECONDS", 30, minimum=1)  # the whole fetch, not per read
CALENDAR_PUSH_NUDGE = envbool("CALENDAR_PUSH_NUDGE", True)  # write a visit's copy at once, not at the next sweep

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.redis_cache.RedisCache",  # Django's, one client per pool
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "acus",
            # Rate-limit counters are all the cache holds: when Redis is slow or gone,
            # give up within a second and let the request through (config/throttling.py).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Metrics: who may scrape /metrics (config/metrics.py; README, Metrics) -------------
METRICS = metrics_from_env()

# --- Accounts and authentication -------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out sign-in before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:patient-sign-in"
STAFF_LOGIN_URL = "accounts:staff-sign-in"

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"  # the page, with Retry-After
# The caller's address as every other limit sees it (TRUSTED_PROXIES), never a forged header.
AXES_CLIENT_IP_CALLABLE = "core.addresses.client_ip"

# Patient sign-in codes (accounts/codes.py keeps them as hashes, not django-otp's EmailDevice;
# the names are django-otp's, kept so that existing environments need no change).
OTP_EMAIL_TOKEN_VALIDITY = 600
OTP_EMAIL_SUBJECT = "Your Acus sign-in code: {token}"
OTP_EMAIL_BODY_TEMPLATE_PATH = "accounts/email/sign_in_code.txt"
OTP_EMAIL_BODY_HTML_TEMPLATE_PATH = "accounts/email/sign_in_code.html"
OTP_EMAIL_COOLDOWN_DURATION = envint("OTP_EMAIL_COOLDOWN_SECONDS", 30, minimum=0)
OTP_EMAIL_THROTTLE_FACTOR = 1
OTP_TOTP_ISSUER = "Acus"
# A code is refused for good after this many wrong tries; a new one must be sent.
PATIENT_CODE_MAX_FAILURES = 5
STAFF_BACKUP_CODE_COUNT = 10


_passkey_rp_id, _passkey_origin = passkey_site(SITE_URL)
# Passkeys (django-otp-webauthn) are a second factor beside TOTP, after the password:
# never a way to sign in without one.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_RP_ID = envstr("WEBAUTHN_RP_ID", _passkey_rp_id)
OTP_WEBAUTHN_RP_NAME = envstr("WEBAUTHN_RP_NAME", "Acus")
OTP_WEBAUTHN_ALLOWED_ORIGINS = envlist("WEBAUTHN_ALLOWED_ORIGINS", [_passkey_origin])

# --- Email and SMS ----------------------------------------------------------------
EMAIL_BACKEND = envstr(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ConfigError("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Acus <bookings@acus.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
OTP_EMAIL_SENDER = DEFAULT_FROM_EMAIL

SMS_BACKEND = envchoice("SMS_BACKEND", "console", ("console", "file", "http"))
SMS_FILE_PATH = envstr("SMS_FILE_PATH", str(VAR_DIR / "sms.log"))
SMS_HTTP_URL = envstr("SMS_HTTP_URL", "")
SMS_HTTP_TOKEN = envstr("SMS_HTTP_TOKEN", "")
SMS_SENDER = envstr("SMS_SENDER", "Acus")
if SMS_BACKEND == "http" and not SMS_HTTP_URL.startswith(("http://", "https://")):
    raise ConfigError("SMS_HTTP_URL must be an http(s) URL when SMS_BACKEND=http")

# --- API --------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first so an anonymous API call answers 401 with WWW-Authenticate.
        # DRF's, plus the token user's stored language when the call sends no Accept-Language.
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["core.renderers.FastJSONRenderer"],  # orjson, DRF's output
    # DRF's choice of renderer, kept per Accept header instead of parsed on every request.
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "core.negotiation.RememberingContentNegotiation",
    # DRF's JSONParser, refusing absurd nesting with a 400 instead of a RecursionError 500.
    "DEFAULT_PARSER_CLASSES": ["core.parsers.StrictJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.rest.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "sign_in_start": envstr("THROTTLE_SIGN_IN_START", "10/hour"),
        "sign_in_email": envstr("THROTTLE_SIGN_IN_EMAIL", "5/hour"),
        "sign_in_verify": envstr("THROTTLE_SIGN_IN_VERIFY", "30/hour"),
        "slots": envstr("THROTTLE_SLOTS", "120/minute"),
        "appointment_hold": envstr("THROTTLE_HOLDS", "30/hour"),
        "checkin": envstr("THROTTLE_CHECKINS", "10/hour"),
        "fhir": envstr("THROTTLE_FHIR", "300/minute"),  # per client key, patient or address (interop/)
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Acus API",
    "DESCRIPTION": "Booking and e-consent for dry-needling physiotherapy clinics.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # A plan of care's status beside an appointment's: each keeps one stable name.
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "booking.models.Appointment.Status",
        "CarePlanStatusEnum": "care.models.PlanStatus",
        "HealthChangeOutcomeEnum": "care.models.HealthChangeAnswer.Outcome",
        "OutcomeEnum": ["clear", "review", "block"],
    },
    # 406, 415, 429 and 503 in the one error shape, for every operation they apply to.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.schema.document_shared_responses",
    ],
}

# --- Internationalisation and static files -------------------------------------------
LANGUAGE_CODE = "en-gb"
# Every word a person reads is in these three (tests/core/test_catalogues.py holds them to it).
LANGUAGES = [("en-gb", "English"), ("es", "Español"), ("fr", "Français")]
# Project-wide templates and static/js; each app keeps its own <app>/locale/.
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Security ------------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 60 * 60 * 12, minimum=60)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    # Load balancers and orchestrators probe health over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]  # Prometheus too, inside the network
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if envbool("SECURE_PROXY_SSL_HEADER", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = logging_from_env()  # JSON lines unless LOG_FORMAT=plain; Sentry only with SENTRY_DSN
start_error_reporting()
