"""Certificates: signed records of what each participant achieved, verifiable by anyone."""

from flask import Flask


def init_app(app: Flask) -> None:
    from app.certificates.cli import certificates_cli
    from app.certificates.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(certificates_cli)
