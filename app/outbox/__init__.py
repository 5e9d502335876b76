"""The email outbox: every message is written in the transaction that causes it, then sent."""

from flask import Flask


def init_app(app: Flask) -> None:
    from app.auth.signals import user_erased
    from app.outbox.services import forget_recipient

    user_erased.connect(forget_recipient)
