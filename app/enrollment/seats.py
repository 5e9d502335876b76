"""Enrolling, and the seats and the waiting list of a programme.

Seats are counted on the programme row (``seats_taken``, ``waiting_count``,
``last_queue_number``) and only ever changed by conditional UPDATEs in the transaction that
creates or changes the enrollment. The first UPDATE of an enrollment locks the programme row
(PostgreSQL) or takes the database's write lock (SQLite, whose driver opens the transaction at
that first write), so arrivals are numbered and served one at a time and a seat can never be
given twice — SQLAlchemy's ``FOR UPDATE`` would be silently dropped on SQLite. A CHECK
constraint (``seats_taken <= capacity``) guards the count as a last line."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, select, update
from sqlalchemy.orm import contains_eager

from app.auth.models import User
from app.enrollment import notices
from app.enrollment.models import (
    ApplicationQuestion,
    Enrollment,
    EnrollmentStatus,
    ParticipantProfile,
)
from app.enrollment.profiles import POLICY_VERSION, profile_of
from app.errors import DomainError
from app.extensions import db
from app.timeutil import utcnow
from app.workshops.models import EnrollmentMode, Programme, ProgrammeState

MAX_ANSWER_LENGTH = 2000


MAX_MOTIVATION_LENGTH = 5000


def enrollment_of(user: User, programme: Programme) -> Enrollment | None:
    return db.session.scalar(select(Enrollment).where(
        Enrollment.programme_id == programme.id, Enrollment.user_id == user.id))


def enrollment_by_slug(user: User, slug: str) -> Enrollment | None:
    """The person's enrollment in the programme at ``slug``, with its programme: one query."""
    return db.session.scalar(
        select(Enrollment).join(Programme, Programme.id == Enrollment.programme_id)
        .where(Programme.slug == slug, Enrollment.user_id == user.id)
        .options(contains_eager(Enrollment.programme)))


def check_registration_open(programme: Programme, now: datetime | None = None) -> None:
    """The registration window, enforced on the server whatever the page showed."""
    now = now or utcnow()
    if programme.state != ProgrammeState.REGISTRATION_OPEN:
        raise DomainError(_l("Registration for this programme is not open."))
    if programme.registration_opens_at and now < programme.registration_opens_at:
        raise DomainError(_l("Registration for this programme has not opened yet."))
    if programme.registration_closes_at and now >= programme.registration_closes_at:
        raise DomainError(_l("Registration for this programme has closed."))


def enroll(user: User, programme: Programme, *, motivation: str | None = None,
           answers: Mapping[str, str] | None = None,
           profile: ParticipantProfile | None = None) -> Enrollment:
    """Enrol (open programmes) or apply (by-application programmes).

    Open programmes confirm while seats remain and nobody is waiting; then people wait in
    arrival order. Raises :class:`DomainError` for anything the person must fix first.
    ``profile``: the person's, when the caller has just read it (one query less).
    """
    check_registration_open(programme)
    profile = profile or profile_of(user)
    if profile is None or profile.consent_policy_version != POLICY_VERSION:
        raise DomainError(_l("Complete your profile and consent to data processing first."))
    previous = enrollment_of(user, programme)
    if previous is not None and previous.status not in (EnrollmentStatus.CANCELLED,
                                                        EnrollmentStatus.DECLINED):
        raise DomainError(_l("You are already registered for this programme."))
    application = programme.enrollment_mode == EnrollmentMode.APPLICATION
    if application:
        motivation, answers = _check_application(programme, motivation, answers)

    # Everything above only read; from here the programme row is locked until the commit,
    # so what follows is as short as it can be: one UPDATE, one INSERT, one outbox row.
    if application:
        queue_number, status = next_queue_number(programme.id), EnrollmentStatus.APPLIED
    else:
        queue_number, confirmed = arrive(programme.id)
        status = EnrollmentStatus.CONFIRMED if confirmed else EnrollmentStatus.WAITLISTED
    if previous is not None:  # read again under the programme lock: a double click lost here
        db.session.refresh(previous)
        if previous.status not in (EnrollmentStatus.CANCELLED, EnrollmentStatus.DECLINED):
            raise DomainError(_l("You are already registered for this programme."))
    enrollment = previous or Enrollment(programme_id=programme.id, user_id=user.id)
    enrollment.status, enrollment.queue_number = status, queue_number
    enrollment.motivation, enrollment.answers = motivation, answers or {}
    enrollment.offer_expires_at = enrollment.decided_at = None
    db.session.add(enrollment)
    db.session.flush()
    notices.tell(enrollment, {EnrollmentStatus.CONFIRMED: "confirmed",
                       EnrollmentStatus.WAITLISTED: "waitlisted",
                       EnrollmentStatus.APPLIED: "applied"}[status])
    return enrollment


def questions_of(programme: Programme) -> list[ApplicationQuestion]:
    return list(db.session.scalars(select(ApplicationQuestion).where(
        ApplicationQuestion.programme_id == programme.id).order_by(ApplicationQuestion.position,
                                                                   ApplicationQuestion.id)))


def _check_application(programme: Programme, motivation, answers):
    motivation = (motivation or "").strip()
    if not motivation:
        raise DomainError(_l("Tell us why you want to take part."), field="motivation")
    if len(motivation) > MAX_MOTIVATION_LENGTH:
        raise DomainError(_l("Your motivation is longer than %(max)d characters.",
                             max=MAX_MOTIVATION_LENGTH), field="motivation")
    cleaned = {}
    for question in questions_of(programme):
        answer = (answers or {}).get(str(question.id), "").strip()
        if len(answer) > MAX_ANSWER_LENGTH:
            raise DomainError(_l("An answer is longer than %(max)d characters.",
                                 max=MAX_ANSWER_LENGTH))
        cleaned[str(question.id)] = answer
    return motivation, cleaned


