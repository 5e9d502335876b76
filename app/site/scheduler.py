"""Scheduled jobs, run by one process: ``flask --app app scheduler run``.

APScheduler 3 cannot coordinate schedulers living in several processes (each web worker would
run every job), so the web app never starts one. Every job is also safe when two scheduler
processes do run (a deploy overlapping a restart, say): the work is claimed in the database
with conditional updates, so nothing happens twice.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import threading
import time
from collections.abc import Callable

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from app import DOMAINS
from app.extensions import db
from app.timeutil import utcnow

log = logging.getLogger(__name__)


def _jobs() -> dict[str, Callable[[], object]]:
    """Job name → function, from every domain's ``jobs.py`` (its ``JOBS``); each runs inside
    an app context and commits its own work."""
    jobs = {}
    for domain in DOMAINS:
        if importlib.util.find_spec(f"{domain}.jobs") is not None:
            jobs.update(importlib.import_module(f"{domain}.jobs").JOBS)
    return jobs


def run_job(app: Flask, name: str, job: Callable[[], object]) -> None:
    with app.app_context():
        try:
            result = job()
            if result:
                log.info("%s: %s", name, result)
        except Exception:
            db.session.rollback()
            log.exception("Scheduled job %s failed; it will run again at its next turn", name)
        finally:
            db.session.remove()


def build(app: Flask) -> BlockingScheduler:
    scheduler = _with_jobs(app)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            threading.Thread(target=_wake_sender_on_notify, args=(app, scheduler),
                             name="outbox-listener", daemon=True).start()
    return scheduler


def _wake_sender_on_notify(app: Flask, scheduler: BlockingScheduler) -> None:
    """Run the sender as soon as a commit queued mail (each queues ``NOTIFY outbox``, which
    PostgreSQL delivers at commit), rather than at its next turn. The interval stays as the
    safety net: a lost connection only makes mail wait for it."""
    while True:
        try:
            with app.app_context():
                raw = db.engine.raw_connection()
            try:
                connection = raw.driver_connection
                connection.rollback()
                connection.autocommit = True
                connection.execute("LISTEN outbox")
                for _notification in connection.notifies():
                    scheduler.modify_job("deliver-mail", next_run_time=utcnow())
            finally:
                raw.invalidate()
        except Exception:
            log.exception("Listening for new mail failed; listening again in 5 s")
            time.sleep(5)


def _with_jobs(app: Flask) -> BlockingScheduler:
    scheduler = BlockingScheduler(timezone="UTC")
    for name, job in _jobs().items():
        interval = app.config["MAIL_INTERVAL_SECONDS" if name == "deliver-mail"
                              else "SCHEDULER_INTERVAL_SECONDS"]
        scheduler.add_job(
            run_job,
            "interval",
            seconds=interval,
            args=(app, name, job),
            id=name,
            coalesce=True,
            max_instances=1,
            next_run_time=_now(),
        )
    return scheduler


def _now():
    return utcnow()
