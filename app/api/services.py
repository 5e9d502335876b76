"""What the API reads, a page at a time: keyset pages over the domains' own selections
(``workshops.public_programmes``, ``curriculum.published_modules``, ``roster.roster_after``),
each in a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, tuple_
from sqlalchemy.orm import selectinload

from app.curriculum import services as curriculum
from app.curriculum.models import Collection, CollectionItem, Level, Module
from app.dataspaces import services as registry
from app.dataspaces.models import DataSpace, Node, Partnership
from app.extensions import db
from app.workshops import services as workshops
from app.workshops.models import Programme, ProgrammeKind


@dataclass(frozen=True)
class Page:
    items: list
    last: tuple | None  # the sort key of the last item, when there is a next page


def _keyset(statement, columns: tuple, descending: bool, after: list | None, limit: int,
            key) -> Page:
    """``limit`` rows of ``statement`` in the order of ``columns``, after the row whose sort key
    is ``after``; one row more is read to know whether a next page exists."""
    if after is not None:
        position = tuple_(*columns)
        statement = statement.where(position < tuple_(*after) if descending
                                    else position > tuple_(*after))
    order = [column.desc() if descending else column for column in columns]
    rows = list(db.session.scalars(statement.order_by(*order).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, key(rows[-1]) if more else None)


def programmes(filters: dict, after: list | None, limit: int, today: date) -> Page:
    space_id = registry.dataspace_id(filters["dataspace"]) if filters["dataspace"] else None
    if filters["dataspace"] and space_id is None:
        return Page([], None)
    query = workshops.CatalogueQuery(
        dataspace_id=space_id, country=(filters["country"] or "").upper() or None,
        kind=ProgrammeKind(filters["kind"]) if filters["kind"] else None,
        language=filters["language"], open_only=filters["open"])
    statement = workshops.public_programmes(query).options(
        selectinload(Programme.node), selectinload(Programme.dataspace),
        selectinload(Programme.sessions))
    when = filters["when"]
    if when == "upcoming":
        statement = statement.where(Programme.end_date >= today)
    elif when == "past":
        statement = statement.where(Programme.end_date < today)
    if after is not None:
        after = [date.fromisoformat(after[0]), after[1]]
    return _keyset(statement, (Programme.start_date, Programme.id), when != "upcoming", after,
                   limit, lambda row: (row.start_date, row.id))


def modules(filters: dict, after: list | None, limit: int) -> Page:
    space_id = registry.dataspace_id(filters["dataspace"]) if filters["dataspace"] else None
    if filters["dataspace"] and space_id is None:
        return Page([], None)
    query = curriculum.CatalogueQuery(topic=filters["topic"],
                                      level=Level(filters["level"]) if filters["level"] else None,
                                      language=filters["language"], dataspace_id=space_id)
    statement = curriculum.published_modules(query).options(selectinload(Module.topics))
    # Published modules are numbered by id in the order they were written: a stable key.
    return _keyset(statement, (Module.id,), True, after, limit, lambda row: (row.id,))


def collections() -> list[Collection]:
    return list(db.session.scalars(select(Collection).order_by(Collection.id)
                                   .options(selectinload(Collection.dataspace))))


def collection(slug: str) -> Collection | None:
    return db.session.scalar(
        select(Collection).where(Collection.slug == slug).options(
            selectinload(Collection.dataspace),
            selectinload(Collection.items).selectinload(CollectionItem.module)
            .selectinload(Module.topics)))


def dataspaces() -> list:
    """Every Data Space with its nodes, their hosts and its partners, in four queries."""
    return list(db.session.scalars(
        select(DataSpace).order_by(DataSpace.slug).options(
            selectinload(DataSpace.nodes).selectinload(Node.host),
            selectinload(DataSpace.partnerships).selectinload(Partnership.institution))))