def next_queue_number(programme_id: int) -> int:
    """Number this arrival. The UPDATE also serializes every enrollment of the programme."""
    return db.session.execute(
        update(Programme).where(Programme.id == programme_id)
        .values(last_queue_number=Programme.last_queue_number + 1)
        .returning(Programme.last_queue_number)
        .execution_options(synchronize_session=False)
    ).scalar_one()


def arrive(programme_id: int) -> tuple[int, bool]:
    """Number a newcomer to an open programme and seat them if a seat is free and nobody is
    waiting, else count them as waiting: one UPDATE, which also serializes every enrollment
    of the programme. Returns the queue number and whether they got a seat.

    SET expressions read the row as it was before the UPDATE (on both databases), so the seat
    and the waiting count follow from the same test; after it, nobody waits only if the
    newcomer was seated."""
    free = and_(Programme.seats_taken < Programme.capacity, Programme.waiting_count == 0)
    number, waiting = db.session.execute(
        update(Programme).where(Programme.id == programme_id)
        .values(last_queue_number=Programme.last_queue_number + 1,
                seats_taken=Programme.seats_taken + case((free, 1), else_=0),
                waiting_count=Programme.waiting_count + case((free, 0), else_=1))
        .returning(Programme.last_queue_number, Programme.waiting_count)
        .execution_options(synchronize_session=False)).one()
    return number, waiting == 0


def take_free_seat(programme_id: int, *, for_waiting_list: bool = False) -> bool:
    """Take a seat if one is free. A newcomer never takes a seat while someone is waiting;
    the waiting list (``for_waiting_list``) takes one on behalf of its first person."""
    statement = update(Programme).where(
        Programme.id == programme_id, Programme.seats_taken < Programme.capacity)
    if for_waiting_list:
        statement = statement.where(Programme.waiting_count > 0).values(
            seats_taken=Programme.seats_taken + 1, waiting_count=Programme.waiting_count - 1)
    else:
        statement = statement.where(Programme.waiting_count == 0).values(
            seats_taken=Programme.seats_taken + 1)
    return db.session.execute(statement.execution_options(synchronize_session=False)).rowcount == 1


def release_seat(programme_id: int) -> None:
    db.session.execute(
        update(Programme).where(Programme.id == programme_id, Programme.seats_taken > 0)
        .values(seats_taken=Programme.seats_taken - 1)
        .execution_options(synchronize_session=False))


def change_waiting(programme_id: int, delta: int) -> None:
    db.session.execute(
        update(Programme).where(Programme.id == programme_id)
        .values(waiting_count=Programme.waiting_count + delta)
        .execution_options(synchronize_session=False))


def seats_taken(programme_id: int) -> int:
    return db.session.scalar(select(Programme.seats_taken).where(Programme.id == programme_id))


def set_status(enrollment: Enrollment, expected: EnrollmentStatus,
                new: EnrollmentStatus) -> None:
    """Change the status only if nobody changed it meanwhile (two tabs, two instances)."""
    changed = db.session.execute(
        update(Enrollment).where(Enrollment.id == enrollment.id, Enrollment.status == expected)
        .values(status=new, updated_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        raise DomainError(_l("This registration changed meanwhile; please look again."))
    db.session.expire(enrollment, ["status", "updated_at"])


class Waitlist:
    """The people waiting for a seat of one programme, first come first served."""

    @staticmethod
    def position(enrollment: Enrollment) -> int | None:
        if enrollment.status != EnrollmentStatus.WAITLISTED:
            return None
        ahead = db.session.scalar(select(func.count()).select_from(Enrollment).where(
            Enrollment.programme_id == enrollment.programme_id,
            Enrollment.status == EnrollmentStatus.WAITLISTED,
            Enrollment.queue_number < enrollment.queue_number))
        return ahead + 1

    @staticmethod
    def offer_free_seats(programme_id: int) -> list[Enrollment]:
        """Offer every free seat to the people waiting longest. Offers hold their seat until
        they expire."""
        offered = []
        hours = current_app.config["WAITLIST_OFFER_HOURS"]
        while take_free_seat(programme_id, for_waiting_list=True):
            head = db.session.scalar(
                select(Enrollment).where(Enrollment.programme_id == programme_id,
                                         Enrollment.status == EnrollmentStatus.WAITLISTED)
                .order_by(Enrollment.queue_number).limit(1))
            if head is None:  # the counter was ahead of the rows: give the seat back
                release_seat(programme_id)
                change_waiting(programme_id, +1)
                recount(programme_id)
                break
            head.status = EnrollmentStatus.OFFERED
            head.offer_expires_at = utcnow() + timedelta(hours=hours)
            db.session.flush()
            notices.tell(head, "offer")
            offered.append(head)
        return offered


def recount(programme_id: int) -> None:
    """Rebuild the counters from the rows (only after an inconsistency)."""
    counts = dict(db.session.execute(
        select(Enrollment.status, func.count()).where(Enrollment.programme_id == programme_id)
        .group_by(Enrollment.status)).all())
    db.session.execute(update(Programme).where(Programme.id == programme_id).values(
        seats_taken=counts.get(EnrollmentStatus.CONFIRMED, 0)
        + counts.get(EnrollmentStatus.OFFERED, 0),
        waiting_count=counts.get(EnrollmentStatus.WAITLISTED, 0),
    ).execution_options(synchronize_session=False))


def fill_free_seats(programme: Programme) -> list[Enrollment]:
    """After capacity was raised: the waiting list gets the new seats."""
    return Waitlist.offer_free_seats(programme.id)
