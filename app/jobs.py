"""What the domains' scheduled jobs share (their own ``jobs.py`` hold the jobs)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update

from app.extensions import db
from app.timeutil import utcnow


def claim_each(model, queued, running, **values) -> Iterator[int]:
    """The ids of the rows of ``model`` whose status is ``queued``, each one claimed first:
    set to ``running`` (and ``values``) by a conditional UPDATE and committed, so that with two
    scheduler instances every row goes to exactly one of them.

    A claim is a lease: the job that holds it says it is alive (:func:`beat`) as it goes, and
    a ``running`` row whose last beat is older than ``JOB_LEASE_SECONDS`` (its scheduler was
    killed mid-way) is claimed again, by whichever scheduler comes first."""
    for row_id in list(db.session.scalars(select(model.id).where(_claimable(model, queued,
                                                                           running)))):
        claimed = db.session.execute(
            update(model).where(model.id == row_id, _claimable(model, queued, running))
            .values(status=running, heartbeat_at=utcnow(), **values)
            .execution_options(synchronize_session=False)).rowcount
        db.session.commit()
        if claimed:
            yield row_id


def _claimable(model, queued, running):
    lapsed = utcnow() - timedelta(seconds=current_app.config["JOB_LEASE_SECONDS"])
    return or_(model.status == queued,
               and_(model.status == running, model.heartbeat_at < lapsed))


def beat(connection, model, row_id: int, **values) -> None:
    """Renew the lease on a claimed row (and record its progress, ``values``) on
    ``connection``, outside the job's own transaction so that it is seen at once."""
    connection.execute(update(model).where(model.id == row_id)
                       .values(heartbeat_at=utcnow(), **values))
