"""The audit log: who changed what, when (roles, later certificates)."""

from flask import Flask


def init_app(app: Flask) -> None:
    from app.audit.services import action_label, detail_label, forget_person
    from app.audit.views import bp
    from app.auth.signals import user_erased

    app.register_blueprint(bp)
    user_erased.connect(forget_person)
    app.jinja_env.globals.update(audit_action=action_label, audit_detail=detail_label)
