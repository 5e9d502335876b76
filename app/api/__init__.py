"""The JSON API (``/api/v1/``), its OpenAPI document and documentation page, and the access
tokens people make for it on their account."""

from flask import Flask

from app.errors import answer_errors_under
from app.guards import accept_json_under


def init_app(app: Flask) -> None:
    from app.api import problems, views

    app.register_blueprint(views.bp)
    app.register_blueprint(views.pages)
    answer_errors_under(app, views.bp.url_prefix + "/", problems.response)
    accept_json_under(app, views.bp.url_prefix + "/")
