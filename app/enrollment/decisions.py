"""Coordinators' decisions: applications accepted, rejected or waitlisted, their questions and
notes, and people invited or offered a seat."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.enrollment import notices
from app.enrollment.models import (
    ApplicationQuestion,
    Enrollment,
    EnrollmentStatus,
)
from app.enrollment.seats import (
    Waitlist,
    change_waiting,
    next_queue_number,
    questions_of,
    set_status,
    take_free_seat,
)
from app.errors import DomainError
from app.extensions import db
from app.timeutil import utcnow
from app.workshops.models import Programme


class Decision:
    ACCEPT = "accept"
    REJECT = "reject"
    WAITLIST = "waitlist"
    ALL = (ACCEPT, REJECT, WAITLIST)


def decide(enrollment: Enrollment, decision: str, actor: User, note: str | None = None) -> None:
    """Accept, reject or waitlist an application; the applicant is told by email."""
    if decision not in Decision.ALL:
        raise DomainError(_l("Unknown decision."))
    if enrollment.status != EnrollmentStatus.APPLIED:
        raise DomainError(_l("Only applications under review can be decided."))
    if decision == Decision.ACCEPT:
        if not take_free_seat(enrollment.programme_id):
            raise DomainError(_l("No seat is free: put the application on the waiting list."))
        set_status(enrollment, EnrollmentStatus.APPLIED, EnrollmentStatus.CONFIRMED)
        message = "accepted"
    elif decision == Decision.REJECT:
        set_status(enrollment, EnrollmentStatus.APPLIED, EnrollmentStatus.REJECTED)
        message = "rejected"
    else:
        set_status(enrollment, EnrollmentStatus.APPLIED, EnrollmentStatus.WAITLISTED)
        change_waiting(enrollment.programme_id, +1)
        message = "waitlisted"
        Waitlist.offer_free_seats(enrollment.programme_id)
    enrollment.decided_at, enrollment.decided_by_id = utcnow(), actor.id
    if note:
        enrollment.internal_note = note.strip()
    db.session.flush()
    if enrollment.status != EnrollmentStatus.OFFERED:
        notices.tell(enrollment, message)


def set_note(enrollment: Enrollment, note: str) -> None:
    enrollment.internal_note = note.strip() or None
    db.session.flush()


def add_question(programme: Programme, text: Mapping[str, str]) -> ApplicationQuestion:
    question = ApplicationQuestion(programme_id=programme.id, text=text,
                                   position=len(questions_of(programme)))
    db.session.add(question)
    db.session.flush()
    return question


def invite(user: User, programme: Programme, actor: User) -> Enrollment:
    """A coordinator's invitation: a confirmed seat, and an email with a link to set a password."""
    queue_number = next_queue_number(programme.id)
    if not take_free_seat(programme.id):
        raise DomainError(_l("No seat is free."))
    enrollment = Enrollment(programme_id=programme.id, user_id=user.id, queue_number=queue_number,
                            status=EnrollmentStatus.CONFIRMED, invited=True,
                            decided_at=utcnow(), decided_by_id=actor.id)
    db.session.add(enrollment)
    db.session.flush()
    notices.tell(enrollment, "invited")
    return enrollment


def offer_seat(user: User, programme: Programme, actor: User) -> Enrollment:
    """A coordinator's invitation to someone who already has an account: a seat held for them
    (as a waiting-list offer is), which they accept or decline in their space."""
    queue_number = next_queue_number(programme.id)
    if not take_free_seat(programme.id):
        raise DomainError(_l("No seat is free."))
    enrollment = Enrollment(
        programme_id=programme.id, user_id=user.id, queue_number=queue_number,
        status=EnrollmentStatus.OFFERED, invited=True, decided_at=utcnow(), decided_by_id=actor.id,
        offer_expires_at=utcnow() + timedelta(hours=current_app.config["WAITLIST_OFFER_HOURS"]))
    db.session.add(enrollment)
    db.session.flush()
    notices.tell(enrollment, "offer")
    return enrollment
