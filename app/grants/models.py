"""Grants: who funds what, for which Data Spaces and period, and the targets they set."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Numeric,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import LabelledEnum, TimestampMixin, enum_column
from app.extensions import db
from app.multilingual import MultilingualColumn, MultilingualText


class GrantRole(LabelledEnum):
    FUNDER = "funder"
    IMPLEMENTING = "implementing"


GrantRole.LABELS = {"funder": _l("Funder"), "implementing": _l("Implementing partner")}


class TargetMeasure(LabelledEnum):
    PROGRAMMES = "programmes"
    COUNTRIES = "countries"
    PARTICIPANTS = "participants"
    CERTIFICATES = "certificates"
    WOMEN_SHARE = "women-share"
    LANGUAGES = "languages"
    DELIVERABLE = "deliverable"


TargetMeasure.LABELS = {
    "programmes": _l("Programmes held"),
    "countries": _l("Countries reached"),
    "participants": _l("People trained"),
    "certificates": _l("Certificates issued"),
    "women-share": _l("Share of women among people trained (%)"),
    "languages": _l("Programmes taught in these languages"),
    "deliverable": _l("Named deliverable"),
}


class TargetBound(LabelledEnum):
    AT_LEAST = "at-least"
    UP_TO = "up-to"


TargetBound.LABELS = {"at-least": _l("at least"), "up-to": _l("up to")}


class DeliverableStatus(LabelledEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in-progress"
    DELIVERED = "delivered"


DeliverableStatus.LABELS = {
    "planned": _l("Planned"),
    "in-progress": _l("In progress"),
    "delivered": _l("Delivered"),
}

grant_dataspaces = Table(
    "grant_dataspaces",
    db.metadata,
    Column("grant_id", ForeignKey("grants.id", ondelete="CASCADE"), primary_key=True),
    Column("dataspace_id", ForeignKey("dataspaces.id", ondelete="CASCADE"), primary_key=True),
)

#: The programmes a grant funds (what its targets count).
grant_programmes = Table(
    "grant_programmes",
    db.metadata,
    Column("grant_id", ForeignKey("grants.id", ondelete="CASCADE"), primary_key=True),
    Column("programme_id", ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)


#: The knowledge modules a grant funds (the content of a platform deliverable).
grant_modules = Table(
    "grant_modules",
    db.metadata,
    Column("grant_id", ForeignKey("grants.id", ondelete="CASCADE"), primary_key=True),
    Column("module_id", ForeignKey("modules.id", ondelete="CASCADE"), primary_key=True),
)


class Grant(TimestampMixin, db.Model):
    """A grant: its funders and partners, the Data Spaces it covers, its period and targets."""

    __tablename__ = "grants"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="grant_period_in_order"),
        CheckConstraint("amount IS NULL OR amount >= 0", name="grant_amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[MultilingualText] = mapped_column(MultilingualColumn())
    description: Mapped[MultilingualText] = mapped_column(MultilingualColumn(), default=dict)
    reference: Mapped[str | None] = mapped_column(String(100))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    #: Its progress page (aggregates only) is public: for funders and anyone.
    public: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    partners: Mapped[list[GrantPartner]] = relationship(
        back_populates="grant", cascade="all, delete-orphan", order_by="GrantPartner.id")
    targets: Mapped[list[GrantTarget]] = relationship(
        back_populates="grant", cascade="all, delete-orphan",
        order_by="(GrantTarget.position, GrantTarget.id)")
    dataspaces = relationship("DataSpace", secondary=grant_dataspaces, order_by="DataSpace.slug")
    programmes = relationship("Programme", secondary=grant_programmes,
                              order_by="(Programme.start_date, Programme.id)")
    modules = relationship("Module", secondary=grant_modules, order_by="Module.slug")

    @property
    def dataspace_ids(self) -> set[int]:
        return {space.id for space in self.dataspaces}

    def institutions(self, role: GrantRole) -> list:
        return [partner.institution for partner in self.partners if partner.role == role]


class GrantPartner(db.Model):
    """An institution in a grant: a funder or an implementing partner."""

    __tablename__ = "grant_partners"
    __table_args__ = (UniqueConstraint("grant_id", "institution_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grants.id", ondelete="CASCADE"))
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id", ondelete="CASCADE"))
    role: Mapped[GrantRole] = mapped_column(enum_column(GrantRole, "grant_role"))

    grant: Mapped[Grant] = relationship(back_populates="partners")
    institution = relationship("Institution")


class GrantTarget(db.Model):
    """What a grant promises: "at least 200 people trained", "up to 10 workshops", a named
    deliverable. ``value`` is a count, or a percentage for the share of women."""

    __tablename__ = "grant_targets"
    __table_args__ = (CheckConstraint("value >= 0", name="target_value_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grants.id", ondelete="CASCADE"), index=True)
    measure: Mapped[TargetMeasure] = mapped_column(enum_column(TargetMeasure, "target_measure"))
    bound: Mapped[TargetBound] = mapped_column(enum_column(TargetBound, "target_bound"))
    value: Mapped[int] = mapped_column(default=0)
    #: Programmes targets may count one kind only (a ProgrammeKind value).
    programme_kind: Mapped[str | None] = mapped_column(String(32))
    #: Language targets: the codes every counted programme is taught in ("en,es").
    languages_csv: Mapped[str | None] = mapped_column(String(40))
    #: A deliverable's name (or a note on any target).
    label: Mapped[MultilingualText] = mapped_column(MultilingualColumn(), default=dict)
    status: Mapped[DeliverableStatus | None] = mapped_column(
        enum_column(DeliverableStatus, "deliverable_status"))
    position: Mapped[int] = mapped_column(default=0)

    grant: Mapped[Grant] = relationship(back_populates="targets")

    @property
    def languages(self) -> list[str]:
        return [code for code in (self.languages_csv or "").split(",") if code]
