"""The participant's own changes: cancelling, accepting or declining an offered seat, leaving
the waiting list; cancelling whatever the deadline when an account is erased; and the outcome
attendance settles when a programme completes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from app.enrollment import notices
from app.enrollment.models import (
    SEAT_HOLDERS,
    Enrollment,
    EnrollmentStatus,
)
from app.enrollment.seats import Waitlist, change_waiting, release_seat, set_status
from app.errors import DomainError
from app.extensions import db
from app.timeutil import utcnow
from app.workshops.models import Programme
from app.workshops.timezones import day_bounds


def record_attendance_outcome(outcomes: Mapping[int, bool]) -> None:
    """Whether each confirmed participant (by enrollment id) reached their programme's minimum
    attendance, as attendance settled it."""
    for reached in (True, False):
        ids = [enrollment_id for enrollment_id, value in outcomes.items() if value is reached]
        if ids:
            db.session.execute(update(Enrollment).where(Enrollment.id.in_(ids))
                               .values(reached_minimum=reached)
                               .execution_options(synchronize_session=False))


def cancellation_deadline(programme: Programme) -> datetime:
    start, _ = day_bounds(programme.start_date, programme.end_date, programme.time_zone)
    return start - timedelta(hours=programme.cancellation_deadline_hours)


def cancel(enrollment: Enrollment) -> None:
    """The participant withdraws: a held seat goes to the waiting list."""
    status = enrollment.status
    if status in SEAT_HOLDERS:
        if status == EnrollmentStatus.CONFIRMED and utcnow() >= cancellation_deadline(
                enrollment.programme):
            raise DomainError(_l("The cancellation deadline has passed; please write to the "
                                 "coordinators."))
        set_status(enrollment, status, EnrollmentStatus.CANCELLED)
        release_seat(enrollment.programme_id)
        Waitlist.offer_free_seats(enrollment.programme_id)
    elif status == EnrollmentStatus.WAITLISTED:
        set_status(enrollment, status, EnrollmentStatus.CANCELLED)
        change_waiting(enrollment.programme_id, -1)
    elif status == EnrollmentStatus.APPLIED:
        set_status(enrollment, status, EnrollmentStatus.CANCELLED)
    else:
        raise DomainError(_l("There is nothing to cancel."))


def accept_offer(enrollment: Enrollment) -> None:
    if enrollment.status != EnrollmentStatus.OFFERED:
        raise DomainError(_l("There is no seat offer to accept."))
    if enrollment.offer_expires_at and enrollment.offer_expires_at <= utcnow():
        raise DomainError(_l("This offer has expired."))
    set_status(enrollment, EnrollmentStatus.OFFERED, EnrollmentStatus.CONFIRMED)
    enrollment.offer_expires_at = None
    notices.tell(enrollment, "confirmed")


def decline_offer(enrollment: Enrollment) -> None:
    if enrollment.status != EnrollmentStatus.OFFERED:
        raise DomainError(_l("There is no seat offer to decline."))
    set_status(enrollment, EnrollmentStatus.OFFERED, EnrollmentStatus.DECLINED)
    release_seat(enrollment.programme_id)
    Waitlist.offer_free_seats(enrollment.programme_id)


def leave_waitlist(enrollment: Enrollment) -> None:
    """What the link in the waiting-list email does: only ever leave the waiting list (the
    link outlives the waiting; a confirmed seat is cancelled from the signed-in space)."""
    if enrollment.status != EnrollmentStatus.WAITLISTED:
        raise DomainError(_l("You are no longer on the waiting list."))
    cancel(enrollment)


def force_cancel(enrollment: Enrollment) -> None:
    """Cancel whatever the deadline (the account is being deleted)."""
    status = enrollment.status
    set_status(enrollment, status, EnrollmentStatus.CANCELLED)
    if status in SEAT_HOLDERS:
        release_seat(enrollment.programme_id)
        Waitlist.offer_free_seats(enrollment.programme_id)
    elif status == EnrollmentStatus.WAITLISTED:
        change_waiting(enrollment.programme_id, -1)
