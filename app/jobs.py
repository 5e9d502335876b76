"""What the domains' scheduled jobs share (their own ``jobs.py`` hold the jobs)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select, update

from app.extensions import db


def claim_each(model, queued, running, **values) -> Iterator[int]:
    """The ids of the rows of ``model`` whose status is ``queued``, each one claimed first:
    set to ``running`` (and ``values``) by a conditional UPDATE and committed, so that with two
    scheduler instances every row goes to exactly one of them."""
    for row_id in list(db.session.scalars(select(model.id).where(model.status == queued))):
        claimed = db.session.execute(
            update(model).where(model.id == row_id, model.status == queued)
            .values(status=running, **values)
            .execution_options(synchronize_session=False)).rowcount
        db.session.commit()
        if claimed:
            yield row_id
