"""Scheduled jobs of attendance: each commits its own work, claimed so that two scheduler instances
never do it twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.attendance.services import warn_out_of_reach
from app.extensions import db
from app.workshops.models import Programme, ProgrammeState


def warn_all_out_of_reach(now: datetime | None = None) -> int:
    """The scheduled job: sessions pass without anyone taking attendance, too."""
    warned = 0
    for programme in db.session.scalars(select(Programme).where(
            Programme.state == ProgrammeState.IN_PROGRESS)):
        warned += warn_out_of_reach(programme, now)
        db.session.commit()
    return warned


#: Registered by the scheduler (app/site/scheduler.py), one process for the deployment.
JOBS = {"warn-attendance-out-of-reach": warn_all_out_of_reach}
