"""The site as a whole: the pages of no single domain (home, health check, error page) and
what runs it (the scheduler, `flask doctor`, the start-up preflight, the demo seeding)."""

from flask import Flask


def init_app(app: Flask) -> None:
    from app.site.cli import doctor, scheduler_cli, seed_cli
    from app.site.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(seed_cli)
    app.cli.add_command(scheduler_cli)
    app.cli.add_command(doctor)
