"""Expressions of interest and the coordinators' notes on them."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import LabelledEnum, TimestampMixin, UTCDateTime, enum_column
from app.dataspaces.models import DataSpace, Institution, InstitutionKind
from app.extensions import db
from app.timeutil import utcnow


class InterestOffer(LabelledEnum):
    """What an institution offers or asks for (several at once)."""

    JOIN = "join"
    HOST = "host"
    CO_TEACH = "co-teach"
    FUND = "fund"
    DATA = "data"
    JOINT_PROJECT = "joint-project"


InterestOffer.LABELS = {
    "join": _l("Join as a partner"),
    "host": _l("Host or co-organise a programme"),
    "co-teach": _l("Co-teach"),
    "fund": _l("Fund or sponsor"),
    "data": _l("Provide data or in-kind resources"),
    "joint-project": _l("A joint project with another Data Space"),
}


class InterestStatus(LabelledEnum):
    NEW = "new"
    IN_CONVERSATION = "in-conversation"
    AGREED = "agreed"
    DECLINED = "declined"


InterestStatus.LABELS = {
    "new": _l("New"),
    "in-conversation": _l("In conversation"),
    "agreed": _l("Agreed"),
    "declined": _l("Declined"),
}

#: The moves of the pipeline; an interest that became a partnership moves no more.
NEXT_STATUSES = {
    InterestStatus.NEW: (InterestStatus.IN_CONVERSATION, InterestStatus.AGREED,
                         InterestStatus.DECLINED),
    InterestStatus.IN_CONVERSATION: (InterestStatus.AGREED, InterestStatus.DECLINED),
    InterestStatus.AGREED: (InterestStatus.IN_CONVERSATION, InterestStatus.DECLINED),
    InterestStatus.DECLINED: (InterestStatus.IN_CONVERSATION,),
}

#: Statuses whose interests are still being worked on (reminders concern these).
OPEN_STATUSES = (InterestStatus.NEW, InterestStatus.IN_CONVERSATION, InterestStatus.AGREED)


class Interest(TimestampMixin, db.Model):
    """An institution's expression of interest, addressed to a Data Space (or, without one, to
    the network's coordination)."""

    __tablename__ = "interests"
    __table_args__ = (Index("ix_interests_dataspace_status", "dataspace_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataspace_id: Mapped[int | None] = mapped_column(
        ForeignKey("dataspaces.id", ondelete="CASCADE"))
    #: For a joint project: the other Data Space the institution wants to work with.
    partner_dataspace_id: Mapped[int | None] = mapped_column(
        ForeignKey("dataspaces.id", ondelete="SET NULL"))
    #: Set when another Data Space passed it on to this one.
    passed_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("dataspaces.id", ondelete="SET NULL"))
    organisation_name: Mapped[str] = mapped_column(String(200))
    organisation_kind: Mapped[InstitutionKind] = mapped_column(
        enum_column(InstitutionKind, "institution_kind"))
    country_code: Mapped[str | None] = mapped_column(String(2))
    website: Mapped[str | None] = mapped_column(String(300))
    # The contact data: erased when the interest lapses or its submitter asks.
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_role: Mapped[str | None] = mapped_column(String(120))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    message: Mapped[str | None] = mapped_column(Text)
    offers: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: The language the form was filled in: the submitter's emails are written in it.
    language: Mapped[str] = mapped_column(String(8))
    consented_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[InterestStatus] = mapped_column(
        enum_column(InterestStatus, "interest_status"), default=InterestStatus.NEW)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Any triage step (status, assignment, note, hand-over) moves it; reminders and the
    #: retention period count from it.
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    institution_id: Mapped[int | None] = mapped_column(
        ForeignKey("institutions.id", ondelete="SET NULL"))
    converted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    dataspace: Mapped[DataSpace | None] = relationship(foreign_keys=[dataspace_id])
    partner_dataspace: Mapped[DataSpace | None] = relationship(
        foreign_keys=[partner_dataspace_id])
    passed_from: Mapped[DataSpace | None] = relationship(foreign_keys=[passed_from_id])
    assignee = relationship("User", foreign_keys=[assignee_id])
    institution: Mapped[Institution | None] = relationship()
    notes: Mapped[list[InterestNote]] = relationship(
        back_populates="interest", cascade="all, delete-orphan",
        order_by="InterestNote.created_at")

    @property
    def offer_labels(self) -> list[str]:
        return [InterestOffer(value).label for value in self.offers]

    @property
    def converted(self) -> bool:
        return self.converted_at is not None


class InterestNote(db.Model):
    """A coordinator's internal note on an interest: never shown to the submitter."""

    __tablename__ = "interest_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    interest_id: Mapped[int] = mapped_column(ForeignKey("interests.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    interest: Mapped[Interest] = relationship(back_populates="notes")
    author = relationship("User", foreign_keys=[author_id])
