"""Evidence of learning: feedback surveys, pre/post knowledge checks and their results."""

from flask import Flask


def init_app(app: Flask) -> None:
    from app.evaluation import notices
    from app.evaluation.views import bp
    from app.outbox import services as outbox

    app.register_blueprint(bp)
    outbox.register_renderer("survey", notices.render)
