"""Scheduled jobs of partners: each claims its rows with a conditional UPDATE and commits, so
that two scheduler instances never remind or erase twice."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select, update

from app.auth.services import coordinators_of
from app.extensions import db
from app.partners import notices, services
from app.partners.models import OPEN_STATUSES, Interest
from app.timeutil import utcnow


def remind_untouched(now: datetime | None = None) -> int:
    """Remind whoever follows an open interest nobody touched for the reminder period (its
    assignee, or else its whole team): once per quiet spell, touching it starts a new one."""
    now = now or utcnow()
    days = current_app.config["INTEREST_REMINDER_DAYS"]
    quiet = (Interest.last_activity_at <= now - timedelta(days=days),
             Interest.status.in_(OPEN_STATUSES), Interest.converted_at.is_(None),
             Interest.erased_at.is_(None),
             or_(Interest.reminded_at.is_(None),
                 Interest.reminded_at < Interest.last_activity_at))
    reminded = 0
    for interest_id in db.session.scalars(select(Interest.id).where(*quiet)).all():
        claimed = db.session.execute(
            update(Interest).where(Interest.id == interest_id, *quiet).values(reminded_at=now)
            .execution_options(synchronize_session=False)).rowcount
        if claimed == 1:
            interest = db.session.get(Interest, interest_id)
            readers = ([interest.assignee] if interest.assignee
                       else coordinators_of(interest.dataspace_id))
            notices.tell_coordinators(interest, "reminder", readers, days=days)
            reminded += 1
        db.session.commit()
    return reminded


def erase_lapsed(now: datetime | None = None) -> int:
    """Erase the contact details of interests that never became partnerships, once the
    retention period has passed since anything happened to them."""
    now = now or utcnow()
    erased = 0
    for interest_id in services.lapsed(now):
        interest = db.session.get(Interest, interest_id)
        erased += services.erase_contact(interest, reason="retention period")
        db.session.commit()
    return erased


#: Registered by the scheduler (app/site/scheduler.py), one process for the deployment.
JOBS = {"remind-untouched-interests": remind_untouched,
        "erase-lapsed-interests": erase_lapsed}
