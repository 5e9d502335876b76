"""The network's Data Spaces, their city nodes, institutions, partners and teams."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import LabelledEnum, TimestampMixin, enum_column
from app.extensions import db
from app.multilingual import MultilingualColumn, MultilingualText


class Region(LabelledEnum):
    LATIN_AMERICA = "latin-america"
    WEST_AFRICA = "west-africa"
    EAST_SOUTH_AFRICA = "east-south-africa"
    EAST_ASIA_PACIFIC = "east-asia-pacific"
    WESTERN_EUROPE = "western-europe"
    MENA = "mena"
    NORTH_AMERICA = "north-america"


Region.LABELS = {
    "latin-america": _l("Latin America"),
    "west-africa": _l("West Africa"),
    "east-south-africa": _l("East and South Africa"),
    "east-asia-pacific": _l("East Asia and Pacific"),
    "western-europe": _l("Western Europe"),
    "mena": _l("Middle East and North Africa"),
    "north-america": _l("North America"),
}


class DataSpaceStatus(LabelledEnum):
    PLANNED = "planned"
    ACTIVE = "active"


DataSpaceStatus.LABELS = {"planned": _l("Planned"), "active": _l("Active")}


class InstitutionKind(LabelledEnum):
    UNIVERSITY = "university"
    RESEARCH_CENTRE = "research-centre"
    STATISTICS_OFFICE = "statistics-office"
    GOVERNMENT = "government"
    NGO = "ngo"
    INTERNATIONAL = "international-organization"
    FOUNDATION = "foundation"
    COMPANY = "company"
    OTHER = "other"


InstitutionKind.LABELS = {
    "university": _l("University"),
    "research-centre": _l("Research centre"),
    "statistics-office": _l("Statistics office"),
    "government": _l("Government agency"),
    "ngo": _l("NGO"),
    "international-organization": _l("International organization"),
    "foundation": _l("Foundation"),
    "company": _l("Company"),
    "other": _l("Other"),
}


class PartnerRole(LabelledEnum):
    HOST = "host"
    FUNDER = "funder"
    IMPLEMENTING = "implementing"
    DATA_PROVIDER = "data-provider"
    ACADEMIC = "academic"


PartnerRole.LABELS = {
    "host": _l("Host"),
    "funder": _l("Funder"),
    "implementing": _l("Implementing partner"),
    "data-provider": _l("Data provider"),
    "academic": _l("Academic partner"),
}


class DataSpace(TimestampMixin, db.Model):
    """A regional collective of institutions, coordinated from its anchor node."""

    __tablename__ = "dataspaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    region: Mapped[Region] = mapped_column(enum_column(Region, "region"))
    name: Mapped[MultilingualText] = mapped_column(MultilingualColumn())
    description: Mapped[MultilingualText] = mapped_column(MultilingualColumn(), default=dict)
    status: Mapped[DataSpaceStatus] = mapped_column(
        enum_column(DataSpaceStatus, "dataspace_status"), default=DataSpaceStatus.PLANNED
    )

    nodes: Mapped[list[Node]] = relationship(
        back_populates="dataspace", order_by="(Node.is_anchor.desc(), Node.position, Node.id)"
    )
    partnerships: Mapped[list[Partnership]] = relationship(
        back_populates="dataspace", cascade="all, delete-orphan", order_by="Partnership.id"
    )
    team: Mapped[list[TeamMembership]] = relationship(
        back_populates="dataspace", cascade="all, delete-orphan", order_by="TeamMembership.id"
    )

    @property
    def anchor(self) -> Node | None:
        return next((node for node in self.nodes if node.is_anchor), None)


class Institution(TimestampMixin, db.Model):
    """A university, statistics office, NGO… that hosts a node or partners with a Data Space."""

    __tablename__ = "institutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[MultilingualText] = mapped_column(MultilingualColumn())
    kind: Mapped[InstitutionKind] = mapped_column(enum_column(InstitutionKind, "institution_kind"))
    country_code: Mapped[str | None] = mapped_column(String(2))
    website: Mapped[str | None] = mapped_column(String(300))


class Node(TimestampMixin, db.Model):
    """A city where a Data Space has a coordination team."""

    __tablename__ = "nodes"
    __table_args__ = (
        UniqueConstraint("dataspace_id", "slug"),
        # At most one anchor node per Data Space, enforced by the database itself.
        Index(
            "uq_nodes_one_anchor_per_dataspace",
            "dataspace_id",
            unique=True,
            sqlite_where=db.text("is_anchor"),
            postgresql_where=db.text("is_anchor"),
        ),
        CheckConstraint("length(country_code) = 2", name="country_code_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dataspace_id: Mapped[int] = mapped_column(ForeignKey("dataspaces.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(64))
    city: Mapped[MultilingualText] = mapped_column(MultilingualColumn())
    country_code: Mapped[str] = mapped_column(String(2))
    time_zone: Mapped[str] = mapped_column(String(64))
    is_anchor: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(default=0)
    host_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id", ondelete="SET NULL"))

    dataspace: Mapped[DataSpace] = relationship(back_populates="nodes")
    host: Mapped[Institution | None] = relationship()


class Partnership(TimestampMixin, db.Model):
    """An institution's role toward a Data Space (one row per role)."""

    __tablename__ = "partnerships"
    __table_args__ = (UniqueConstraint("dataspace_id", "institution_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataspace_id: Mapped[int] = mapped_column(ForeignKey("dataspaces.id", ondelete="CASCADE"))
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id", ondelete="CASCADE"))
    role: Mapped[PartnerRole] = mapped_column(enum_column(PartnerRole, "partner_role"))
    starts_on: Mapped[date | None] = mapped_column(Date)
    #: The reference of the signed agreement (a memorandum's number, say).
    agreement_reference: Mapped[str | None] = mapped_column(String(100))

    dataspace: Mapped[DataSpace] = relationship(back_populates="partnerships")
    institution: Mapped[Institution] = relationship()


class TeamMembership(TimestampMixin, db.Model):
    """A person on a Data Space's coordination team, optionally at one node."""

    __tablename__ = "team_memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    dataspace_id: Mapped[int] = mapped_column(ForeignKey("dataspaces.id", ondelete="CASCADE"))
    node_id: Mapped[int | None] = mapped_column(ForeignKey("nodes.id", ondelete="SET NULL"))
    person_name: Mapped[str] = mapped_column(String(200))
    title: Mapped[MultilingualText] = mapped_column(MultilingualColumn(), default=dict)
    email: Mapped[str | None] = mapped_column(String(254))

    dataspace: Mapped[DataSpace] = relationship(back_populates="team")
    node: Mapped[Node | None] = relationship()
