"""Database plumbing shared by every domain: the declarative base, column types and
SQLite connection settings."""

from __future__ import annotations

import enum
import sqlite3
from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, Enum, MetaData, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from app.text import slug_base
from app.timeutil import utcnow

# Stable constraint names, so that Alembic can drop them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator):
    """An aware datetime stored in UTC.

    PostgreSQL keeps the offset; SQLite keeps none and hands back naive values,
    so results are marked UTC here and naive values are refused on the way in.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def enum_column(enum_class: type[enum.Enum], name: str) -> Enum:
    """A portable enum column storing the values (CHECK constraint, no PostgreSQL type)."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class LabelledEnum(enum.StrEnum):
    """An enum whose members carry a translatable label for the interface."""

    @property
    def label(self) -> str:
        return str(self.LABELS[self.value])

    @classmethod
    def choices(cls) -> list:
        from wtforms.fields.choices import SelectChoice

        return [SelectChoice(member.value, member.label) for member in cls]


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, _record) -> None:
    """Foreign keys on, WAL journal and a busy timeout for every SQLite connection."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.close()


@event.listens_for(Engine, "savepoint")
def _begin_before_a_savepoint(connection, _name) -> None:
    """Open the transaction a savepoint belongs to, on SQLite.

    pysqlite begins a transaction only before it writes, so a savepoint taken before the first
    write (``session.begin_nested()`` at the top of a request) would open a transaction of its
    own, and releasing it would commit: a request refused afterwards would still have written.
    """
    raw = connection.connection.dbapi_connection
    if isinstance(raw, sqlite3.Connection) and not raw.in_transaction:
        raw.execute("BEGIN")


def free_slug(column, title, fallback: str, reserved: frozenset[str] = frozenset()) -> str:
    """The first of ``base``, ``base-2``, ``base-3``… that ``column`` does not hold yet, where
    ``base`` is :func:`app.text.slug_base` of the title. The one slug rule of every domain."""
    from app.extensions import db  # here, not above: app.extensions imports this module

    base = slug_base(title, fallback, reserved)
    taken = set(db.session.scalars(select(column).where(column.startswith(base))))
    slug, counter = base, 2
    while slug in taken:
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def render_migration_item(type_, obj, autogen_context):
    """Write our column types into migrations as their plain SQLAlchemy equivalents.

    Migrations then never import app code, which keeps old revisions runnable for years.
    """
    if type_ == "type" and isinstance(obj, TypeDecorator):
        impl = obj.impl_instance
        if isinstance(impl, DateTime):
            return f"sa.DateTime(timezone={impl.timezone})"
        if isinstance(impl, JSON):
            return "sa.JSON()"
    return False


#: Tables the migrations create by hand, outside the ORM (full-text indexes and, on SQLite,
#: the FTS5 shadow tables behind them); autogenerate must leave them alone.
UNMAPPED_TABLE_PREFIXES = ("module_search",)


def include_in_migrations(name, type_, _parent_names) -> bool:
    return not (type_ == "table" and name and name.startswith(UNMAPPED_TABLE_PREFIXES))
