"""Enrollment rules: profiles, seats, applications, the waiting list, the participant's data.

Seats are counted on the programme row (``seats_taken``, ``waiting_count``,
``last_queue_number``) and only ever changed by conditional UPDATEs in the transaction that
creates or changes the enrollment. The first UPDATE of an enrollment locks the programme row
(PostgreSQL) or takes the database's write lock (SQLite, whose driver opens the transaction at
that first write), so arrivals are numbered and served one at a time and a seat can never be
given twice — SQLAlchemy's ``FOR UPDATE`` would be silently dropped on SQLite. A CHECK
constraint (``seats_taken <= capacity``) guards the count as a last line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from app import mail
from app.attendance import checkin
from app.auth.models import User
from app.enrollment.models import (
    SEAT_HOLDERS,
    ApplicationQuestion,
    Enrollment,
    EnrollmentStatus,
    Gender,
    ParticipantProfile,
    Sector,
)
from app.errors import DomainError
from app.extensions import db
from app.outbox import services as outbox
from app.timeutil import utcnow
from app.urls import external_url
from app.workshops.models import EnrollmentMode, Programme, ProgrammeState
from app.workshops.timezones import day_bounds

#: The version of the data-processing notice people consent to.
POLICY_VERSION = "2026-11"
MAX_ANSWER_LENGTH = 2000
MAX_MOTIVATION_LENGTH = 5000


# --- the participant's profile -------------------------------------------------------------


@dataclass(frozen=True)
class ProfileDetails:
    given_name: str
    family_name: str | None
    certificate_name: str | None
    organization: str | None
    sector: Sector
    country_code: str
    gender: Gender | None
    gender_self_described: str | None
    accessibility_needs: str | None
    consent: bool


def profile_of(user: User) -> ParticipantProfile | None:
    return db.session.scalar(
        select(ParticipantProfile).where(ParticipantProfile.user_id == user.id))


def save_profile(user: User, details: ProfileDetails) -> ParticipantProfile:
    if not details.consent:
        raise DomainError(_l("We need your consent to process your data before you enrol."),
                          field="consent")
    given = details.given_name.strip()
    if not given:
        raise DomainError(_l("Tell us your name."), field="given_name")
    family = (details.family_name or "").strip() or None
    profile = profile_of(user) or ParticipantProfile(user_id=user.id)
    profile.given_name, profile.family_name = given, family
    profile.certificate_name = (details.certificate_name or "").strip() or " ".join(
        part for part in (given, family) if part)
    profile.organization = (details.organization or "").strip() or None
    profile.sector, profile.country_code = details.sector, details.country_code
    profile.gender = details.gender
    profile.gender_self_described = (
        (details.gender_self_described or "").strip() or None
        if details.gender == Gender.SELF_DESCRIBED else None)
    profile.accessibility_needs = (details.accessibility_needs or "").strip() or None
    if profile.consent_policy_version != POLICY_VERSION:
        profile.consent_at, profile.consent_policy_version = utcnow(), POLICY_VERSION
    db.session.add(profile)
    if not user.display_name:
        user.display_name = profile.certificate_name
    db.session.flush()
    return profile


# --- enrolling -----------------------------------------------------------------------------


def enrollment_of(user: User, programme: Programme) -> Enrollment | None:
    return db.session.scalar(select(Enrollment).where(
        Enrollment.programme_id == programme.id, Enrollment.user_id == user.id))


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
           answers: Mapping[str, str] | None = None) -> Enrollment:
    """Enrol (open programmes) or apply (by-application programmes).

    Open programmes confirm while seats remain and nobody is waiting; then people wait in
    arrival order. Raises :class:`DomainError` for anything the person must fix first.
    """
    check_registration_open(programme)
    profile = profile_of(user)
    if profile is None or profile.consent_policy_version != POLICY_VERSION:
        raise DomainError(_l("Complete your profile and consent to data processing first."))
    previous = enrollment_of(user, programme)
    if previous is not None and previous.status not in (EnrollmentStatus.CANCELLED,
                                                        EnrollmentStatus.DECLINED):
        raise DomainError(_l("You are already registered for this programme."))
    application = programme.enrollment_mode == EnrollmentMode.APPLICATION
    if application:
        motivation, answers = _check_application(programme, motivation, answers)

    queue_number = _next_queue_number(programme.id)
    if previous is not None:  # read again under the programme lock: a double click lost here
        db.session.refresh(previous)
        if previous.status not in (EnrollmentStatus.CANCELLED, EnrollmentStatus.DECLINED):
            raise DomainError(_l("You are already registered for this programme."))
    if application:
        status = EnrollmentStatus.APPLIED
    elif _take_free_seat(programme.id):
        status = EnrollmentStatus.CONFIRMED
    else:
        _change_waiting(programme.id, +1)
        status = EnrollmentStatus.WAITLISTED
    enrollment = previous or Enrollment(programme_id=programme.id, user_id=user.id)
    enrollment.status, enrollment.queue_number = status, queue_number
    enrollment.motivation, enrollment.answers = motivation, answers or {}
    enrollment.offer_expires_at = enrollment.decided_at = None
    db.session.add(enrollment)
    db.session.flush()
    _tell(enrollment, {EnrollmentStatus.CONFIRMED: "confirmed",
                       EnrollmentStatus.WAITLISTED: "waitlisted",
                       EnrollmentStatus.APPLIED: "applied"}[status])
    return enrollment


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


def _next_queue_number(programme_id: int) -> int:
    """Number this arrival. The UPDATE also serializes every enrollment of the programme."""
    return db.session.execute(
        update(Programme).where(Programme.id == programme_id)
        .values(last_queue_number=Programme.last_queue_number + 1)
        .returning(Programme.last_queue_number)
        .execution_options(synchronize_session=False)
    ).scalar_one()


def _take_free_seat(programme_id: int, *, for_waiting_list: bool = False) -> bool:
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


def _release_seat(programme_id: int) -> None:
    db.session.execute(
        update(Programme).where(Programme.id == programme_id, Programme.seats_taken > 0)
        .values(seats_taken=Programme.seats_taken - 1)
        .execution_options(synchronize_session=False))


def _change_waiting(programme_id: int, delta: int) -> None:
    db.session.execute(
        update(Programme).where(Programme.id == programme_id)
        .values(waiting_count=Programme.waiting_count + delta)
        .execution_options(synchronize_session=False))


def seats_taken(programme_id: int) -> int:
    return db.session.scalar(select(Programme.seats_taken).where(Programme.id == programme_id))


# --- the waiting list ----------------------------------------------------------------------


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
        while _take_free_seat(programme_id, for_waiting_list=True):
            head = db.session.scalar(
                select(Enrollment).where(Enrollment.programme_id == programme_id,
                                         Enrollment.status == EnrollmentStatus.WAITLISTED)
                .order_by(Enrollment.queue_number).limit(1))
            if head is None:  # the counter was ahead of the rows: give the seat back
                _release_seat(programme_id)
                _change_waiting(programme_id, +1)
                _recount(programme_id)
                break
            head.status = EnrollmentStatus.OFFERED
            head.offer_expires_at = utcnow() + timedelta(hours=hours)
            db.session.flush()
            _tell(head, "offer")
            offered.append(head)
        return offered


def _recount(programme_id: int) -> None:
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


# --- the participant's own changes ---------------------------------------------------------


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
        _set_status(enrollment, status, EnrollmentStatus.CANCELLED)
        _release_seat(enrollment.programme_id)
        Waitlist.offer_free_seats(enrollment.programme_id)
    elif status == EnrollmentStatus.WAITLISTED:
        _set_status(enrollment, status, EnrollmentStatus.CANCELLED)
        _change_waiting(enrollment.programme_id, -1)
    elif status == EnrollmentStatus.APPLIED:
        _set_status(enrollment, status, EnrollmentStatus.CANCELLED)
    else:
        raise DomainError(_l("There is nothing to cancel."))


def accept_offer(enrollment: Enrollment) -> None:
    if enrollment.status != EnrollmentStatus.OFFERED:
        raise DomainError(_l("There is no seat offer to accept."))
    if enrollment.offer_expires_at and enrollment.offer_expires_at <= utcnow():
        raise DomainError(_l("This offer has expired."))
    _set_status(enrollment, EnrollmentStatus.OFFERED, EnrollmentStatus.CONFIRMED)
    enrollment.offer_expires_at = None
    _tell(enrollment, "confirmed")


def decline_offer(enrollment: Enrollment) -> None:
    if enrollment.status != EnrollmentStatus.OFFERED:
        raise DomainError(_l("There is no seat offer to decline."))
    _set_status(enrollment, EnrollmentStatus.OFFERED, EnrollmentStatus.DECLINED)
    _release_seat(enrollment.programme_id)
    Waitlist.offer_free_seats(enrollment.programme_id)


def _set_status(enrollment: Enrollment, expected: EnrollmentStatus,
                new: EnrollmentStatus) -> None:
    """Change the status only if nobody changed it meanwhile (two tabs, two instances)."""
    changed = db.session.execute(
        update(Enrollment).where(Enrollment.id == enrollment.id, Enrollment.status == expected)
        .values(status=new, updated_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        raise DomainError(_l("This registration changed meanwhile; please look again."))
    db.session.expire(enrollment, ["status", "updated_at"])


# --- coordinators' decisions ----------------------------------------------------------------


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
        if not _take_free_seat(enrollment.programme_id):
            raise DomainError(_l("No seat is free: put the application on the waiting list."))
        _set_status(enrollment, EnrollmentStatus.APPLIED, EnrollmentStatus.CONFIRMED)
        message = "accepted"
    elif decision == Decision.REJECT:
        _set_status(enrollment, EnrollmentStatus.APPLIED, EnrollmentStatus.REJECTED)
        message = "rejected"
    else:
        _set_status(enrollment, EnrollmentStatus.APPLIED, EnrollmentStatus.WAITLISTED)
        _change_waiting(enrollment.programme_id, +1)
        message = "waitlisted"
        Waitlist.offer_free_seats(enrollment.programme_id)
    enrollment.decided_at, enrollment.decided_by_id = utcnow(), actor.id
    if note:
        enrollment.internal_note = note.strip()
    db.session.flush()
    if enrollment.status != EnrollmentStatus.OFFERED:
        _tell(enrollment, message)


def set_note(enrollment: Enrollment, note: str) -> None:
    enrollment.internal_note = note.strip() or None
    db.session.flush()


def questions_of(programme: Programme) -> list[ApplicationQuestion]:
    return list(db.session.scalars(select(ApplicationQuestion).where(
        ApplicationQuestion.programme_id == programme.id).order_by(ApplicationQuestion.position,
                                                                   ApplicationQuestion.id)))


def add_question(programme: Programme, text: Mapping[str, str]) -> ApplicationQuestion:
    question = ApplicationQuestion(programme_id=programme.id, text=text,
                                   position=len(questions_of(programme)))
    db.session.add(question)
    db.session.flush()
    return question


# --- emails ----------------------------------------------------------------------------------


def _tell(enrollment: Enrollment, template: str) -> None:
    """Queue the email about this enrollment, in the participant's language."""
    user = db.session.get(User, enrollment.user_id)
    programme = db.session.get(Programme, enrollment.programme_id)
    attachments = ()
    if template == "reminder":  # the check-in QR code travels with the reminder
        attachments = (("check-in.png", "image/png", checkin.qr_image(enrollment, "png")),)
    outbox.enqueue(mail.render_mail(
        user.email, f"enrollment/email/{template}", user.preferred_language,
        user=user, programme=programme, enrollment=enrollment,
        programme_url=external_url("workshops.programme", slug=programme.slug),
        space_url=external_url("enrollment.my_space"),
        leave_url=external_url("enrollment.leave_waitlist", token=leave_token(enrollment)),
        position=Waitlist.position(enrollment), check_in_code=checkin.display_code(enrollment),
        forgot_password_url=external_url("auth.forgot_password"),
        attachments=attachments,
    ))


