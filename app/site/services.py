"""Health of the parts the app depends on: ``/healthz`` asks the database; ``flask --app app
doctor`` asks everything a deployment needs."""

from __future__ import annotations

import ctypes.util
import smtplib
from dataclasses import dataclass
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db, limiter
from app.site.preflight import instance_problem


def database_problem() -> str | None:
    """``None`` when the database answers, else a short reason."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        db.session.rollback()
        return type(getattr(error, "orig", None) or error).__name__
    return None


@dataclass(frozen=True)
class Finding:
    """One part of a deployment: ``problem`` is ``None`` when it is fine. A finding that is not
    ``required`` leaves the app running, slower or with less (a warning)."""

    part: str
    problem: str | None = None
    fix: str = ""
    required: bool = True


def deployment_findings(app: Flask) -> list[Finding]:
    """What a deployment has and lacks, for ``flask --app app doctor``. Needs an app context."""
    config = app.config
    production = config["APP_ENV"] == "production"
    findings = [_database(), _migrations(app), _instance(app)]
    findings.append(Finding(
        "certificate signing key",
        None if config.get("CERTIFICATE_SIGNING_KEY") or not production else "not set",
        "set CERTIFICATE_SIGNING_KEY to an Ed25519 private key (PEM)"))
    findings.append(Finding(
        "HarfBuzz subsetting (libharfbuzz-subset0)",
        None if ctypes.util.find_library("harfbuzz-subset") else "missing",
        "apt-get install libharfbuzz-subset0 (PDFs take about 20 times longer without it)",
        required=False))
    fonts = Path(app.root_path) / "certificates" / "fonts"
    findings.append(Finding(
        "shipped certificate fonts",
        None if len(list(fonts.glob("*.[ot]tf"))) >= 5 else f"missing from {fonts}",
        "reinstall the app: the fonts are part of its package"))
    findings.append(_rate_limit_storage(config))
    if config["MAIL_BACKEND"] == "smtp":
        findings.append(_smtp(config))
    return findings


def _database() -> Finding:
    problem = database_problem()
    return Finding("database", problem and f"does not answer ({problem})",
                   "check DATABASE_URL and that the server runs")


def _migrations(app: Flask) -> Finding:
    try:
        script = ScriptDirectory(str(Path(app.root_path).parent / "migrations"))
        with db.engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_heads()
    except SQLAlchemyError:
        return Finding("database schema", "cannot be read", "fix the database first")
    heads = tuple(script.get_heads())
    behind = None if tuple(current) == heads else f"at {current or 'nothing'}, code at {heads}"
    return Finding("database schema", behind, "run: flask --app app db upgrade")


def _instance(app: Flask) -> Finding:
    problem = instance_problem(Path(app.instance_path))
    return Finding("instance folder", problem, "")


def _rate_limit_storage(config) -> Finding:
    uri = config["RATELIMIT_STORAGE_URI"]
    if uri.startswith("memory://"):
        production = config["APP_ENV"] == "production"
        return Finding("rate-limit storage",
                       "in memory: each process counts alone" if production else None,
                       "set RATELIMIT_STORAGE_URI=redis://… so that every host shares the counts",
                       required=False)
    try:
        answers = limiter.storage.check()
    except Exception as error:
        answers, uri = False, f"{uri} ({type(error).__name__})"
    return Finding("rate-limit storage", None if answers else f"{uri} does not answer",
                   "check RATELIMIT_STORAGE_URI and that Redis runs")


def _smtp(config) -> Finding:
    server, port = config["MAIL_SERVER"], config["MAIL_PORT"]
    try:
        kind = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
        with kind(server, port, timeout=5) as smtp:
            smtp.noop()
    except (TimeoutError, OSError, smtplib.SMTPException) as error:
        return Finding("SMTP server", f"{server}:{port} does not answer ({error})",
                       "check MAIL_SERVER and MAIL_PORT: emails wait in the outbox meanwhile")
    return Finding("SMTP server")
