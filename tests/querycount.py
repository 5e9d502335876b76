"""Count the SQL statements a request runs."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from sqlalchemy import event

from app.extensions import db


@dataclass
class QueryCount:
    statements: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.statements)


@contextlib.contextmanager
def count_queries(flask_app):
    """Count statements on ``flask_app``'s engine inside the block."""
    counter = QueryCount()
    with flask_app.app_context():
        engine = db.engine

    def before_execute(_conn, _cursor, statement, *_args):
        counter.statements.append(statement)

    event.listen(engine, "before_cursor_execute", before_execute)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", before_execute)
