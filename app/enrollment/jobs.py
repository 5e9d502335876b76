"""Scheduled jobs of enrollment: each commits its own work, claimed so that two scheduler instances
never do it twice."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from app.enrollment.models import (
    Enrollment,
    EnrollmentStatus,
)
from app.enrollment.notices import REMINDER_HOURS, tell
from app.enrollment.seats import Waitlist, release_seat
from app.extensions import db
from app.timeutil import utcnow
from app.workshops.models import Session


def expire_offers(now: datetime | None = None) -> int:
    """The scheduled job: lapsed offers pass to the next person. Each offer is claimed by a
    conditional UPDATE, so two instances never expire one twice. Returns how many expired."""
    now = now or utcnow()
    expired = 0
    due = db.session.execute(select(Enrollment.id, Enrollment.programme_id).where(
        Enrollment.status == EnrollmentStatus.OFFERED, Enrollment.offer_expires_at <= now)).all()
    for enrollment_id, programme_id in due:
        claimed = db.session.execute(
            update(Enrollment).where(Enrollment.id == enrollment_id,
                                     Enrollment.status == EnrollmentStatus.OFFERED,
                                     Enrollment.offer_expires_at <= now)
            .values(status=EnrollmentStatus.DECLINED, updated_at=now)
            .execution_options(synchronize_session=False)).rowcount
        if claimed == 1:
            release_seat(programme_id)
            tell(db.session.get(Enrollment, enrollment_id), "offer_expired")
            Waitlist.offer_free_seats(programme_id)
            expired += 1
        db.session.commit()
    return expired


def send_reminders(now: datetime | None = None) -> int:
    """The scheduled job: remind confirmed participants a day before their first session.
    Each reminder is claimed by a conditional UPDATE, so it is sent once."""
    now = now or utcnow()
    first_sessions = (
        select(Session.programme_id, func.min(Session.starts_at).label("first"))
        .group_by(Session.programme_id).subquery()
    )
    due = db.session.execute(
        select(Enrollment.id).join(first_sessions,
                                   first_sessions.c.programme_id == Enrollment.programme_id)
        .where(Enrollment.status == EnrollmentStatus.CONFIRMED,
               Enrollment.reminder_sent_at.is_(None),
               first_sessions.c.first > now,
               first_sessions.c.first <= now + timedelta(hours=REMINDER_HOURS))).scalars().all()
    sent = 0
    for enrollment_id in due:
        claimed = db.session.execute(
            update(Enrollment).where(Enrollment.id == enrollment_id,
                                     Enrollment.reminder_sent_at.is_(None))
            .values(reminder_sent_at=now).execution_options(synchronize_session=False)).rowcount
        if claimed == 1:
            tell(db.session.get(Enrollment, enrollment_id), "reminder")
            sent += 1
        db.session.commit()
    return sent


#: Registered by the scheduler (app/site/scheduler.py), one process for the deployment.
JOBS = {"expire-waitlist-offers": expire_offers, "send-reminders": send_reminders}
