"""The email outbox: every message is written in the transaction that causes it, then sent."""

from flask import Flask


def init_app(app: Flask) -> None:
    from app.outbox import services  # noqa: F401  (registers the after-commit delivery)
