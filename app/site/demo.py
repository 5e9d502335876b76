"""The demo network's life: the 2016-17 programmes replayed as they happened, and the upcoming
ones filling up, all through the domains' own services.

Each past programme, made with registration open (``app/workshops/demo.py``), is lived through
on its own dates (the clock is frozen at each step): people enrol or apply and are accepted,
registration closes, the sessions take place and instructors take attendance (some people miss
too many to reach the minimum), the programme completes, the certificates are issued, and one is
revoked and reissued with a corrected name. The PDFs are drawn by the scheduler afterwards, as
after any batch. Upcoming programmes get confirmed participants, a full one its waiting list
with an open offer, and one by application its applications awaiting review.

Loading twice changes nothing: a past programme is replayed only while it is still open for
registration in the past, an upcoming one filled only while no demo participant is in it.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app import demo
from app.attendance import services as attendance
from app.attendance.models import Mark
from app.auth.services import find_user
from app.certificates import issuing as certificate_issuing
from app.certificates import jobs as certificate_jobs
from app.certificates.models import Certificate
from app.enrollment import changes as enrollment_changes
from app.enrollment import decisions as enrollment_decisions
from app.enrollment import demo as people_demo
from app.enrollment import profiles as enrollment_profiles
from app.enrollment import seats as enrollment_seats
from app.enrollment.models import EnrollmentStatus
from app.errors import DomainError
from app.evaluation import demo as surveys_demo
from app.extensions import db
from app.outbox import services as outbox
from app.timeutil import frozen_time, utcnow
from app.workshops import demo as programmes_demo
from app.workshops import services as workshops
from app.workshops.models import EnrollmentMode, Programme, ProgrammeState


def _motivation() -> str:
    return demo.read("people")["motivation"]


def load() -> None:
    coordinator = find_user("coordinator@example.org")
    instructor = find_user("instructor@example.org")
    if coordinator is None or instructor is None:
        return  # no demo accounts (production): no demo history
    everyone = people_demo.people()
    started = utcnow()
    for number, slug in enumerate(programmes_demo.past_slugs()):
        programme = db.session.scalar(select(Programme).where(Programme.slug == slug))
        if programme is not None and programme.state == ProgrammeState.REGISTRATION_OPEN \
                and programme.end_date < started.date():
            _replay(programme, _cohort(everyone, number), coordinator, instructor)
    _fill_upcoming(everyone, coordinator)
    outbox.mark_sent_before(utcnow())  # demo emails: the history's left back then, the rest
    # would only flood the development console


def _cohort(everyone: list, number: int) -> list:
    """About fifteen people for a past programme, different each time."""
    chooser = random.Random(number)
    return chooser.sample(everyone, 15)


def _at(day, clock: str, programme: Programme) -> datetime:
    local = datetime.combine(day, time.fromisoformat(clock), ZoneInfo(programme.time_zone))
    return local.astimezone(UTC)


def _replay(programme: Programme, cohort: list, coordinator, instructor) -> None:
    chooser = random.Random(programme.id)
    with frozen_time(programme.registration_opens_at + timedelta(days=3)):
        applying = programme.enrollment_mode == EnrollmentMode.APPLICATION
        seats = [enrollment_seats.enroll(person, programme, answers={},
                                         motivation=_motivation() if applying else None)
                 for person in cohort]
    if applying:
        with frozen_time(programme.registration_closes_at - timedelta(days=2)):
            for seat in seats[:-2]:
                enrollment_decisions.decide(seat, enrollment_decisions.Decision.ACCEPT, coordinator)
            enrollment_decisions.decide(seats[-2], enrollment_decisions.Decision.REJECT, coordinator)
            enrollment_decisions.decide(seats[-1], enrollment_decisions.Decision.REJECT, coordinator)
    with frozen_time(programme.registration_closes_at):
        workshops.transition(programme, ProgrammeState.REGISTRATION_CLOSED, None)
    with frozen_time(_at(programme.start_date, "07:00", programme)):
        workshops.transition(programme, ProgrammeState.IN_PROGRESS, None)
    confirmed = [s for s in seats if s.status == EnrollmentStatus.CONFIRMED]
    with frozen_time(programme.registration_closes_at):
        surveys_demo.answer_before(programme, [s.user for s in confirmed], chooser)
    # Most attend everything; a few miss enough sessions to fall below the minimum.
    absent_rate = {seat.id: chooser.choice([0, 0, 0, 0.1, 0.6]) for seat in confirmed}
    for session in sorted(programme.sessions, key=lambda item: item.starts_at):
        marks = {seat.id: Mark.ABSENT if chooser.random() < absent_rate[seat.id] else
                 chooser.choice([Mark.PRESENT] * 6 + [Mark.LATE]) for seat in confirmed}
        with frozen_time(session.starts_at + timedelta(minutes=20)):
            attendance.record_marks(session, marks, instructor)
    with frozen_time(_at(programme.end_date + timedelta(days=1), "09:00", programme)):
        workshops.transition(programme, ProgrammeState.COMPLETED, None)
        certificate_jobs.issue_all(programme, coordinator)
        _correct_a_name(programme, coordinator)
    with frozen_time(_at(programme.end_date + timedelta(days=3), "10:00", programme)):
        surveys_demo.answer_after(programme, [s.user for s in confirmed], chooser)


def _correct_a_name(programme: Programme, coordinator) -> None:
    """Once in the history: a name corrected after the fact, its certificate revoked and
    reissued (the first programme that person completed)."""
    correction = demo.read("people")["corrected_name"]
    email, corrected = correction["email"], correction["certificate_name"]
    person = find_user(email)
    certificate = person and db.session.scalar(select(Certificate).where(
        Certificate.programme_id == programme.id, Certificate.user_id == person.id))
    if certificate is None or enrollment_profiles.profile_of(person).certificate_name == corrected:
        return
    enrollment_profiles.profile_of(person).certificate_name = corrected
    certificate_issuing.reissue(certificate, coordinator)


def _fill_upcoming(everyone: list, coordinator) -> None:
    today = utcnow().date()
    upcoming = db.session.scalars(select(Programme).where(
        Programme.state == ProgrammeState.REGISTRATION_OPEN, Programme.start_date > today)
        .order_by(Programme.start_date)).all()
    chooser = random.Random(2026)
    for programme in upcoming:
        if any(enrollment_seats.enrollment_of(person, programme) for person in everyone):
            continue
        cohort = chooser.sample(everyone, min(len(everyone), programme.capacity + 3, 15))
        applying = programme.enrollment_mode == EnrollmentMode.APPLICATION
        try:
            seats = [enrollment_seats.enroll(person, programme, answers={},
                                             motivation=_motivation() if applying else None)
                     for person in cohort[:8 if applying else None]]
        except DomainError:  # registration closed meanwhile (the demo was loaded long ago)
            continue
        waiting = [s for s in seats if s.status == EnrollmentStatus.WAITLISTED]
        if waiting:  # a full programme: someone withdraws, and the first waiting gets an offer
            enrollment_changes.cancel(next(s for s in seats if s.status == EnrollmentStatus.CONFIRMED))
