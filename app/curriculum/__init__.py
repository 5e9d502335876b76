"""Teaching content: modules, curricula, collections and the public knowledge catalogue."""

from flask import Flask


def init_app(app: Flask) -> None:
    from app.curriculum.views import bp

    app.register_blueprint(bp)
