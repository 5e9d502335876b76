"""The Data Space registry: Data Spaces, city nodes, institutions, partners, teams."""

from flask import Flask


def init_app(app: Flask) -> None:
    from app.dataspaces.views import bp

    app.register_blueprint(bp)
