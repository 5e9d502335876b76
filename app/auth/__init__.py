"""Accounts, sign-in and the permission layer."""

from flask import Flask

from app.extensions import login_manager

#: Where the session cookie keeps the token of its sign-in.
SIGN_IN_KEY = "sign_in"


def init_app(app: Flask) -> None:
    from app.auth import permissions
    from app.auth.cli import users_cli
    from app.auth.services import erase_account
    from app.auth.signals import user_erased
    from app.auth.views import bp

    app.register_blueprint(bp)
    user_erased.connect(erase_account)
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
        """The session's account, while its sign-in lasts (``services.end_sign_ins``)."""
        from flask import session

        from app.auth.services import signed_in_user
        from app.views import whole_number

        number = whole_number(user_id)
        return signed_in_user(number, session.get(SIGN_IN_KEY)) if number else None