def leave_token(enrollment: Enrollment) -> str:
    from itsdangerous import URLSafeSerializer

    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="leave-waitlist").dumps(
        {"enrollment": enrollment.id, "queue": enrollment.queue_number})


def enrollment_from_leave_token(token: str) -> Enrollment:
    from itsdangerous import BadSignature, URLSafeSerializer

    try:
        data = URLSafeSerializer(current_app.config["SECRET_KEY"], salt="leave-waitlist").loads(
            token)
    except BadSignature as error:
        raise DomainError(_l("This link is not valid.")) from error
    enrollment = db.session.get(Enrollment, data.get("enrollment"))
    if enrollment is None or enrollment.queue_number != data.get("queue"):
        raise DomainError(_l("This link is not valid."))
    return enrollment


# --- lists for pages -------------------------------------------------------------------------


def enrollments_of(user: User) -> list[Enrollment]:
    return list(db.session.scalars(
        select(Enrollment).where(Enrollment.user_id == user.id)
        .order_by(Enrollment.created_at.desc())
        .options(selectinload(Enrollment.programme).selectinload(Programme.node))))


def status_counts(programme: Programme) -> dict[EnrollmentStatus, int]:
    return dict(db.session.execute(
        select(Enrollment.status, func.count()).where(Enrollment.programme_id == programme.id)
        .group_by(Enrollment.status)).all())


