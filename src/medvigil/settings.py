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
    "medvigil.alerts",
    # Last, so that medvigil's registration templates win over the admin's.
    "medvigil.platform.admin.ReadOnlyAdminConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "medvigil.platform.middleware.RequestIdMiddleware",
    "medvigil.platform.statement_timeout.StatementTimeoutMiddleware",
    "medvigil.platform.middleware.NoStoreMiddleware",
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
    # Last, so their pages carry the headers of every middleware above.
    "medvigil.platform.middleware.RequestSizeLimitMiddleware",
    "medvigil.platform.middleware.PermissionDeniedPageMiddleware",
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
            # Every template may turn a machine value into words: {{ status|human }}.
            "builtins": ["medvigil.platform.templatetags.labels"],
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
# Password-reset mails asked for, per client address and per e-mail address (docs/accounts.md).
PASSWORD_RESETS_PER_HOUR_PER_ADDRESS = 5
PASSWORD_RESETS_PER_HOUR_PER_EMAIL = 3
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
# Stored documents (SBOMs, reports, attachments) are readable by their owner only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
FEED_CACHE_DIRECTORY = MEDVIGIL_HOME / "feeds"
# Feed downloads and archives are bounded, so a bomb is refused, never expanded in memory:
# the body of one download, one file inside a zip or gzip, all files of one archive, and how
# many times an entry may grow past its compressed size (docs/vulnerability-sources.md).
FEED_MAX_DOWNLOAD_BYTES = 1024 * 1024 * 1024
FEED_MAX_ENTRY_BYTES = 512 * 1024 * 1024
FEED_MAX_EXPANDED_BYTES = 8 * 1024 * 1024 * 1024
FEED_MAX_COMPRESSION_RATIO = 100
# A download that fails on the way (connection, timeout, 429, 5xx) is tried this often in one
# synchronisation, waiting the backoff doubled each time; a source failing again and again is
# retried by the workers after FEED_FAILURE_RETRY_MINUTES, doubled per failure, up to its interval.
FEED_RETRY_ATTEMPTS = 3
FEED_RETRY_BACKOFF_SECONDS = 2.0
FEED_FAILURE_RETRY_MINUTES = 15
# The NVD yearly files start with this year; a CSAF walk downloads at most this many documents.
FEED_NVD_FIRST_YEAR = 2002
FEED_CSAF_DOCUMENTS_PER_SYNC = 500
FEED_CSAF_MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
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
# A task whose worker died is put back on its queue until it has been tried this often.
TASK_MAX_ATTEMPTS = 3
# Advisories committed per transaction by a feed import (each batch carries its keys).
FEED_IMPORT_BATCH_SIZE = CONFIGURATION.feed_batch_size
# Components matched per transaction (each chunk commits its findings).
MATCH_CHUNK_SIZE = CONFIGURATION.match_chunk_size
REMATCH_TASK_SIZE = CONFIGURATION.rematch_task_size
# A running import with no committed batch for this long (and its process not seen) is
# interrupted; on the same machine, a vanished process is noticed at once.
FEED_IMPORT_STALE_AFTER_SECONDS = 6 * 3600

# Workers queue a full re-match of the portfolio when the last one is this old (0: never).
FULL_REMATCH_HOURS = CONFIGURATION.full_rematch_hours
# Web requests on PostgreSQL: a statement running longer is cancelled, answered 503 (0: never).
WEB_STATEMENT_TIMEOUT_SECONDS = CONFIGURATION.web_statement_timeout_seconds
# Workers recount the dashboard's finding tallies when the last count is this old.
FINDING_TALLY_SECONDS = CONFIGURATION.finding_tally_seconds
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
# Anonymous writes, per client address (and per case for follow-ups), counted in the
# database before any expensive work: platform.rates, docs/disclosure.md.
DISCLOSURE_SUBMISSIONS_PER_HOUR = 10
DISCLOSURE_MESSAGES_PER_HOUR = 20
DISCLOSURE_REPORTER_KEYS_PER_HOUR = 5
DISCLOSURE_TEXT_MAX_CHARACTERS = 20_000
DISCLOSURE_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
DISCLOSURE_ATTACHMENTS_PER_SUBMISSION = 3
# Decrypting an OpenPGP message: a 2 KB compressed message can hold 1 GB of plaintext.
DISCLOSURE_DECRYPTED_MAX_BYTES = 4 * DISCLOSURE_TEXT_MAX_CHARACTERS  # UTF-8: 4 bytes at most
DISCLOSURE_DECRYPT_SECONDS = 10
DISCLOSURE_DECRYPT_MEMORY_BYTES = 256 * 1024 * 1024  # address space of the gpg child

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

# Alerts (docs/alerts.md): read by each worker heartbeat, delivered once, retried with backoff.
ALERTS_BATCH_SIZE = 5000  # audit events read per pass
ALERTS_MAX_ATTEMPTS = 8  # a failed delivery is retried 1, 2, 4 … minutes later until then
ALERTS_CLAIM_TIMEOUT_MINUTES = 10  # a delivery claimed by a worker that died is retried after
ALERTS_DIGEST_HOUR = 7  # UTC hour from which the daily digest is sent
ALERTS_WEBHOOK_TIMEOUT_SECONDS = 10

# Signed checkpoints of the audit chain head, outside the database (docs/audit.md).
AUDIT_CHECKPOINT_FILE = CONFIGURATION.audit_checkpoint_file
# Given by the environment, or else generated once into this file (0600).
AUDIT_CHECKPOINT_KEY = CONFIGURATION.audit_checkpoint_key
AUDIT_CHECKPOINT_KEY_FILE = MEDVIGIL_HOME / "audit-checkpoint.key"
# Workers append a checkpoint when the head moved and the last one is this old (0: never).
AUDIT_CHECKPOINT_MINUTES = CONFIGURATION.audit_checkpoint_minutes
AUDIT_CHECKPOINT_MAIL = list(CONFIGURATION.audit_checkpoint_mail)  # each checkpoint is mailed here

# Separation of duties for electronic signatures (medvigil.audit.signatures): rules
# added to the required ones (author, reviewers and approver distinct), which no
# setting relaxes; e.g. {"released": {"not_same_as": ["approved"]}}.
SIGNATURE_RULES: dict[str, dict[str, list[str]]] = {}

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
# Only these peers may name the client in X-Forwarded-For (medvigil.platform.addresses).
TRUSTED_PROXIES = CONFIGURATION.trusted_proxies
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
    # Link tokens in paths and query values never reach a log (medvigil.platform.logs).
    "filters": {"secrets": {"()": "medvigil.platform.logs.RedactSecretsFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": CONFIGURATION.log_level},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
