"""Read medvigil's configuration from an environment mapping.

`settings.py` is the only module that passes `os.environ` here; everything
else reads Django settings. Kept free of Django so it can be tested alone.
"""

from __future__ import annotations

import base64
import ipaddress
import logging
import os
import secrets
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import dj_database_url

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
LOGGER = logging.getLogger(__name__)
# The home holds sessions, second-factor keys, recovery codes and keys: its owner's only.
PRIVATE_DIRECTORY = 0o700
PRIVATE_FILE = 0o600
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})


class ConfigurationError(ValueError):
    """An environment variable has a value medvigil cannot use."""


@dataclass(frozen=True, slots=True)
class Configuration:
    home: Path
    database: dict[str, object]
    secret_key: str
    debug: bool
    allowed_hosts: tuple[str, ...]
    behind_tls: bool
    trusted_origins: tuple[str, ...]
    email_backend: str
    email_host: str
    email_port: int
    email_user: str
    email_password: str
    email_use_tls: bool
    default_from_email: str
    log_level: str
    session_idle_minutes: int
    lockout_failures: int
    lockout_minutes: int
    disclosure_key: str = ""
    full_rematch_hours: int = 24
    feed_batch_size: int = 1000
    match_chunk_size: int = 2000
    rematch_task_size: int = 20000
    manufacturer: str = "the manufacturer"
    public_url: str = ""
    triage_webhook_url: str = ""
    triage_webhook_secret: str = ""
    trusted_proxies: tuple[Network, ...] = ()
    # read_configuration sets it under the home folder unless MEDVIGIL_AUDIT_CHECKPOINTS says.
    audit_checkpoint_file: Path = Path("audit-checkpoints")
    audit_checkpoint_key: str = ""
    audit_checkpoint_minutes: int = 60
    audit_checkpoint_mail: tuple[str, ...] = ()
    web_statement_timeout_seconds: int = 20
    finding_tally_seconds: int = 60


def parse_addresses(name: str, value: str) -> tuple[str, ...]:
    """Comma-separated mail addresses; an entry without "@" is a configuration error."""
    addresses = tuple(part.strip() for part in value.split(",") if part.strip())
    for address in addresses:
        if "@" not in address:
            raise ConfigurationError(f"{name} holds {address!r}, which is not a mail address")
    return addresses


def parse_boolean(name: str, value: str | None, default: bool) -> bool:
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigurationError(f"{name} must be true or false, not {value!r}")


def parse_list(value: str | None, default: tuple[str, ...]) -> tuple[str, ...]:
    if value is None:
        return default
    return tuple(item.strip() for item in value.split(",") if item.strip())


def parse_positive(name: str, value: str | None, default: int) -> int:
    if value is None or value.strip() == "":
        return default
    if not value.strip().isdigit() or int(value) < 1:
        raise ConfigurationError(f"{name} must be a whole number above zero, not {value!r}")
    return int(value)


def parse_whole(name: str, value: str | None, default: int) -> int:
    """A whole number, zero included (zero switches the setting off)."""
    if value is None or value.strip() == "":
        return default
    if not value.strip().isdigit():
        raise ConfigurationError(f"{name} must be a whole number (0 or more), not {value!r}")
    return int(value)


def parse_port(value: str) -> int:
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise ConfigurationError(f"MEDVIGIL_EMAIL_PORT must be a port number, not {value!r}")
    return int(value)


def home_directory(environment: Mapping[str, str]) -> Path:
    configured = environment.get("MEDVIGIL_HOME")
    if configured:
        return Path(configured).expanduser().resolve()
    return Path(environment.get("HOME", str(Path.home()))) / ".medvigil"


def make_private(path: Path) -> bool:
    """Remove group and other access from path; True when it had any."""
    current = stat.S_IMODE(path.lstat().st_mode)
    if current & 0o077 == 0:
        return False
    path.chmod(current & 0o700)
    return True


def secure_home(home: Path, sqlite_database: Path | None) -> list[Path]:
    """Create the home 0700 with its SQLite database 0600 (SQLite gives its journal files the
    database's mode); take group and other access from what an older version left open.
    Returns the paths it changed, each also logged as a warning."""
    home.mkdir(mode=PRIVATE_DIRECTORY, parents=True, exist_ok=True)
    if sqlite_database is not None and not sqlite_database.exists():
        sqlite_database.parent.mkdir(mode=PRIVATE_DIRECTORY, parents=True, exist_ok=True)
        os.close(os.open(sqlite_database, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE))
    changed = []
    for directory, folders, files in os.walk(home):
        here = Path(directory)
        if here == home / "static":
            folders.clear()  # the pages' public files, served to anyone
            continue
        if make_private(here):
            changed.append(here)
        for name in files:
            path = here / name
            if not path.is_symlink() and make_private(path):
                changed.append(path)
    for path in changed:
        LOGGER.warning("%s was readable by other users; now only its owner may read it", path)
    return changed


