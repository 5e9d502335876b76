"""Scheduled jobs of the programmes: each commits its own work, claimed so that two scheduler
instances never do it twice."""

from __future__ import annotations

from datetime import date, datetime

from app.extensions import db
from app.timeutil import utcnow
from app.workshops.models import (
    Programme,
)
from app.workshops.services import due_transitions, transition

EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


def advance_programmes(now: datetime | None = None) -> int:
    """The scheduled job: make every due move, each in its own transaction. Idempotent, and
    safe with several instances running (see :func:`transition`). Returns the moves made."""
    now = now or utcnow()
    made = 0
    for programme_id, from_state, to_state in due_transitions(now):
        programme = db.session.get(Programme, programme_id)
        if programme is None or programme.state != from_state:
            continue
        try:
            made += transition(programme, to_state, actor=None)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    return made


#: Registered by the scheduler (app/site/scheduler.py), one process for the deployment.
JOBS = {"advance-programmes": advance_programmes}
