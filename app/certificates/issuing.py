"""Issuing, revoking, reissuing and looking up certificates. Functions flush; callers commit.

Each certificate is issued in its own transaction, so a crash in the middle of a batch leaves
only whole certificates, and running the batch again issues the rest (one valid certificate per
enrollment is enforced by a unique index)."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app import mail, storage
from app.audit import services as audit
from app.audit.models import AuditAction
from app.auth.models import User
from app.certificates import signing
from app.certificates.eligibility import Candidate, candidates, check_issuable
from app.certificates.models import (
    Certificate,
    CertificateStatus,
    SerialCounter,
    new_verification_code,
)
from app.enrollment.models import Enrollment
from app.errors import DomainError
from app.extensions import db
from app.outbox import services as outbox
from app.timeutil import utcnow
from app.urls import external_url
from app.workshops.models import Programme


def issue(enrollment: Enrollment, actor: User | None) -> Certificate:
    programme = enrollment.programme
    candidate = next(iter(candidates(programme, {enrollment.id})), None)
    check_issuable(programme, candidate)
    certificate = Certificate(
        serial=_next_serial(programme),
        code=new_verification_code(),
        enrollment_id=enrollment.id,
        programme_id=programme.id,
        user_id=enrollment.user_id,
        issued_by_id=actor.id if actor else None,
        issued_at=utcnow(),
    )
    certificate.snapshot = _snapshot(certificate, candidate)
    certificate.signature, certificate.key_id = signing.sign(certificate.snapshot)
    db.session.add(certificate)
    db.session.flush()
    _announce(certificate, enrollment.user)
    audit.record(
        actor.id if actor else None,
        AuditAction.CERTIFICATE_ISSUED,
        "certificate",
        certificate.id,
        dataspace_id=programme.dataspace_id,
        serial=certificate.serial,
    )
    return certificate


def _announce(certificate: Certificate, user: User) -> None:
    """Email the participant, in their language, through the outbox."""
    outbox.enqueue(mail.render_mail(
        user.email, "certificates/email/issued", user.preferred_language, user=user,
        certificate=certificate, programme=db.session.get(Programme, certificate.programme_id),
        verify_url=certificate.snapshot["verify_url"],
        pdf_url=external_url("certificates.pdf", code=certificate.code),
        mine_url=external_url("certificates.mine")))


def _next_serial(programme: Programme) -> str:
    """``LATIN-AMERICA-2026-0007``: counted per Data Space and year, by a conditional UPDATE."""
    year = utcnow().year
    space = programme.dataspace
    counter = update(SerialCounter).where(
        SerialCounter.dataspace_id == space.id, SerialCounter.year == year
    )
    number = db.session.execute(
        counter.values(last=SerialCounter.last + 1).returning(SerialCounter.last)
    ).scalar()
    if number is None:
        try:
            with db.session.begin_nested():
                db.session.add(SerialCounter(dataspace_id=space.id, year=year, last=1))
            number = 1
        except IntegrityError:  # another issuer created the counter first
            number = db.session.execute(
                counter.values(last=SerialCounter.last + 1).returning(SerialCounter.last)
            ).scalar_one()
    return f"{space.slug.upper()}-{year}-{number:04d}"


def _snapshot(certificate: Certificate, candidate: Candidate) -> dict:
    enrollment = candidate.enrollment
    programme = enrollment.programme
    items = programme.curriculum.items if programme.curriculum else []
    hours = sum((item.module.duration_hours for item in items), Decimal(0))
    return {
        "serial": certificate.serial,
        "code": certificate.code,
        "name": candidate.name,
        "programme": {
            "title": dict(programme.title),
            "kind": programme.kind.value,
            "languages": programme.languages,
        },
        "dates": {"start": programme.start_date.isoformat(), "end": programme.end_date.isoformat()},
        "hours": str(hours),
        "place": {"city": dict(programme.node.city), "country": programme.node.country_code},
        "modules": [
            {"title": dict(item.module.title), "revision": item.module.revision} for item in items
        ],
        "attendance": round(candidate.rate * 100) if candidate.rate is not None else None,
        "issuer": dict(programme.dataspace.name),
        "issued_at": certificate.issued_at.isoformat(),
        "verify_url": external_url("certificates.verify", code=certificate.code),
    }


def stored_pdf(certificate: Certificate) -> bytes | None:
    """The rendered PDF, or ``None`` while the scheduler has not rendered it yet (web workers
    serve stored files and never render)."""
    if certificate.pdf_file_id is None:
        return None
    return storage.get(certificate.pdf_file_id).data


def revoke(
    certificate: Certificate, reason: str, actor: User, replaced_by: Certificate | None = None
) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Give the reason for revoking."), field="reason")
    changed = db.session.execute(
        update(Certificate)
        .where(Certificate.id == certificate.id, Certificate.status == CertificateStatus.VALID)
        .values(
            status=CertificateStatus.REVOKED,
            revoked_at=utcnow(),
            revoked_by_id=actor.id,
            revoke_reason=reason[:2000],
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        raise DomainError(_l("This certificate is already revoked."))
    db.session.expire(certificate)
    audit.record(
        actor.id,
        AuditAction.CERTIFICATE_REVOKED,
        "certificate",
        certificate.id,
        serial=certificate.serial,
        reason=reason[:500],
    )


def reissue(certificate: Certificate, actor: User) -> Certificate:
    """After a correction (of the name, say): the old one is revoked and points to the new."""
    enrollment = db.session.get(Enrollment, certificate.enrollment_id)
    revoke(certificate, "Reissued after a correction", actor)
    db.session.flush()
    replacement = issue(enrollment, actor)
    certificate.replaced_by_id = replacement.id
    db.session.flush()
    return replacement


def by_code(code: str) -> Certificate | None:
    if not code or len(code) > 64:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.code == code))


def public_record(certificate: Certificate) -> dict:
    """What anyone may see when verifying: no email, no other personal data."""
    snapshot = certificate.snapshot
    replacement = certificate.replaced_by
    return {
        "serial": certificate.serial,
        "status": certificate.status.value,
        "name": snapshot["name"],
        "programme": snapshot["programme"]["title"],
        "dates": snapshot["dates"],
        "hours": snapshot["hours"],
        "place": snapshot["place"],
        "issuer": snapshot["issuer"],
        "issued_at": snapshot["issued_at"],
        "revoked_at": certificate.revoked_at.isoformat() if certificate.revoked_at else None,
        "revoke_reason": certificate.revoke_reason,
        "replaced_by": external_url("certificates.verify", code=replacement.code)
        if replacement
        else None,
        "signature_valid": signing.verify_signature(
            snapshot, certificate.signature, signing.private_key().public_key()
        ),
        "payload": signing.payload(snapshot, certificate.signature),
    }


def of_user(user: User) -> list[Certificate]:
    return list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.user_id == user.id)
            .order_by(Certificate.issued_at.desc())
            .options(selectinload(Certificate.programme))
        )
    )


def of_programme(programme: Programme) -> list[Certificate]:
    return list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.programme_id == programme.id)
            .order_by(Certificate.serial)
        )
    )
