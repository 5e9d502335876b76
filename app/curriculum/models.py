"""Teaching content: modules, their revisions and materials, curricula, collections."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Numeric,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import LabelledEnum, TimestampMixin, UTCDateTime, enum_column
from app.extensions import db
from app.multilingual import MultilingualColumn, MultilingualText
from app.storage import StoredFile
from app.timeutil import utcnow


class Level(LabelledEnum):
    INTRODUCTORY = "introductory"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


Level.LABELS = {
    "introductory": _l("Introductory"),
    "intermediate": _l("Intermediate"),
    "advanced": _l("Advanced"),
}


class ModuleStatus(LabelledEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


ModuleStatus.LABELS = {"draft": _l("Draft"), "published": _l("Published")}

#: Licences a module can carry (SPDX identifiers).
LICENCES = {
    "CC-BY-4.0": "CC BY 4.0",
    "CC-BY-SA-4.0": "CC BY-SA 4.0",
    "CC-BY-NC-4.0": "CC BY-NC 4.0",
    "CC-BY-NC-SA-4.0": "CC BY-NC-SA 4.0",
    "CC0-1.0": "CC0 1.0",
}
#: Where each licence's text is published (the address open-data readers expect, not a name).
LICENCE_URLS = {
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "CC-BY-NC-4.0": "https://creativecommons.org/licenses/by-nc/4.0/",
    "CC-BY-NC-SA-4.0": "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
}

module_topics = Table(
    "module_topics",
    db.metadata,
    Column("module_id", ForeignKey("modules.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True),
)

module_authors = Table(
    "module_authors",
    db.metadata,
    Column("module_id", ForeignKey("modules.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Topic(db.Model):
    """A theme of the network's teaching (mobile phone data, official statistics…)."""

    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[MultilingualText] = mapped_column(MultilingualColumn())


class Module(TimestampMixin, db.Model):
    """A reusable unit of teaching, written in one or more languages."""

    __tablename__ = "modules"
    __table_args__ = (Index("ix_modules_status_published_at", "status", "published_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    dataspace_id: Mapped[int | None] = mapped_column(
        ForeignKey("dataspaces.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[MultilingualText] = mapped_column(MultilingualColumn())
    summary: Mapped[MultilingualText] = mapped_column(MultilingualColumn(), default=dict)
    body: Mapped[MultilingualText] = mapped_column(MultilingualColumn(), default=dict)
    learning_outcomes: Mapped[MultilingualText] = mapped_column(MultilingualColumn(), default=dict)
    level: Mapped[Level] = mapped_column(enum_column(Level, "module_level"))
    duration_hours: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    licence: Mapped[str] = mapped_column(String(32), default="CC-BY-4.0")
    status: Mapped[ModuleStatus] = mapped_column(
        enum_column(ModuleStatus, "module_status"), default=ModuleStatus.DRAFT
    )
    #: Raised each time the teaching content changes; what a workshop taught names a revision.
    revision: Mapped[int] = mapped_column(default=1)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    dataspace = relationship("DataSpace")
    topics: Mapped[list[Topic]] = relationship(secondary=module_topics, order_by=Topic.slug)
    authors = relationship("User", secondary=module_authors, order_by="User.display_name")
    materials: Mapped[list[Material]] = relationship(
        back_populates="module", cascade="all, delete-orphan", order_by="Material.position"
    )

    @property
    def languages(self) -> list[str]:
        return self.title.languages

    @property
    def is_published(self) -> bool:
        return self.status == ModuleStatus.PUBLISHED

    @property
    def licence_name(self) -> str:
        return LICENCES.get(self.licence, self.licence)

    @property
    def licence_url(self) -> str | None:
        return LICENCE_URLS.get(self.licence)

    @property
    def author_ids(self) -> set[int]:
        return {author.id for author in self.authors}

    @property
    def url(self) -> str:
        return url_for("curriculum.module", slug=self.slug)


class ModuleRevision(db.Model):
    """The teaching content of a module as it was at one revision."""

    __tablename__ = "module_revisions"
    __table_args__ = (UniqueConstraint("module_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    revision: Mapped[int]
    title: Mapped[MultilingualText] = mapped_column(MultilingualColumn())
    summary: Mapped[MultilingualText] = mapped_column(MultilingualColumn())
    body: Mapped[MultilingualText] = mapped_column(MultilingualColumn())
    learning_outcomes: Mapped[MultilingualText] = mapped_column(MultilingualColumn())
    duration_hours: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Material(TimestampMixin, db.Model):
    """A link or an uploaded file that goes with a module."""

    __tablename__ = "materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(500))
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id", ondelete="CASCADE"))
    #: Safe name the file is offered under (original name cleaned, extension from its content).
    file_name: Mapped[str | None] = mapped_column(String(200))
    file_size: Mapped[int | None]
    content_type: Mapped[str | None] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)

    module: Mapped[Module] = relationship(back_populates="materials")
    file: Mapped[StoredFile | None] = relationship(lazy="raise")

    @property
    def is_file(self) -> bool:
        return self.file_id is not None


class Curriculum(TimestampMixin, db.Model):
    """An ordered list of modules forming a programme template."""

    __tablename__ = "curricula"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    dataspace_id: Mapped[int | None] = mapped_column(
        ForeignKey("dataspaces.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[MultilingualText] = mapped_column(MultilingualColumn())
    description: Mapped[MultilingualText] = mapped_column(MultilingualColumn(), default=dict)
    #: The curriculum this one was cloned from, if any.
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("curricula.id", ondelete="SET NULL"))
    #: A programme's own copy is hidden from the list of templates.
    is_template: Mapped[bool] = mapped_column(default=True)

    dataspace = relationship("DataSpace")
    based_on: Mapped[Curriculum | None] = relationship(remote_side=[id])
    items: Mapped[list[CurriculumItem]] = relationship(
        back_populates="curriculum",
        cascade="all, delete-orphan",
        order_by="CurriculumItem.position",
    )

    @property
    def total_hours(self) -> Decimal:
        return sum((item.module.duration_hours for item in self.items), Decimal(0))


class CurriculumItem(db.Model):
    __tablename__ = "curriculum_items"
    __table_args__ = (UniqueConstraint("curriculum_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    curriculum_id: Mapped[int] = mapped_column(ForeignKey("curricula.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)

    curriculum: Mapped[Curriculum] = relationship(back_populates="items")
    module: Mapped[Module] = relationship()


class Collection(TimestampMixin, db.Model):
    """A curated, ordered selection of published modules, per Data Space or network-wide."""

    __tablename__ = "collections"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    dataspace_id: Mapped[int | None] = mapped_column(
        ForeignKey("dataspaces.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[MultilingualText] = mapped_column(MultilingualColumn())
    description: Mapped[MultilingualText] = mapped_column(MultilingualColumn(), default=dict)

    dataspace = relationship("DataSpace")
    items: Mapped[list[CollectionItem]] = relationship(
        back_populates="collection",
        cascade="all, delete-orphan",
        order_by="CollectionItem.position",
    )


class CollectionItem(db.Model):
    __tablename__ = "collection_items"
    __table_args__ = (UniqueConstraint("collection_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    collection_id: Mapped[int] = mapped_column(ForeignKey("collections.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)

    collection: Mapped[Collection] = relationship(back_populates="items")
    module: Mapped[Module] = relationship()


class ReadingListEntry(db.Model):
    """A module a signed-in user saved to read later."""

    __tablename__ = "reading_list_entries"
    __table_args__ = (UniqueConstraint("user_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    module: Mapped[Module] = relationship()
