"""Attendance: per-session rosters, QR check-in, corrections with history, rates."""

from flask import Flask


def init_app(app: Flask) -> None:
    from app.attendance.services import settle_completion
    from app.attendance.views import bp
    from app.workshops.signals import programme_completed

    app.register_blueprint(bp)
    programme_completed.connect(settle_completion)
