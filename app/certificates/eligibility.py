"""Who may be certified: the confirmed participants of a completed programme who reached the
minimum attendance, or for whom a coordinator recorded an exception with its reason."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.attendance.services import programme_attendance
from app.audit import services as audit
from app.audit.models import AuditAction
from app.auth.models import User
from app.certificates import rendering
from app.certificates.models import (
    Certificate,
    CertificateStatus,
    EligibilityOverride,
)
from app.enrollment.models import Enrollment, EnrollmentStatus
from app.errors import DomainError
from app.extensions import db
from app.timeutil import utcnow
from app.workshops.models import Programme, ProgrammeState


@dataclass(frozen=True)
class Candidate:
    """A confirmed participant of a completed programme, and whether they may be certified."""

    enrollment: Enrollment
    rate: float | None
    eligible: bool
    override: EligibilityOverride | None
    certificate: Certificate | None

    @property
    def may_issue(self) -> bool:
        return (self.eligible or self.override is not None) and self.certificate is None

    @property
    def name(self) -> str:
        return self.enrollment.participant_name

    @property
    def unprintable(self) -> list[str]:
        """Characters of the name no certificate font holds: correct the name before issuing."""
        return rendering.missing_glyphs(self.name)


def candidates(programme: Programme, enrollment_ids: set[int] | None = None) -> list[Candidate]:
    """The programme's confirmed participants (or only ``enrollment_ids``), in a fixed number of
    queries."""
    summaries = programme_attendance(programme, enrollment_ids=enrollment_ids)
    enrollments = {
        e.id: e
        for e in db.session.scalars(
            select(Enrollment)
            .where(Enrollment.id.in_(summaries), Enrollment.status == EnrollmentStatus.CONFIRMED)
            .options(selectinload(Enrollment.user).selectinload(User.profile))
            .order_by(Enrollment.queue_number)
        )
    }
    overrides = {
        o.enrollment_id: o
        for o in db.session.scalars(
            select(EligibilityOverride).where(EligibilityOverride.enrollment_id.in_(summaries))
        )
    }
    valid = {
        c.enrollment_id: c
        for c in db.session.scalars(
            select(Certificate).where(
                Certificate.programme_id == programme.id,
                Certificate.status == CertificateStatus.VALID,
            )
        )
    }
    return [
        Candidate(
            enrollment,
            summaries[eid].rate,
            summaries[eid].eligible,
            overrides.get(eid),
            valid.get(eid),
        )
        for eid, enrollment in enrollments.items()
    ]


def override(enrollment: Enrollment, reason: str, actor: User) -> EligibilityOverride:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Give the reason for the exception."), field="reason")
    record = db.session.scalar(
        select(EligibilityOverride).where(EligibilityOverride.enrollment_id == enrollment.id)
    ) or EligibilityOverride(enrollment_id=enrollment.id)
    record.reason, record.decided_by_id, record.decided_at = reason[:2000], actor.id, utcnow()
    db.session.add(record)
    db.session.flush()
    audit.record(
        actor.id,
        AuditAction.CERTIFICATE_OVERRIDE,
        "enrollment",
        enrollment.id,
        dataspace_id=enrollment.programme.dataspace_id,
        reason=record.reason,
    )
    return record


def check_issuable(programme: Programme, candidate: Candidate | None) -> None:
    if programme.state != ProgrammeState.COMPLETED:
        raise DomainError(_l("Certificates are issued once the programme is completed."))
    if candidate is None:
        raise DomainError(_l("This person is not a confirmed participant of this programme."))
    if candidate.certificate is not None:
        raise DomainError(_l("This person already has a valid certificate."))
    if not candidate.eligible and candidate.override is None:
        raise DomainError(
            _l(
                "This person did not reach the minimum attendance; record an "
                "exception with its reason first."
            )
        )
