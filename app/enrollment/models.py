"""Participants' profiles, their enrollments in programmes, and application questions."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import LabelledEnum, TimestampMixin, UTCDateTime, enum_column
from app.extensions import db
from app.multilingual import MultilingualColumn, MultilingualText


class Sector(LabelledEnum):
    STATISTICS_OFFICE = "statistics-office"
    GOVERNMENT = "government"
    NGO = "ngo"
    ACADEMIA = "academia"
    PRIVATE = "private-sector"
    INTERNATIONAL = "international-organization"
    OTHER = "other"


Sector.LABELS = {
    "statistics-office": _l("Statistics office"),
    "government": _l("Government"),
    "ngo": _l("NGO"),
    "academia": _l("Academia"),
    "private-sector": _l("Private sector"),
    "international-organization": _l("International organization"),
    "other": _l("Other"),
}


class Gender(LabelledEnum):
    WOMAN = "woman"
    MAN = "man"
    NON_BINARY = "non-binary"
    SELF_DESCRIBED = "self-described"
    UNDISCLOSED = "undisclosed"


Gender.LABELS = {
    "woman": _l("Woman"),
    "man": _l("Man"),
    "non-binary": _l("Non-binary"),
    "self-described": _l("I describe myself as…"),
    "undisclosed": _l("I prefer not to say"),
}


class ParticipantProfile(TimestampMixin, db.Model):
    """What a participant tells us about themselves (one per account)."""

    __tablename__ = "participant_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    given_name: Mapped[str] = mapped_column(String(120))
    #: Optional: many people have a single name.
    family_name: Mapped[str | None] = mapped_column(String(120))
    #: The name exactly as it should appear on a certificate, in any script.
    certificate_name: Mapped[str] = mapped_column(String(200))
    organization: Mapped[str | None] = mapped_column(String(200))
    sector: Mapped[Sector] = mapped_column(enum_column(Sector, "sector"))
    country_code: Mapped[str] = mapped_column(String(2))
    gender: Mapped[Gender | None] = mapped_column(enum_column(Gender, "gender"))
    gender_self_described: Mapped[str | None] = mapped_column(String(100))
    accessibility_needs: Mapped[str | None] = mapped_column(Text)
    #: When and to which version of the privacy notice they consented; empty for people a
    #: coordinator invited, until they consent themselves.
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    consent_policy_version: Mapped[str | None] = mapped_column(String(20))

    user = relationship("User", backref=db.backref("profile", uselist=False, lazy="select"))


#: Letters that cannot be confused when read aloud or typed (no 0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_checkin_code() -> str:
    """``"K7M2QX9P"``: 8 characters, about 40 random bits, shown as ``K7M2-QX9P``."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


class EnrollmentStatus(LabelledEnum):
    APPLIED = "applied"  # waiting for the coordinators' decision
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    OFFERED = "offered"  # a freed seat is held for them until the offer expires
    REJECTED = "rejected"
    CANCELLED = "cancelled"  # by the participant (or their account was deleted)
    DECLINED = "declined"  # an offer they declined or let expire


EnrollmentStatus.LABELS = {
    "applied": _l("Application under review"),
    "confirmed": _l("Confirmed"),
    "waitlisted": _l("On the waiting list"),
    "offered": _l("Seat offered"),
    "rejected": _l("Not accepted"),
    "cancelled": _l("Cancelled"),
    "declined": _l("Offer declined"),
}

#: Statuses that hold a seat.
SEAT_HOLDERS = frozenset({EnrollmentStatus.CONFIRMED, EnrollmentStatus.OFFERED})


class Enrollment(TimestampMixin, db.Model):
    """A person's place in (or request for) a programme: at most one per person and programme."""

    __tablename__ = "enrollments"
    __table_args__ = (
        UniqueConstraint("programme_id", "user_id"),
        UniqueConstraint("programme_id", "queue_number"),
        Index("ix_enrollments_programme_id_status", "programme_id", "status"),
        Index("ix_enrollments_user_id", "user_id"),
        Index("ix_enrollments_status_offer_expires_at", "status", "offer_expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[EnrollmentStatus] = mapped_column(
        enum_column(EnrollmentStatus, "enrollment_status")
    )
    #: Arrival order in this programme, handed out by the programme row itself.
    queue_number: Mapped[int]
    motivation: Mapped[str | None] = mapped_column(Text)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    internal_note: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    offer_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    invited: Mapped[bool] = mapped_column(default=False)
    #: The participant's personal check-in code, short enough to type (see app.attendance).
    checkin_code: Mapped[str] = mapped_column(String(12), unique=True, default=new_checkin_code)
    #: When the participant and coordinators were told the minimum attendance is out of reach.
    out_of_reach_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Whether the participant reached the programme's minimum attendance: settled by
    #: attendance when the programme completes (and again on a later correction); ``None``
    #: before. Reports count completions from it instead of every mark.
    reached_minimum: Mapped[bool | None] = mapped_column(Boolean)

    programme = relationship("Programme")
    user = relationship("User", foreign_keys=[user_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    @property
    def holds_seat(self) -> bool:
        return self.status in SEAT_HOLDERS

    @property
    def participant_name(self) -> str:
        """The name shown and printed for the participant: the one their profile gives for
        certificates, else their account's."""
        profile = self.user.profile
        return profile.certificate_name if profile else self.user.display_name


class ApplicationQuestion(db.Model):
    """A question applicants to a programme answer (by-application programmes)."""

    __tablename__ = "application_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[MultilingualText] = mapped_column(MultilingualColumn())
    position: Mapped[int] = mapped_column(default=0)
