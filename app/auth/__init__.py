"""Accounts, sign-in and the permission layer."""

from flask import Flask

from app.extensions import db, login_manager


def init_app(app: Flask) -> None:
    from app.auth.cli import users_cli
    from app.auth.models import User
    from app.auth.permissions import is_staff
    from app.auth.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(users_cli)
    app.jinja_env.globals["is_staff"] = is_staff
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = None

    @login_manager.user_loader
    def load_user(user_id: str):
        return db.session.get(User, int(user_id)) if user_id.isdigit() else None
