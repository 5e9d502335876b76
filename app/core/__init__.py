"""Pages that belong to no single domain: home, health check, error pages."""

from flask import Flask


def init_app(app: Flask) -> None:
    from app.core.cli import doctor, scheduler_cli, seed_cli
    from app.core.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(seed_cli)
    app.cli.add_command(scheduler_cli)
    app.cli.add_command(doctor)