def database_settings(environment: Mapping[str, str], home: Path) -> dict[str, object]:
    url = environment.get("DATABASE_URL", "").strip()
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(home / "medvigil.sqlite3"),
            # Waiting beats failing when the web and worker processes write together.
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    if not url.startswith(("postgres://", "postgresql://", "sqlite:///")):
        raise ConfigurationError(
            "DATABASE_URL must start with postgres://, postgresql:// or sqlite:///"
        )
    try:
        parsed = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    except ValueError as error:
        raise ConfigurationError(f"DATABASE_URL cannot be read: {error}") from error
    return parsed


def secret_key(environment: Mapping[str, str], home: Path) -> str:
    """The given key, or one generated once into the home folder (mode 0600)."""
    given = environment.get("MEDVIGIL_SECRET_KEY", "").strip()
    if given:
        if len(given) < 50:
            raise ConfigurationError("MEDVIGIL_SECRET_KEY must be at least 50 characters")
        return given
    key_file = home / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    home.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


def disclosure_key(home: Path) -> str:
    """The key that encrypts disclosure reports at rest, generated once into the home (0600).

    Fernet's format: 32 random bytes, URL-safe base64. Losing it loses every report.
    """
    key_file = home / "disclosure_key"
    if key_file.exists():
        return key_file.read_text(encoding="ascii").strip()
    home.mkdir(parents=True, exist_ok=True)
    key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")
    descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key)
    return key


def checkpoint_file(environment: Mapping[str, str], home: Path) -> Path:
    """Where signed audit checkpoints are appended: outside the database, ideally off the host."""
    configured = environment.get("MEDVIGIL_AUDIT_CHECKPOINTS", "").strip()
    return Path(configured).expanduser() if configured else home / "audit-checkpoints"


def checkpoint_key(environment: Mapping[str, str]) -> str:
    """The checkpoint signing key when given (else a key file is created on first use)."""
    given = environment.get("MEDVIGIL_AUDIT_CHECKPOINT_KEY", "").strip()
    if given and len(given) < 32:
        raise ConfigurationError("MEDVIGIL_AUDIT_CHECKPOINT_KEY must be at least 32 characters")
    return given


def web_address(name: str, value: str | None) -> str:
    """An absolute http(s) address without a trailing slash, or "" when unset."""
    address = (value or "").strip().rstrip("/")
    if address and not address.startswith(("https://", "http://")):
        raise ConfigurationError(f"{name} must be an http:// or https:// address, not {value!r}")
    return address


def parse_networks(name: str, value: str | None) -> tuple[Network, ...]:
    """Addresses or CIDR networks, separated by commas; a lone address is its own network."""
    networks = []
    for item in parse_list(value, ()):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as error:
            raise ConfigurationError(
                f"{name} must list IP addresses or networks (CIDR), not {item!r}"
            ) from error
    return tuple(networks)


