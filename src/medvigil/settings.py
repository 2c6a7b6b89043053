"""Django settings. The only module that reads the environment."""

from __future__ import annotations

import os
from pathlib import Path

from medvigil.configuration import read_configuration

CONFIGURATION = read_configuration(os.environ)
PACKAGE_DIRECTORY = Path(__file__).resolve().parent
MEDVIGIL_HOME = CONFIGURATION.home

SECRET_KEY = CONFIGURATION.secret_key
DEBUG = CONFIGURATION.debug
ALLOWED_HOSTS = list(CONFIGURATION.allowed_hosts)
CSRF_TRUSTED_ORIGINS = list(CONFIGURATION.trusted_origins)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "medvigil.platform",
    "medvigil.operations",
    "medvigil.web",
    "medvigil.audit",
    "medvigil.accounts",
    "medvigil.portfolio",
    "medvigil.sbom",
    "medvigil.riskfile",
    "medvigil.disclosure",
    "medvigil.vulns",
    "medvigil.reports",
    "medvigil.vex",
    "medvigil.triage",
    # Last, so that medvigil's registration templates win over the admin's.
    "django.contrib.admin",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "medvigil.platform.middleware.RequestIdMiddleware",
    "medvigil.platform.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "medvigil.audit.context.AuditContextMiddleware",
    "medvigil.accounts.mfa.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "medvigil.urls"
WSGI_APPLICATION = "medvigil.wsgi.application"
ASGI_APPLICATION = "medvigil.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "medvigil.web.navigation.navigation_context",
            ],
        },
    },
]

DATABASES = {"default": CONFIGURATION.database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["medvigil.accounts.lockout.LockoutBackend"]
LOCKOUT_FAILURES = CONFIGURATION.lockout_failures
LOCKOUT_MINUTES = CONFIGURATION.lockout_minutes
# Failures from one address, whatever the user name, before that address is refused.
THROTTLE_FAILURES = 4 * CONFIGURATION.lockout_failures
API_TOKEN_DEFAULT_DAYS = 90
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = MEDVIGIL_HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Static files come from the installed packages, so no collectstatic step is needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = MEDVIGIL_HOME / "documents"
FEED_CACHE_DIRECTORY = MEDVIGIL_HOME / "feeds"
# Feed downloads and archives are bounded, so a bomb is refused, never expanded in memory:
# the body of one download, one file inside a zip or gzip, all files of one archive, and how
# many times an entry may grow past its compressed size (docs/vulnerability-sources.md).
FEED_MAX_DOWNLOAD_BYTES = 1024 * 1024 * 1024
FEED_MAX_ENTRY_BYTES = 512 * 1024 * 1024
FEED_MAX_EXPANDED_BYTES = 8 * 1024 * 1024 * 1024
FEED_MAX_COMPRESSION_RATIO = 100
# Whole request bodies above this are refused (413) before they are read.
MAX_REQUEST_BYTES = 60 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 60 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# An SBOM larger than this is refused (413) with nothing stored.
SBOM_MAX_BYTES = 50 * 1024 * 1024

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "portfolio"],
    }
}
# A worker that has not reported for this long is considered dead by `medvigil check`.
WORKER_HEARTBEAT_SECONDS = 15
WORKER_STALE_AFTER_SECONDS = 90

# Workers queue a full re-match of the portfolio when the last one is this old (0: never).
FULL_REMATCH_HOURS = CONFIGURATION.full_rematch_hours
# Coordinated disclosure (medvigil.disclosure; docs/disclosure.md).
DISCLOSURE_ENCRYPTION_KEY = CONFIGURATION.disclosure_key
DISCLOSURE_GNUPG_HOME = MEDVIGIL_HOME / "gnupg"
DISCLOSURE_ORGANISATION = CONFIGURATION.manufacturer
DISCLOSURE_CONTACTS = [f"mailto:{CONFIGURATION.default_from_email}"]
DISCLOSURE_PUBLIC_URL = CONFIGURATION.public_url  # else the request's own host
DISCLOSURE_SCOPE = (
    "Every medical device, accessory, companion application and service this manufacturer "
    "sells or supports, including versions past their end of support."
)
DISCLOSURE_LANGUAGES = ["en"]
DISCLOSURE_SECURITY_TXT_DAYS = 180  # Expires: RFC 9116 recommends less than a year ahead
DISCLOSURE_SECURITY_TXT_SIGNED = True  # clear-signed with the disclosure key, when one exists
DISCLOSURE_TIME_ZONE = "America/New_York"
DISCLOSURE_HOLIDAY_COUNTRY = "US"
DISCLOSURE_HOLIDAY_SUBDIVISION: str | None = None
DISCLOSURE_ACKNOWLEDGE_BUSINESS_DAYS = 5
DISCLOSURE_STATUS_UPDATE_DAYS = 30
DISCLOSURE_DAYS = 90
DISCLOSURE_SUBMISSIONS_PER_HOUR = 10  # per client address, counted in the database
DISCLOSURE_TEXT_MAX_CHARACTERS = 20_000
DISCLOSURE_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
DISCLOSURE_ATTACHMENTS_PER_SUBMISSION = 3

# Triage (medvigil.triage; docs/triage.md): remediation days per priority (calendar days, or
# {"days": n, "kind": "business"}), counted in TRIAGE_TIME_ZONE on its country's holidays.
TRIAGE_REMEDIATION_DAYS = {"critical": 30, "high": 60, "medium": 90, "low": 180}
TRIAGE_TIME_ZONE = "America/New_York"
TRIAGE_HOLIDAY_COUNTRY = "US"
TRIAGE_HOLIDAY_SUBDIVISION: str | None = None
TRIAGE_SOON_DUE_DAYS = 7  # a clock due within this many days is "due soon"
TRIAGE_NOTIFY_MINUTES = 60  # how often each worker looks for newly due clocks (0: never)
TRIAGE_NOTIFY_MAX_ATTEMPTS = 10  # a failed notice is retried by each check until then
TRIAGE_NOTIFY_EMAILS: list[str] = []  # told besides the deciders of the product's team
# The webhook is sent only when both are set; its body is signed with HMAC-SHA256.
TRIAGE_WEBHOOK_URL = CONFIGURATION.triage_webhook_url
TRIAGE_WEBHOOK_SECRET = CONFIGURATION.triage_webhook_secret

# Separation of duties for electronic signatures (medvigil.audit.signatures):
# whoever signed a record with a meaning listed in "not_same_as" may not sign it
# with the key's meaning; the record's `created_by` counts as its author.
SIGNATURE_RULES = {
    "approved": {"not_same_as": ["authored"]},
    "released": {"not_same_as": ["authored"]},
}

# Security headers and cookies: safe by default, relaxed only by MEDVIGIL_DEBUG.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The session ends after this long without a request (each request renews it).
SESSION_COOKIE_AGE = CONFIGURATION.session_idle_minutes * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
if CONFIGURATION.behind_tls:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_REDIRECT_EXEMPT = [r"^api/v1/health$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

EMAIL_BACKEND = CONFIGURATION.email_backend
EMAIL_HOST = CONFIGURATION.email_host
EMAIL_PORT = CONFIGURATION.email_port
EMAIL_HOST_USER = CONFIGURATION.email_user
EMAIL_HOST_PASSWORD = CONFIGURATION.email_password
EMAIL_USE_TLS = CONFIGURATION.email_use_tls
DEFAULT_FROM_EMAIL = CONFIGURATION.default_from_email

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": CONFIGURATION.log_level},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
