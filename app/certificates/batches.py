""""Issue all eligible": a coordinator queues a batch, the scheduler runs it (``jobs.py``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import User
from app.certificates.models import (
    BatchStatus,
    CertificateBatch,
)
from app.errors import DomainError
from app.extensions import db
from app.workshops.models import Programme, ProgrammeState


def request_batch(programme: Programme, actor: User) -> CertificateBatch:
    """Queue "issue all eligible"; one batch per programme at a time."""
    if programme.state != ProgrammeState.COMPLETED:
        raise DomainError(_l("Certificates are issued once the programme is completed."))
    running = db.session.scalar(select(CertificateBatch).where(
        CertificateBatch.programme_id == programme.id,
        CertificateBatch.status.in_([BatchStatus.QUEUED, BatchStatus.RUNNING])))
    if running is not None:
        return running
    batch = CertificateBatch(programme_id=programme.id, requested_by_id=actor.id)
    db.session.add(batch)
    db.session.flush()
    return batch


def latest_batch(programme: Programme) -> CertificateBatch | None:
    return db.session.scalar(select(CertificateBatch).where(
        CertificateBatch.programme_id == programme.id).order_by(CertificateBatch.id.desc()))
