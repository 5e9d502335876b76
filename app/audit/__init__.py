"""The audit log: who changed what, when (roles, later certificates)."""

from flask import Flask


def init_app(app: Flask) -> None:
    from app.audit.services import action_label, detail_label
    from app.audit.views import bp

    app.register_blueprint(bp)
    app.jinja_env.globals.update(audit_action=action_label, audit_detail=detail_label)
