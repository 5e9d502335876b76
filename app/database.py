"""Database plumbing shared by every domain: the declarative base, column types and
SQLite connection settings."""

from __future__ import annotations

import enum
import fcntl
import re
import sqlite3
import threading
from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, Enum, MetaData, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.pool import Pool
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
def _configure_sqlite(dbapi_connection, record) -> None:
    """Foreign keys on, WAL journal and a busy timeout for every SQLite connection, and the
    file its writers line up on."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA busy_timeout = 10000")
    # In WAL mode NORMAL still never corrupts the database and loses nothing when the app
    # crashes; only the last commits before a power cut may be lost. It saves an fsync per
    # commit (SQLite is the development and small-deployment default; production runs
    # PostgreSQL).
    cursor.execute("PRAGMA synchronous = NORMAL")
    path = next((row[2] for row in cursor.execute("PRAGMA database_list") if row[1] == "main"),
                "")
    cursor.close()
    if path:  # a file (an in-memory database has one connection: nobody to wait for)
        record.info[_LINE] = open(f"{path}-writers", "a+b")  # noqa: SIM115 - as long as it


# SQLite: writers wait in line instead of polling.
#
# SQLite lets one connection write at a time. The others get SQLITE_BUSY, and its busy handler
# sleeps and tries again (1, 2, 5, 10… up to 100 ms a try), so under a burst of enrollments
# most of the time went into sleeping past the moment the lock was free. Here a connection
# about to write first takes an exclusive flock() on a file beside the database, which the
# kernel hands to the next waiting writer the moment the previous one gives it back (when its
# connection returns to the pool, that is at commit or rollback). The busy timeout stays for
# writers outside the app (the sqlite3 shell) and for a thread that already writes through
# another connection (waiting for itself would never end).
_LINE = "sqlite_writers_line"
_HOLDING = "sqlite_writers_line_held"
_WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
_threads_in_line: set[int] = set()


@event.listens_for(Engine, "before_cursor_execute")
def _wait_in_line_to_write(connection, _cursor, statement, *_args) -> None:
    info = connection.connection.info
    line = info.get(_LINE)
    if line is None or info.get(_HOLDING) or not _WRITE.match(statement):
        return
    thread = threading.get_ident()
    if thread in _threads_in_line:
        return
    fcntl.flock(line, fcntl.LOCK_EX)
    info[_HOLDING] = thread
    _threads_in_line.add(thread)


@event.listens_for(Pool, "checkin")
def _leave_the_line(_dbapi_connection, record) -> None:
    if record is None or not record.info.get(_HOLDING):
        return
    _threads_in_line.discard(record.info.pop(_HOLDING))
    fcntl.flock(record.info[_LINE], fcntl.LOCK_UN)


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
