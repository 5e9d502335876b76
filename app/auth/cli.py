"""``flask --app app users …``"""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from app.auth import services
from app.auth.models import Role
from app.errors import DomainError
from app.extensions import db
from app.timeutil import utcnow

users_cli = AppGroup("users", help="Manage accounts.")


@users_cli.command("create-admin")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_admin(email: str, password_stdin: bool) -> None:
    """Create an administrator account (or make an existing account an administrator)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = services.find_user(email)
    try:
        if user is None:
            user = services.create_user(email, password, verified_at=utcnow())
        services.grant_role(user, Role.ADMIN)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(f"{user.email} is an administrator.")
