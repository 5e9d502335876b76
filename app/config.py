"""Configuration read from the environment.

Only here does the app look at ``os.environ``; everything else reads ``app.config``.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path


class ConfigurationError(RuntimeError):
    """The app cannot start with the configuration it was given."""


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs written the usual way."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def made_once(path: Path, make: Callable[[], bytes]) -> bytes:
    """The content of a file of ``instance/`` (a development key, say), made on first use.

    Several processes start together (the web server and the scheduler; certificate renderers):
    the file is written aside and linked into place, which fails for all but the first, so
    every process reads the same whole content, never a half-written file.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}.draft")
        draft.write_bytes(make())
        draft.chmod(0o600)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process made it first: theirs is the one
        finally:
            draft.unlink()
    return path.read_bytes()


def _development_secret_key(instance_path: Path) -> str:
    """A key generated on first start and kept in ``instance/`` so sessions survive restarts."""
    return made_once(instance_path / "secret_key",
                     lambda: secrets.token_hex(32).encode()).decode().strip()


def load(instance_path: str, overrides: dict | None = None) -> dict:
    """Build the configuration mapping for :func:`app.create_app`."""
    overrides = overrides or {}
    env = overrides.get("APP_ENV", os.environ.get("APP_ENV", "development"))
    production = env == "production"
    instance = Path(instance_path)
    default_db = f"sqlite:///{instance / 'dataspace-training.sqlite'}"

    config = {
        "APP_ENV": env,
        "SQLALCHEMY_DATABASE_URI": database_url(os.environ.get("DATABASE_URL", default_db)),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "BABEL_DEFAULT_LOCALE": os.environ.get("DEFAULT_LOCALE", "en"),
        # The address people reach the site by: links in emails, calendar feeds, QR codes.
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "" if production else "http://127.0.0.1:5000"),
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "BABEL_TRANSLATION_DIRECTORIES": str(
            Path(__file__).resolve().parent.parent / "translations"
        ),
        # Outgoing mail: "console" prints messages (development), "smtp" sends them.
        "MAIL_BACKEND": os.environ.get("MAIL_BACKEND", "smtp" if production else "console"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS"),
        "MAIL_USE_SSL": _flag("MAIL_USE_SSL"),
        # How long the sender waits for a silent SMTP server before it retries later.
        "MAIL_SMTP_TIMEOUT": float(os.environ.get("MAIL_SMTP_TIMEOUT", "10")),
        "MAIL_DEFAULT_SENDER": os.environ.get(
            "MAIL_DEFAULT_SENDER", "Data Space Training <training@localhost>"
        ),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        # The JSON API: per calling address, and per access token (whatever the address).
        "API_LIMIT_PER_ADDRESS": os.environ.get("API_LIMIT_PER_ADDRESS", "120 per minute"),
        "API_LIMIT_PER_TOKEN": os.environ.get("API_LIMIT_PER_TOKEN", "600 per minute"),
        "SIGN_IN_LIMIT_PER_ACCOUNT": os.environ.get(
            "SIGN_IN_LIMIT_PER_ACCOUNT", "5 per minute;30 per hour"
        ),
        "SIGN_IN_LIMIT_PER_IP": os.environ.get(
            "SIGN_IN_LIMIT_PER_IP", "30 per minute;300 per hour"
        ),
        "SIGN_UP_LIMIT_PER_IP": os.environ.get("SIGN_UP_LIMIT_PER_IP", "20 per hour"),
        "PASSWORD_CHECK_LIMIT": os.environ.get("PASSWORD_CHECK_LIMIT",
                                               "5 per 15 minutes;20 per day"),
        # The public expression-of-interest form: per address and per contact email.
        "INTEREST_LIMIT_PER_IP": os.environ.get("INTEREST_LIMIT_PER_IP", "5 per hour;20 per day"),
        "INTEREST_LIMIT_PER_EMAIL": os.environ.get("INTEREST_LIMIT_PER_EMAIL", "3 per day"),
        # A form sent back sooner than this after it was shown was not filled in by a person.
        "INTEREST_MIN_FILL_SECONDS": float(os.environ.get("INTEREST_MIN_FILL_SECONDS", "3")),
        "INTEREST_REMINDER_DAYS": int(os.environ.get("INTEREST_REMINDER_DAYS", "14")),
        # Contact details of interests that never became partnerships are erased after this.
        "INTEREST_RETENTION_MONTHS": int(os.environ.get("INTEREST_RETENTION_MONTHS", "24")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": production,
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", str(12 * 1024 * 1024))),
        "MATERIAL_MAX_BYTES": int(os.environ.get("MATERIAL_MAX_BYTES", str(10 * 1024 * 1024))),
        "SCHEDULER_INTERVAL_SECONDS": int(os.environ.get("SCHEDULER_INTERVAL_SECONDS", "60")),
        # Every email waits for the sender (requests never talk to SMTP): it looks every
        # second, and on PostgreSQL is woken by each commit that queued mail.
        "MAIL_INTERVAL_SECONDS": float(os.environ.get("MAIL_INTERVAL_SECONDS", "1")),
        # A running job (a certificate batch, a funder report) silent for this long is taken
        # over by another scheduler: its own was stopped mid-way.
        "JOB_LEASE_SECONDS": int(os.environ.get("JOB_LEASE_SECONDS", "120")),
        # A message being sent is left to its sender this long before another one may retry.
        "MAIL_CLAIM_SECONDS": int(os.environ.get("MAIL_CLAIM_SECONDS", "300")),
        # Processes that render certificate PDFs (0: one per core).
        "CERTIFICATE_RENDER_WORKERS": int(os.environ.get("CERTIFICATE_RENDER_WORKERS", "0")),
        # A renderer drawing one certificate longer than this is stopped and the certificate
        # marked failed (one takes 30-60 ms; a Data Space's layout may be slower, not this slow).
        "CERTIFICATE_RENDER_SECONDS": float(os.environ.get("CERTIFICATE_RENDER_SECONDS", "20")),
        # Who publishes the grants' IATI activities: set the organisation identifier the IATI
        # registry gave the network (the default only says that none was set).
        "IATI_ORGANISATION": {
            "ref": os.environ.get("IATI_ORGANISATION_REF", "XI-IATI-DST"),
            "type": os.environ.get("IATI_ORGANISATION_TYPE", "21"),  # international NGO
            "name": os.environ.get("IATI_ORGANISATION_NAME", "Data Space Training network"),
        },
        # Reports show counts of people below this as "< N" (small cells identify people).
        "REPORT_MIN_CELL": int(os.environ.get("REPORT_MIN_CELL", "5")),
        "ATTENDANCE_GRACE_DAYS": int(os.environ.get("ATTENDANCE_GRACE_DAYS", "14")),
        "WAITLIST_OFFER_HOURS": int(os.environ.get("WAITLIST_OFFER_HOURS", "48")),
        "WTF_CSRF_TIME_LIMIT": None,  # tied to the session instead: forms left open stay usable
    }
    config.update(overrides)

    config.setdefault("CERTIFICATE_SIGNING_KEY", os.environ.get("CERTIFICATE_SIGNING_KEY"))
    config.setdefault("CERTIFICATE_SIGNING_CERT", os.environ.get("CERTIFICATE_SIGNING_CERT"))
    if production and not config["CERTIFICATE_SIGNING_KEY"]:
        raise ConfigurationError("CERTIFICATE_SIGNING_KEY (an Ed25519 key, PEM) must be set "
                                 "when APP_ENV=production.")
    if production and not config["PUBLIC_URL"]:
        raise ConfigurationError("PUBLIC_URL must be set when APP_ENV=production.")
    secret = config.get("SECRET_KEY") or os.environ.get("SECRET_KEY")
    if not secret:
        if production:
            raise ConfigurationError("SECRET_KEY must be set when APP_ENV=production.")
        secret = _development_secret_key(instance)
    config["SECRET_KEY"] = secret
    return config
