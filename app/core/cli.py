"""``flask --app app seed demo``: the demo data of every domain."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db

seed_cli = AppGroup("seed", help="Load demo data.")


@seed_cli.command("demo")
def seed_demo() -> None:
    """Load (or refresh) the demo data. Running it twice changes nothing."""
    from app.auth import demo as auth_demo
    from app.curriculum import demo as curriculum_demo
    from app.dataspaces import demo as dataspaces_demo

    dataspaces_demo.load()
    if current_app.config["APP_ENV"] != "production":
        auth_demo.load()
    # After the accounts: the demo modules are written by the demo instructor (no modules
    # without that account, as in production).
    curriculum_demo.load()
    db.session.commit()
    click.echo("Demo data loaded.")
