"""Taking attendance: rosters, QR check-in, corrections with history, rates and eligibility.

**What counts** (the rule shown to participants and coordinators): a session counts once it has
started, unless it was cancelled. *Present* and *late* count as attended; *excused* counts as
neither (the session leaves the total for that person); *absent*, and no mark at all, count as
not attended. The rate is attended / (sessions held - excused). A participant is eligible for a
certificate when, at the end, the rate reaches the programme's minimum.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import mail
from app.attendance import checkin
from app.attendance.models import AttendanceChange, AttendanceMark, Mark
from app.auth import services as accounts
from app.auth.models import User
from app.enrollment import changes as enrollment_changes
from app.enrollment import lists as enrollments
from app.enrollment import notices
from app.enrollment.models import Enrollment, EnrollmentStatus
from app.errors import DomainError
from app.extensions import db
from app.outbox import services as outbox
from app.timeutil import utcnow
from app.urls import external_url
from app.workshops.models import Programme, ProgrammeState, Session, SessionStatus
from app.workshops.timezones import day_bounds, utc_to_local

#: A code checks in from this long before a session starts until it ends.
CHECK_IN_OPENS_BEFORE = timedelta(minutes=30)
ATTENDED = frozenset({Mark.PRESENT, Mark.LATE})


# --- rules of time -----------------------------------------------------------------------------


def locked_after(programme: Programme) -> datetime:
    """Marks can change until the programme's last day ends plus the grace period."""
    _, end = day_bounds(programme.start_date, programme.end_date, programme.time_zone)
    return end + timedelta(days=current_app.config["ATTENDANCE_GRACE_DAYS"])


def _check_open_for_marks(session: Session, now: datetime) -> None:
    if session.is_cancelled:
        raise DomainError(_l("This session was cancelled."))
    if session.programme.state == ProgrammeState.CANCELLED:
        raise DomainError(_l("This programme was cancelled."))
    if now >= locked_after(session.programme):
        raise DomainError(_l("Attendance for this programme is closed: the correction period "
                             "has ended."))
    if now < session.starts_at - CHECK_IN_OPENS_BEFORE:
        raise DomainError(_l("This session has not started yet."))


# --- the roster -----------------------------------------------------------------------------------


def marks_of(session: Session) -> dict[int, Mark]:
    return dict(db.session.execute(select(AttendanceMark.enrollment_id, AttendanceMark.mark)
                                   .where(AttendanceMark.session_id == session.id)).all())


def record_marks(session: Session, marks: Mapping[int, Mark], actor: User, *,
                 method: str = "roster", now: datetime | None = None) -> int:
    """Set the marks of a whole roster at once. Sending the same roster again changes nothing;
    only real changes are written, each with its history entry. Returns how many changed."""
    now = now or utcnow()
    _check_open_for_marks(session, now)
    confirmed = {e.id for e in enrollments.confirmed(session.programme_id)}
    strangers = set(marks) - confirmed
    if strangers:
        raise DomainError(_l("Some people on this list are not confirmed participants of this "
                             "programme."))
    current = {m.enrollment_id: m for m in db.session.scalars(
        select(AttendanceMark).where(AttendanceMark.session_id == session.id))}
    changed = 0
    for enrollment_id, mark in marks.items():
        existing = current.get(enrollment_id)
        if existing is not None and existing.mark == mark:
            continue
        db.session.add(AttendanceChange(
            session_id=session.id, enrollment_id=enrollment_id,
            from_mark=existing.mark if existing else None, to_mark=mark,
            changed_by_id=actor.id, changed_at=now, method=method))
        if existing is None:
            db.session.add(AttendanceMark(session_id=session.id, enrollment_id=enrollment_id,
                                          mark=mark, marked_by_id=actor.id, marked_at=now))
        else:
            existing.mark, existing.marked_by_id, existing.marked_at = mark, actor.id, now
        changed += 1
    db.session.flush()
    if changed:
        warn_out_of_reach(session.programme, now)
        if session.programme.state == ProgrammeState.COMPLETED:  # a correction afterwards
            settle_completion(session.programme)
    return changed


# --- personal check-in codes ---------------------------------------------------------


def check_in(session: Session, code: str, actor: User, now: datetime | None = None) -> Enrollment:
    """Mark the holder of ``code`` present at ``session``, only while the session is under way."""
    now = now or utcnow()
    enrollment = checkin.enrollment_from(code)
    if enrollment.programme_id != session.programme_id:
        raise DomainError(_l("This code belongs to another programme."))
    if enrollment.status != EnrollmentStatus.CONFIRMED:
        raise DomainError(_l("This person is not a confirmed participant of this programme."))
    if session.is_cancelled:
        raise DomainError(_l("This session was cancelled."))
    if not session.starts_at - CHECK_IN_OPENS_BEFORE <= now <= session.ends_at:
        raise DomainError(_l("Codes only check in to the session under way."))
    _check_open_for_marks(session, now)
    existing = marks_of(session).get(enrollment.id)
    if existing in ATTENDED:
        raise DomainError(_l("Already checked in to this session."))
    record_marks(session, {enrollment.id: Mark.PRESENT}, actor, method="qr", now=now)
    return enrollment


