"""Programmes — workshops, seasonal and summer schools — and their sessions across time zones."""

from flask import Flask


def init_app(app: Flask) -> None:
    from app.workshops.views import bp

    app.register_blueprint(bp)
