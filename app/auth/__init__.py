"""Accounts, sign-in and the permission layer."""

from flask import Flask

from app.extensions import db, login_manager


def init_app(app: Flask) -> None:
    from app.auth import permissions
    from app.auth.cli import users_cli
    from app.auth.models import User
    from app.auth.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(users_cli)
    app.jinja_env.globals.update(
        is_staff=permissions.is_staff,
        is_admin=permissions.is_admin,
        can_manage_dataspace=permissions.can_manage_dataspace,
        can_create_dataspace=permissions.can_create_dataspace,
        can_author_modules=permissions.can_author_modules,
        can_edit_module=permissions.can_edit_module,
        can_publish_module=permissions.can_publish_module,
        can_manage_programmes=permissions.can_manage_programmes,
        is_instructor=permissions.is_instructor,
        can_teach=permissions.can_teach,
    )
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = None

    @login_manager.user_loader
    def load_user(user_id: str):
        return db.session.get(User, int(user_id)) if user_id.isdigit() else None