def read_configuration(environment: Mapping[str, str]) -> Configuration:
    home = home_directory(environment)
    home.mkdir(mode=PRIVATE_DIRECTORY, parents=True, exist_ok=True)
    database = database_settings(environment, home)
    sqlite_file = Path(str(database.get("NAME", "")))
    is_sqlite_file = (
        database["ENGINE"] == "django.db.backends.sqlite3" and sqlite_file.is_absolute()
    )
    secure_home(home, sqlite_file if is_sqlite_file else None)
    debug = parse_boolean("MEDVIGIL_DEBUG", environment.get("MEDVIGIL_DEBUG"), False)
    hosts = parse_list(
        environment.get("MEDVIGIL_ALLOWED_HOSTS"), ("127.0.0.1", "localhost", "[::1]")
    )
    log_level = environment.get("MEDVIGIL_LOG_LEVEL", "INFO").upper()
    if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise ConfigurationError("MEDVIGIL_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR")
    return Configuration(
        home=home,
        database=database,
        secret_key=secret_key(environment, home),
        debug=debug,
        allowed_hosts=hosts,
        behind_tls=parse_boolean("MEDVIGIL_TLS", environment.get("MEDVIGIL_TLS"), False),
        trusted_origins=parse_list(environment.get("MEDVIGIL_TRUSTED_ORIGINS"), ()),
        email_backend=(
            "django.core.mail.backends.smtp.EmailBackend"
            if environment.get("MEDVIGIL_EMAIL_HOST")
            else "django.core.mail.backends.console.EmailBackend"
        ),
        email_host=environment.get("MEDVIGIL_EMAIL_HOST", ""),
        email_port=parse_port(environment.get("MEDVIGIL_EMAIL_PORT", "587")),
        email_user=environment.get("MEDVIGIL_EMAIL_USER", ""),
        email_password=environment.get("MEDVIGIL_EMAIL_PASSWORD", ""),
        email_use_tls=parse_boolean(
            "MEDVIGIL_EMAIL_TLS", environment.get("MEDVIGIL_EMAIL_TLS"), True
        ),
        default_from_email=environment.get("MEDVIGIL_FROM_EMAIL", "medvigil@localhost"),
        log_level=log_level,
        session_idle_minutes=parse_positive(
            "MEDVIGIL_SESSION_IDLE_MINUTES", environment.get("MEDVIGIL_SESSION_IDLE_MINUTES"), 30
        ),
        lockout_failures=parse_positive(
            "MEDVIGIL_LOCKOUT_FAILURES", environment.get("MEDVIGIL_LOCKOUT_FAILURES"), 5
        ),
        lockout_minutes=parse_positive(
            "MEDVIGIL_LOCKOUT_MINUTES", environment.get("MEDVIGIL_LOCKOUT_MINUTES"), 15
        ),
        disclosure_key=disclosure_key(home),
        full_rematch_hours=parse_whole(
            "MEDVIGIL_FULL_REMATCH_HOURS", environment.get("MEDVIGIL_FULL_REMATCH_HOURS"), 24
        ),
        feed_batch_size=parse_positive(
            "MEDVIGIL_FEED_BATCH_SIZE", environment.get("MEDVIGIL_FEED_BATCH_SIZE"), 1000
        ),
        match_chunk_size=parse_positive(
            "MEDVIGIL_MATCH_CHUNK_SIZE", environment.get("MEDVIGIL_MATCH_CHUNK_SIZE"), 2000
        ),
        rematch_task_size=parse_positive(
            "MEDVIGIL_REMATCH_TASK_SIZE", environment.get("MEDVIGIL_REMATCH_TASK_SIZE"), 20000
        ),
        manufacturer=environment.get("MEDVIGIL_MANUFACTURER", "").strip() or "the manufacturer",
        public_url=web_address("MEDVIGIL_PUBLIC_URL", environment.get("MEDVIGIL_PUBLIC_URL")),
        triage_webhook_url=web_address(
            "MEDVIGIL_TRIAGE_WEBHOOK_URL", environment.get("MEDVIGIL_TRIAGE_WEBHOOK_URL")
        ),
        triage_webhook_secret=environment.get("MEDVIGIL_TRIAGE_WEBHOOK_SECRET", ""),
        trusted_proxies=parse_networks(
            "MEDVIGIL_TRUSTED_PROXIES", environment.get("MEDVIGIL_TRUSTED_PROXIES")
        ),
        audit_checkpoint_file=checkpoint_file(environment, home),
        audit_checkpoint_key=checkpoint_key(environment),
        audit_checkpoint_minutes=parse_whole(
            "MEDVIGIL_AUDIT_CHECKPOINT_MINUTES",
            environment.get("MEDVIGIL_AUDIT_CHECKPOINT_MINUTES"),
            60,
        ),
        audit_checkpoint_mail=parse_addresses(
            "MEDVIGIL_AUDIT_CHECKPOINT_MAIL", environment.get("MEDVIGIL_AUDIT_CHECKPOINT_MAIL", "")
        ),
        web_statement_timeout_seconds=parse_whole(
            "MEDVIGIL_WEB_STATEMENT_TIMEOUT",
            environment.get("MEDVIGIL_WEB_STATEMENT_TIMEOUT"),
            20,
        ),
        finding_tally_seconds=parse_positive(
            "MEDVIGIL_FINDING_TALLY_SECONDS", environment.get("MEDVIGIL_FINDING_TALLY_SECONDS"), 60
        ),
    )
