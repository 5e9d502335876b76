"""Enrollment: participants' profiles, registrations and applications, waiting lists, the
participant's own space and the coordinators' roster."""

from flask import Flask


def init_app(app: Flask) -> None:
    from app.enrollment import notices
    from app.enrollment.seats import fill_free_seats
    from app.enrollment.views import bp
    from app.outbox.services import register_renderer
    from app.workshops.signals import seats_added

    app.register_blueprint(bp)
    seats_added.connect(fill_free_seats)
    register_renderer("enrollment", notices.render)
