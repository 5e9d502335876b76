"""Grants: funders and implementing partners, the Data Spaces and period a grant covers, its
targets, and the programmes it funds. Their progress and reports are in ``app/reporting``."""

from flask import Flask


def init_app(app: Flask) -> None:
    from app.grants.views import bp

    app.register_blueprint(bp)
