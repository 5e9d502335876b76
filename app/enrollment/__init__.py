"""Enrollment: participants' profiles, registrations and applications, waiting lists, the
participant's own space and the coordinators' roster."""

from flask import Flask


def init_app(app: Flask) -> None:
    from app.enrollment.views import bp

    app.register_blueprint(bp)
