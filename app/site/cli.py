"""``flask --app app seed demo``: the demo data of every domain."""

from __future__ import annotations

import contextlib
import logging

import click
from flask import current_app
from flask.cli import AppGroup

from app.auth import demo as auth_demo
from app.curriculum import demo as curriculum_demo
from app.dataspaces import demo as dataspaces_demo
from app.enrollment import demo as enrollment_demo
from app.evaluation import demo as surveys_demo
from app.extensions import db
from app.grants import demo as grants_demo
from app.partners import demo as partners_demo
from app.site import demo as history_demo
from app.site import scheduler
from app.site.services import deployment_findings
from app.workshops import demo as workshops_demo

seed_cli = AppGroup("seed", help="Load demo data.")
scheduler_cli = AppGroup("scheduler", help="Scheduled jobs.")


@scheduler_cli.command("run")
@click.option("--once", is_flag=True, help="Run every job once, then stop.")
def run_scheduler(once: bool) -> None:
    """Run the scheduled jobs (one process for the whole deployment)."""
    app = current_app._get_current_object()
    if once:
        for name, job in scheduler._jobs().items():
            scheduler.run_job(app, name, job)
        return
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    # Our jobs log what they did; APScheduler's line per run (every 5 s for mail) is noise.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    click.echo("Scheduler running; stop it with Ctrl+C.")
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        scheduler.build(app).start()


@click.command("doctor")
def doctor() -> None:
    """Report what this deployment has and lacks; exit 1 when something it needs is missing."""
    findings = deployment_findings(current_app._get_current_object())
    for finding in findings:
        if finding.problem is None:
            click.echo(f"ok    {finding.part}")
        else:
            label = "FAIL " if finding.required else "warn "
            click.echo(f"{label} {finding.part}: {finding.problem}"
                       + (f" → {finding.fix}" if finding.fix else ""))
    if any(f.problem and f.required for f in findings):
        raise SystemExit(1)


@seed_cli.command("demo")
@click.option("--without-history", is_flag=True,
              help="Skip the invented participants and their past and upcoming enrollments, "
                   "attendance and certificates (a few seconds; tests of other things skip it).")
def seed_demo(without_history: bool) -> None:
    """Load (or refresh) the demo data. Running it twice changes nothing."""
    dataspaces_demo.load()
    if current_app.config["APP_ENV"] != "production":
        auth_demo.load()
    # After the accounts: the demo modules are written by the demo instructor (no modules
    # without that account, as in production).
    curriculum_demo.load()
    # After the curricula: some demo programmes teach a copy of a curriculum template, and all
    # are taught by the demo instructor (no programmes without that account).
    workshops_demo.load()
    grants_demo.load()  # after the programmes it funds
    partners_demo.load()  # after the accounts that triage them
    enrollment_demo.load()
    surveys_demo.load()
    if current_app.config["APP_ENV"] != "production" and not without_history:
        history_demo.load()  # invented people living through the programmes
    db.session.commit()
    click.echo("Demo data loaded.")
