"""The participant's own changes: cancelling, accepting or declining an offered seat, leaving
the waiting list; and cancelling whatever the deadline when an account is erased."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from app.enrollment import notices
from app.enrollment.models import (
    SEAT_HOLDERS,
    Enrollment,
    EnrollmentStatus,
)
from app.enrollment.seats import Waitlist, change_waiting, release_seat, set_status
from app.errors import DomainError
from app.timeutil import utcnow
from app.workshops.models import Programme
from app.workshops.timezones import day_bounds


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