def confirmed_programme_ids(user: User) -> set[int]:
    return set(db.session.scalars(select(Enrollment.programme_id).where(
        Enrollment.user_id == user.id, Enrollment.status == EnrollmentStatus.CONFIRMED)))


def users_enrollments(user_ids: Iterable[int]) -> list[Enrollment]:
    return list(db.session.scalars(select(Enrollment).where(Enrollment.user_id.in_(user_ids))))


def invite(user: User, programme: Programme, actor: User) -> Enrollment:
    """A coordinator's invitation: a confirmed seat, and an email with a link to set a password."""
    queue_number = _next_queue_number(programme.id)
    if not _take_free_seat(programme.id):
        raise DomainError(_l("No seat is free."))
    enrollment = Enrollment(programme_id=programme.id, user_id=user.id, queue_number=queue_number,
                            status=EnrollmentStatus.CONFIRMED, invited=True,
                            decided_at=utcnow(), decided_by_id=actor.id)
    db.session.add(enrollment)
    db.session.flush()
    _tell(enrollment, "invited")
    return enrollment


def offer_seat(user: User, programme: Programme, actor: User) -> Enrollment:
    """A coordinator's invitation to someone who already has an account: a seat held for them
    (as a waiting-list offer is), which they accept or decline in their space."""
    queue_number = _next_queue_number(programme.id)
    if not _take_free_seat(programme.id):
        raise DomainError(_l("No seat is free."))
    enrollment = Enrollment(
        programme_id=programme.id, user_id=user.id, queue_number=queue_number,
        status=EnrollmentStatus.OFFERED, invited=True, decided_at=utcnow(), decided_by_id=actor.id,
        offer_expires_at=utcnow() + timedelta(hours=current_app.config["WAITLIST_OFFER_HOURS"]))
    db.session.add(enrollment)
    db.session.flush()
    _tell(enrollment, "offer")
    return enrollment


def leave_waitlist(enrollment: Enrollment) -> None:
    """What the link in the waiting-list email does: only ever leave the waiting list (the
    link outlives the waiting; a confirmed seat is cancelled from the signed-in space)."""
    if enrollment.status != EnrollmentStatus.WAITLISTED:
        raise DomainError(_l("You are no longer on the waiting list."))
    cancel(enrollment)


def force_cancel(enrollment: Enrollment) -> None:
    """Cancel whatever the deadline (the account is being deleted)."""
    status = enrollment.status
    _set_status(enrollment, status, EnrollmentStatus.CANCELLED)
    if status in SEAT_HOLDERS:
        _release_seat(enrollment.programme_id)
        Waitlist.offer_free_seats(enrollment.programme_id)
    elif status == EnrollmentStatus.WAITLISTED:
        _change_waiting(enrollment.programme_id, -1)


REMINDER_HOURS = 24
