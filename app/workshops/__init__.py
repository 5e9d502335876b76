"""Programmes — workshops, seasonal and summer schools — and their sessions across time zones."""

from flask import Flask


def init_app(app: Flask) -> None:
    from app.auth.signals import user_erased
    from app.workshops.services import forget_calendar_feeds
    from app.workshops.views import bp

    app.register_blueprint(bp)
    user_erased.connect(forget_calendar_feeds)
