"""Attendance marks per session and participant, and the history of every change."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import LabelledEnum, UTCDateTime, enum_column
from app.extensions import db
from app.timeutil import utcnow


class Mark(LabelledEnum):
    PRESENT = "present"
    LATE = "late"
    ABSENT = "absent"
    EXCUSED = "excused"


Mark.LABELS = {
    "present": _l("Present"),
    "late": _l("Late"),
    "absent": _l("Absent"),
    "excused": _l("Excused"),
}


class AttendanceMark(db.Model):
    """How one confirmed participant attended one session (at most one mark per pair)."""

    __tablename__ = "attendance_marks"
    __table_args__ = (UniqueConstraint("session_id", "enrollment_id"),
                      Index("ix_attendance_marks_enrollment_id", "enrollment_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id", ondelete="CASCADE"))
    mark: Mapped[Mark] = mapped_column(enum_column(Mark, "attendance_mark"))
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AttendanceChange(db.Model):
    """One change of a mark: who, when, from what to what, and how (roster or QR code)."""

    __tablename__ = "attendance_changes"
    __table_args__ = (Index("ix_attendance_changes_session_id", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id", ondelete="CASCADE"))
    from_mark: Mapped[Mark | None] = mapped_column(enum_column(Mark, "attendance_from_mark"))
    to_mark: Mapped[Mark] = mapped_column(enum_column(Mark, "attendance_to_mark"))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    method: Mapped[str] = mapped_column(String(16))

    changed_by = relationship("User")