# --- rates -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceSummary:
    attended: int
    excused: int
    held: int  # sessions that have started, not cancelled
    total: int  # all sessions, not cancelled
    minimum: int  # percent

    @property
    def rate(self) -> float | None:
        counted = self.held - self.excused
        return self.attended / counted if counted > 0 else None

    @property
    def best_possible(self) -> float | None:
        counted = self.total - self.excused
        return (self.attended + (self.total - self.held)) / counted if counted > 0 else None

    @property
    def reachable(self) -> bool:
        best = self.best_possible
        return best is None or best * 100 >= self.minimum

    @property
    def eligible(self) -> bool:
        """At the end of the programme: the rate reaches the minimum."""
        return self.held == self.total and self.rate is not None and \
            self.rate * 100 >= self.minimum


def programme_attendance(programme: Programme, now: datetime | None = None,
                         enrollment_ids: set[int] | None = None) -> dict[int, AttendanceSummary]:
    """Each confirmed enrollment's summary (or only ``enrollment_ids``'), in a fixed number of
    queries and one pass over the marks."""
    now = now or utcnow()
    sessions = {s.id for s in programme.sessions if s.status == SessionStatus.SCHEDULED}
    finished = programme.state == ProgrammeState.COMPLETED  # every session counts as held
    held = sum(1 for s in programme.sessions
               if s.id in sessions and (finished or s.starts_at <= now))
    if enrollment_ids is None:
        enrollment_ids = enrollments.confirmed_ids(programme.id)
    counts = {eid: [0, 0] for eid in enrollment_ids}  # attended, excused
    for enrollment_id, session_id, mark in db.session.execute(
            select(AttendanceMark.enrollment_id, AttendanceMark.session_id, AttendanceMark.mark)
            .where(AttendanceMark.enrollment_id.in_(enrollment_ids))):
        if session_id in sessions:
            counts[enrollment_id][0] += mark in ATTENDED
            counts[enrollment_id][1] += mark == Mark.EXCUSED
    return {eid: AttendanceSummary(attended=attended, excused=excused, held=held,
                                   total=len(sessions), minimum=programme.min_attendance_percent)
            for eid, (attended, excused) in counts.items()}


def settle_completion(programme: Programme, **_event) -> None:
    """``programme_completed`` (and a correction afterwards): record on each confirmed
    enrollment whether it reached the minimum, as certificates judge it."""
    enrollment_changes.record_attendance_outcome(
        {enrollment_id: summary.eligible
         for enrollment_id, summary in programme_attendance(programme).items()})


def summary_of(enrollment: Enrollment, now: datetime | None = None) -> AttendanceSummary | None:
    """One participant's summary (their marks only)."""
    return programme_attendance(enrollment.programme, now, {enrollment.id}).get(enrollment.id)


def warn_out_of_reach(programme: Programme, now: datetime | None = None) -> int:
    """Tell participants (and the coordinators) once, when even perfect attendance at the
    remaining sessions can no longer reach the minimum. Claimed by a conditional UPDATE."""
    warned = 0
    for enrollment_id, summary in programme_attendance(programme, now).items():
        if summary.reachable:
            continue
        if notices.claim_out_of_reach_warning(enrollment_id, now or utcnow()):
            _warn(db.session.get(Enrollment, enrollment_id), summary)
            warned += 1
    return warned


def _warn(enrollment: Enrollment, summary: AttendanceSummary) -> None:
    user = db.session.get(User, enrollment.user_id)
    programme = enrollment.programme
    context = {"programme": programme, "summary": summary, "participant": user,
               "programme_url": external_url("workshops.programme", slug=programme.slug)}
    outbox.enqueue(mail.render_mail(user.email, "attendance/email/out_of_reach",
                                    user.preferred_language, user=user, **context))
    for coordinator in accounts.coordinators_of(programme.dataspace_id):
        outbox.enqueue(mail.render_mail(coordinator.email, "attendance/email/out_of_reach_staff",
                                        coordinator.preferred_language, user=coordinator,
                                        **context))


def history(programme: Programme) -> list[AttendanceChange]:
    return list(db.session.scalars(
        select(AttendanceChange).join(Session, Session.id == AttendanceChange.session_id)
        .where(Session.programme_id == programme.id)
        .order_by(AttendanceChange.changed_at.desc(), AttendanceChange.id.desc()).limit(500)
        .options(selectinload(AttendanceChange.changed_by))))


def programme_marks(programme: Programme) -> dict[tuple[int, int], Mark]:
    """Every mark of the programme, by (enrollment id, session id), in one query."""
    return {(eid, sid): mark for eid, sid, mark in db.session.execute(
        select(AttendanceMark.enrollment_id, AttendanceMark.session_id, AttendanceMark.mark)
        .join(Session, Session.id == AttendanceMark.session_id)
        .where(Session.programme_id == programme.id)).all()}


def sheet(programme: Programme) -> tuple[list[str], list[list]]:
    """The attendance sheet: one row per confirmed participant, one column per session."""
    sessions = [s for s in programme.sessions if s.status == SessionStatus.SCHEDULED]
    marks = programme_marks(programme)
    summaries = programme_attendance(programme)
    header = [_l("Name on certificate"), _l("Email"), *[
        f"{utc_to_local(s.starts_at, programme.time_zone):%Y-%m-%d %H:%M} "
        f"{s.title.get_text()}" for s in sessions], _l("Attendance rate")]
    rows = []
    for enrollment in enrollments.confirmed(programme.id):
        rate = summaries[enrollment.id].rate
        rows.append([
            enrollment.participant_name,
            enrollment.user.email,
            *[marks[(enrollment.id, s.id)].label if (enrollment.id, s.id) in marks else ""
              for s in sessions],
            f"{rate:.0%}" if rate is not None else "",
        ])
    return [str(h) for h in header], rows
