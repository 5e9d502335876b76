"""Partners: expressions of interest from institutions that want to work with a Data Space (or
the network), the coordinators' triage of them, and their conversion into a partnership."""

from flask import Flask


def init_app(app: Flask) -> None:
    from app.partners.views import bp

    app.register_blueprint(bp)
