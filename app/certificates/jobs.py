"""Scheduled jobs and batches of certificates: issuing all that are due, drawing the PDFs not drawn
yet, running the batches coordinators ask for. Each commits its own work as it goes (an
interruption loses little), claimed so that two scheduler instances never do it twice."""

from __future__ import annotations

import os
from collections.abc import Callable

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app import storage
from app.auth.models import User
from app.certificates import rendering
from app.certificates.design import designs_for
from app.certificates.eligibility import candidates
from app.certificates.issuing import issue
from app.certificates.models import (
    BatchStatus,
    Certificate,
    CertificateBatch,
)
from app.enrollment.models import Enrollment
from app.errors import DomainError
from app.extensions import db
from app.jobs import beat, claim_each
from app.timeutil import utcnow
from app.workshops.models import Programme, ProgrammeState


def issue_all(
    programme: Programme, actor: User | None, progress: Callable[[int, int], None] | None = None
) -> int:
    """Issue every certificate still due, each in its own transaction; returns how many."""
    if programme.state != ProgrammeState.COMPLETED:
        raise DomainError(_l("Certificates are issued once the programme is completed."))
    due = [c.enrollment.id for c in candidates(programme) if c.may_issue]
    issued = 0
    for done, enrollment_id in enumerate(due, start=1):
        try:
            issue(db.session.get(Enrollment, enrollment_id), actor)
            db.session.commit()
            issued += 1
        except (DomainError, IntegrityError):  # issued meanwhile by another run
            db.session.rollback()
        if progress:
            progress(done, len(due))
    return issued


#: Rendered PDFs are committed a few at a time: an interrupted run renders at most these again.
COMMIT_EVERY = 16


def render_missing(programme: Programme | None = None, progress=None) -> int:
    """Render the PDFs not rendered yet (of one programme, or all) on every core, storing them
    as they come; a re-run after an interruption renders only the rest."""
    query = (
        select(Certificate.id, Certificate.snapshot, Certificate.signature,
               User.preferred_language, Programme.dataspace_id)
        .join(Programme, Programme.id == Certificate.programme_id)
        .outerjoin(User, User.id == Certificate.user_id)
        .where(Certificate.pdf_file_id.is_(None), Certificate.render_problem.is_(None))
    )
    if programme is not None:
        query = query.where(Certificate.programme_id == programme.id)
    jobs = [rendering.RenderJob(*row) for row in db.session.execute(query)]
    designs = designs_for({job.dataspace_id for job in jobs})
    db.session.commit()  # hold no transaction while rendering
    workers = current_app.config["CERTIFICATE_RENDER_WORKERS"] or os.cpu_count() or 1
    rendered = rendering.render_many(jobs, workers, designs)
    ready = []
    for done, result in enumerate(rendered, 1):
        ready.append(result)
        if len(ready) == COMMIT_EVERY or done == len(jobs):
            # In the order of their ids: two schedulers storing the same certificates (each
            # locks the rows it updates until it commits) then never wait for each other.
            for result in sorted(ready, key=lambda item: item.certificate_id):
                if result.pdf is None:
                    _record_problem(result.certificate_id, result.problem)
                else:
                    _store_pdf(result.certificate_id, result.pdf)
            db.session.commit()
            ready.clear()
            if progress:
                progress(done, len(jobs))
    return len(jobs)


def _record_problem(certificate_id: int, problem: str) -> None:
    db.session.execute(
        update(Certificate).where(Certificate.id == certificate_id,
                                  Certificate.pdf_file_id.is_(None))
        .values(render_problem=problem).execution_options(synchronize_session=False))


def _store_pdf(certificate_id: int, pdf: bytes) -> None:
    """Keep the first rendering only: with two scheduler instances, the second one's copy is
    dropped (a conditional UPDATE decides)."""
    stored = storage.store(pdf, "application/pdf")
    kept = db.session.execute(
        update(Certificate).where(Certificate.id == certificate_id,
                                  Certificate.pdf_file_id.is_(None))
        .values(pdf_file_id=stored.id, pdf_sha256=stored.sha256)
        .execution_options(synchronize_session=False)).rowcount
    if not kept:
        db.session.delete(stored)
        db.session.flush()


def run_batches() -> int:
    """The scheduled job: run queued batches. Each is claimed by a conditional UPDATE, so two
    scheduler instances never run one twice; a crash leaves whole certificates and the next
    batch finishes the rest."""
    ran = 0
    for batch_id in claim_each(CertificateBatch, BatchStatus.QUEUED, BatchStatus.RUNNING):
        _run(db.session.get(CertificateBatch, batch_id))
        ran += 1
    return ran


def _run(batch: CertificateBatch) -> None:
    programme = db.session.get(Programme, batch.programme_id)
    actor = db.session.get(User, batch.requested_by_id) if batch.requested_by_id else None

    def progress(done: int, total: int) -> None:
        with db.engine.begin() as connection:  # seen by the page while the batch goes on
            beat(connection, CertificateBatch, batch.id, done=done, total=total)

    def drawing(_done: int, _total: int) -> None:
        with db.engine.begin() as connection:
            beat(connection, CertificateBatch, batch.id)

    try:
        issued = issue_all(programme, actor, progress=progress)
        render_missing(programme, progress=drawing)
        values = {"status": BatchStatus.DONE, "done": issued, "total": issued}
    except Exception as error:  # recorded on the page; certificates issued so far stay
        db.session.rollback()
        values = {"status": BatchStatus.FAILED, "error": f"{type(error).__name__}"[:500]}
    db.session.execute(update(CertificateBatch).where(CertificateBatch.id == batch.id)
                       .values(finished_at=utcnow(), **values)
                       .execution_options(synchronize_session=False))
    db.session.commit()


#: Registered by the scheduler (app/site/scheduler.py), one process for the deployment.
JOBS = {"issue-certificates": run_batches, "render-certificates": render_missing}
