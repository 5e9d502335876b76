"""Data Space Training: the application factory."""

from __future__ import annotations

from flask import Flask

from app import assets, config, errors, guards, i18n, templating
from app.extensions import (
    CONTENT_SECURITY_POLICY,
    csrf,
    db,
    limiter,
    login_manager,
    migrate,
    talisman,
)

#: Each domain package exposes ``init_app(app)`` to register its blueprint, CLI and hooks.
DOMAINS = (
    "app.site",
    "app.audit",
    "app.outbox",
    "app.auth",
    "app.dataspaces",
    "app.curriculum",
    "app.workshops",
    "app.enrollment",
    "app.attendance",
    "app.certificates",
    "app.grants",
    "app.partners",
    "app.reporting",
    "app.api",
    "app.evaluation",
)


def create_app(overrides: dict | None = None, instance_path: str | None = None) -> Flask:
    """Build the app. ``overrides`` replaces configuration values (tests use it)."""
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)
    app.config.from_mapping(config.load(app.instance_path, overrides))

    guards.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    talisman.init_app(
        app,
        force_https=app.config["APP_ENV"] == "production",
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
    )
    i18n.init_app(app)
    templating.init_app(app)
    assets.init_app(app)
    errors.init_app(app)

    for name in DOMAINS:
        __import__(name, fromlist=["init_app"]).init_app(app)
    return app
