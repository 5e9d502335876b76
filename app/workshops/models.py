"""Programmes (workshops, seasonal and summer schools), their sessions and their lifecycle."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import LabelledEnum, TimestampMixin, UTCDateTime, enum_column
from app.extensions import db
from app.multilingual import MultilingualColumn, MultilingualText
from app.timeutil import utcnow


class ProgrammeKind(LabelledEnum):
    WORKSHOP = "workshop"
    SEASONAL_SCHOOL = "seasonal-school"
    SUMMER_SCHOOL = "summer-school"


ProgrammeKind.LABELS = {
    "workshop": _l("Workshop"),
    "seasonal-school": _l("Seasonal school"),
    "summer-school": _l("Summer school"),
}


class DeliveryMode(LabelledEnum):
    IN_PERSON = "in-person"
    ONLINE = "online"
    HYBRID = "hybrid"


DeliveryMode.LABELS = {"in-person": _l("In person"), "online": _l("Online"), "hybrid": _l("Hybrid")}


class EnrollmentMode(LabelledEnum):
    OPEN = "open"
    APPLICATION = "application"


EnrollmentMode.LABELS = {
    "open": _l("Open (first come, first served)"),
    "application": _l("By application"),
}


class ProgrammeState(LabelledEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    REGISTRATION_OPEN = "registration-open"
    REGISTRATION_CLOSED = "registration-closed"
    IN_PROGRESS = "in-progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


ProgrammeState.LABELS = {
    "draft": _l("Draft"),
    "published": _l("Published"),
    "registration-open": _l("Registration open"),
    "registration-closed": _l("Registration closed"),
    "in-progress": _l("In progress"),
    "completed": _l("Completed"),
    "cancelled": _l("Cancelled"),
}

#: The lifecycle: each state and the states it may move to.
TRANSITIONS: dict[ProgrammeState, frozenset[ProgrammeState]] = {
    ProgrammeState.DRAFT: frozenset({ProgrammeState.PUBLISHED}),
    ProgrammeState.PUBLISHED: frozenset({ProgrammeState.REGISTRATION_OPEN}),
    ProgrammeState.REGISTRATION_OPEN: frozenset({ProgrammeState.REGISTRATION_CLOSED}),
    ProgrammeState.REGISTRATION_CLOSED: frozenset({ProgrammeState.IN_PROGRESS}),
    ProgrammeState.IN_PROGRESS: frozenset({ProgrammeState.COMPLETED}),
    ProgrammeState.COMPLETED: frozenset(),
    ProgrammeState.CANCELLED: frozenset(),
}
# Cancelled is reachable from every state before completed.
for _state in TRANSITIONS:
    if _state not in (ProgrammeState.COMPLETED, ProgrammeState.CANCELLED):
        TRANSITIONS[_state] = TRANSITIONS[_state] | {ProgrammeState.CANCELLED}

#: States in which the public can see a programme.
PUBLIC_STATES = frozenset(TRANSITIONS) - {ProgrammeState.DRAFT}


programme_instructors = Table(
    "programme_instructors",
    db.metadata,
    Column("programme_id", ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)

session_instructors = Table(
    "session_instructors",
    db.metadata,
    Column("session_id", ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_session_instructors_user_id", "user_id"),
)


#: Other Data Spaces that organise a programme with the one holding it.
programme_co_organisers = Table(
    "programme_co_organisers",
    db.metadata,
    Column("programme_id", ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True),
    Column("dataspace_id", ForeignKey("dataspaces.id", ondelete="CASCADE"), primary_key=True),
)


class Programme(TimestampMixin, db.Model):
    """A workshop, seasonal school or summer school, held by a Data Space in one of its cities."""

    __tablename__ = "programmes"
    __table_args__ = (
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint(
            "seats_taken >= 0 AND seats_taken <= capacity", name="seats_within_capacity"
        ),
        CheckConstraint("waiting_count >= 0", name="waiting_not_negative"),
        CheckConstraint("end_date >= start_date", name="dates_in_order"),
        CheckConstraint(
            "min_attendance_percent BETWEEN 0 AND 100", name="min_attendance_is_a_percentage"
        ),
        Index("ix_programmes_state_start_date", "state", "start_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[ProgrammeKind] = mapped_column(enum_column(ProgrammeKind, "programme_kind"))
    dataspace_id: Mapped[int] = mapped_column(ForeignKey("dataspaces.id"), index=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("nodes.id"))
    host_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id", ondelete="SET NULL"))
    title: Mapped[MultilingualText] = mapped_column(MultilingualColumn())
    summary: Mapped[MultilingualText] = mapped_column(MultilingualColumn(), default=dict)
    #: Languages of instruction, comma-separated codes in order ("en,es").
    languages_csv: Mapped[str] = mapped_column(String(40))
    delivery_mode: Mapped[DeliveryMode] = mapped_column(enum_column(DeliveryMode, "delivery_mode"))
    meeting_url: Mapped[str | None] = mapped_column(String(500))
    venue: Mapped[str | None] = mapped_column(String(300))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    time_zone: Mapped[str] = mapped_column(String(64))
    capacity: Mapped[int]
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    enrollment_mode: Mapped[EnrollmentMode] = mapped_column(
        enum_column(EnrollmentMode, "enrollment_mode"), default=EnrollmentMode.OPEN
    )
    min_attendance_percent: Mapped[int] = mapped_column(default=80)
    curriculum_id: Mapped[int | None] = mapped_column(
        ForeignKey("curricula.id", ondelete="SET NULL")
    )
    state: Mapped[ProgrammeState] = mapped_column(
        enum_column(ProgrammeState, "programme_state"), default=ProgrammeState.DRAFT
    )
    #: Counters kept by conditional UPDATEs (enrollment): seats held (confirmed and offered),
    #: people waiting, and the last arrival number handed out. Never written from a loaded value.
    seats_taken: Mapped[int] = mapped_column(default=0, server_default="0")
    waiting_count: Mapped[int] = mapped_column(default=0, server_default="0")
    last_queue_number: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Participants may cancel until this many hours before the programme starts.
    cancellation_deadline_hours: Mapped[int] = mapped_column(default=48, server_default="48")

    dataspace = relationship("DataSpace")
    node = relationship("Node")
    host = relationship("Institution")
    curriculum = relationship("Curriculum")
    instructors = relationship(
        "User", secondary=programme_instructors, order_by="User.display_name"
    )
    co_organisers = relationship("DataSpace", secondary=programme_co_organisers,
                                 order_by="DataSpace.slug")
    funders: Mapped[list[ProgrammeFunder]] = relationship(
        back_populates="programme", cascade="all, delete-orphan", order_by="ProgrammeFunder.id"
    )
    sessions: Mapped[list[Session]] = relationship(
        back_populates="programme",
        cascade="all, delete-orphan",
        order_by="(Session.starts_at, Session.id)",
    )
    transitions: Mapped[list[StateTransition]] = relationship(
        back_populates="programme",
        cascade="all, delete-orphan",
        order_by="StateTransition.id",
    )

    @property
    def languages(self) -> list[str]:
        return [code for code in self.languages_csv.split(",") if code]

    @property
    def instructor_ids(self) -> set[int]:
        return {user.id for user in self.instructors}

    @property
    def is_public(self) -> bool:
        return self.state in PUBLIC_STATES

    @property
    def allowed_transitions(self) -> list[ProgrammeState]:
        return [state for state in ProgrammeState if state in TRANSITIONS[self.state]]


class ProgrammeFunder(db.Model):
    """An institution funding a programme, optionally under a named grant."""

    __tablename__ = "programme_funders"
    __table_args__ = (UniqueConstraint("programme_id", "institution_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id", ondelete="CASCADE"))
    grant: Mapped[str | None] = mapped_column(String(200))

    programme: Mapped[Programme] = relationship(back_populates="funders")
    institution = relationship("Institution")


class StateTransition(db.Model):
    """A recorded move of a programme from one state to another (actor None: the scheduler)."""

    __tablename__ = "programme_transitions"
    __table_args__ = (Index("ix_programme_transitions_programme_id", "programme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    from_state: Mapped[ProgrammeState] = mapped_column(enum_column(ProgrammeState, "from_state"))
    to_state: Mapped[ProgrammeState] = mapped_column(enum_column(ProgrammeState, "to_state"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    programme: Mapped[Programme] = relationship(back_populates="transitions")
    actor = relationship("User")


class SessionStatus(LabelledEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


SessionStatus.LABELS = {"scheduled": _l("Scheduled"), "cancelled": _l("Cancelled")}


class Session(TimestampMixin, db.Model):
    """One teaching slot of a programme, stored in UTC."""

    __tablename__ = "sessions"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_sessions_starts_at_ends_at", "starts_at", "ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    #: Stable identity in calendars (the iCalendar UID), never reused.
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid.uuid4()))
    title: Mapped[MultilingualText] = mapped_column(MultilingualColumn())
    module_id: Mapped[int | None] = mapped_column(ForeignKey("modules.id", ondelete="SET NULL"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    room: Mapped[str | None] = mapped_column(String(120))
    materials: Mapped[str | None] = mapped_column(Text)
    status: Mapped[SessionStatus] = mapped_column(
        enum_column(SessionStatus, "session_status"), default=SessionStatus.SCHEDULED
    )
    #: Raised at each change, so calendar programs replace their copy (iCalendar SEQUENCE).
    sequence: Mapped[int] = mapped_column(default=0)

    programme: Mapped[Programme] = relationship(back_populates="sessions")
    module = relationship("Module")
    instructors = relationship("User", secondary=session_instructors, order_by="User.display_name")

    @property
    def instructor_ids(self) -> set[int]:
        return {user.id for user in self.instructors}

    @property
    def dataspace_id(self) -> int:
        return self.programme.dataspace_id

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED


class CalendarFeed(db.Model):
    """A person's private calendar address; revoking it makes a new secret."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    #: SHA-256 of the secret in the address; the secret itself is only ever shown to its owner.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
