"""Scheduled jobs of reporting: each commits its own work, claimed so that two scheduler
instances never do it twice."""

from __future__ import annotations

import logging

from sqlalchemy import update

from app import storage
from app.extensions import db
from app.jobs import beat, claim_each
from app.reporting import funder
from app.reporting.models import BuildStatus, FunderReport
from app.timeutil import utcnow

log = logging.getLogger(__name__)


def build_funder_reports() -> int:
    """The scheduled job: build the queued funder reports. Each is claimed by a conditional
    UPDATE, so two scheduler instances never build one twice."""
    built = 0
    for report_id in claim_each(FunderReport, BuildStatus.QUEUED, BuildStatus.RUNNING,
                                progress=5):
        _build(db.session.get(FunderReport, report_id))
        built += 1
    return built


def _build(report: FunderReport) -> None:
    def step(percent: int) -> None:
        with db.engine.begin() as connection:  # seen by the page while the report builds
            beat(connection, FunderReport, report.id, progress=percent)

    try:
        pdf = funder.build(report, step)
        values = {"status": BuildStatus.DONE, "progress": 100,
                  "file_id": storage.store(pdf, "application/pdf").id}
    except Exception as error:  # shown on the page; the coordinator may ask again
        db.session.rollback()
        log.exception("funder report %s could not be built", report.id)
        values = {"status": BuildStatus.FAILED, "error": type(error).__name__[:500]}
    db.session.execute(update(FunderReport).where(FunderReport.id == report.id)
                       .values(finished_at=utcnow(), **values)
                       .execution_options(synchronize_session=False))
    db.session.commit()


#: Registered by the scheduler (app/site/scheduler.py), one process for the deployment.
JOBS = {"build-funder-reports": build_funder_reports}
