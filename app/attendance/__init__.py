"""Attendance: per-session rosters, QR check-in, corrections with history, rates."""

from flask import Flask


def init_app(app: Flask) -> None:
    from app.attendance.views import bp

    app.register_blueprint(bp)
