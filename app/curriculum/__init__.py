"""Teaching content: modules, curricula, collections and the public knowledge catalogue."""

from flask import Flask


def init_app(app: Flask) -> None:
    from app.auth.signals import user_erased
    from app.curriculum.services import forget_reader
    from app.curriculum.views import bp

    app.register_blueprint(bp)
    user_erased.connect(forget_reader)
