"""Issuing, revoking and verifying certificates. Functions flush; callers commit.

Each certificate is issued in its own transaction, so a crash in the middle of a batch leaves
only whole certificates, and running the batch again issues the rest (one valid certificate per
enrollment is enforced by a unique index).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import filetype
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app import mail
from app.attendance.services import programme_attendance
from app.audit import services as audit
from app.audit.models import AuditAction
from app.auth.models import User
from app.certificates import rendering, signing
from app.certificates.models import (
    BatchStatus,
    Certificate,
    CertificateBatch,
    CertificateStatus,
    CertificateTemplate,
    EligibilityOverride,
    SerialCounter,
    new_verification_code,
)
from app.curriculum.models import StoredFile
from app.dataspaces.models import DataSpace
from app.domain import DomainError
from app.enrollment.models import Enrollment, EnrollmentStatus
from app.extensions import db
from app.outbox import services as outbox
from app.timeutil import utcnow
from app.urls import external_url
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


def _check_issuable(programme: Programme, candidate: Candidate | None) -> None:
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


def issue(enrollment: Enrollment, actor: User | None) -> Certificate:
    programme = enrollment.programme
    candidate = next(iter(candidates(programme, {enrollment.id})), None)
    _check_issuable(programme, candidate)
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
    return db.session.get(StoredFile, certificate.pdf_file_id).data


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


# --- batches run by the scheduler ------------------------------------------------------------


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


# --- each Data Space's template --------------------------------------------------------------

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
IMAGE_TYPES = {"image/png", "image/jpeg"}
MAX_IMAGE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


def template_of(space: DataSpace) -> CertificateTemplate | None:
    return db.session.scalar(
        select(CertificateTemplate).where(CertificateTemplate.dataspace_id == space.id))


def _data_url(file_id: int | None) -> str | None:
    stored = db.session.get(StoredFile, file_id) if file_id else None
    if stored is None:
        return None
    return f"data:{stored.content_type};base64,{base64.b64encode(stored.data).decode()}"


def design_of(template: CertificateTemplate | None) -> rendering.Design:
    if template is None:
        return rendering.Design()
    return rendering.Design(
        html=template.html, css=template.css, colour=template.colour,
        wording=dict(template.wording), signatory_name=template.signatory_name,
        signatory_title=dict(template.signatory_title), logo=_data_url(template.logo_file_id),
        signature=_data_url(template.signature_file_id))


def designs_for(dataspace_ids: set[int]) -> dict[int, rendering.Design]:
    templates = db.session.scalars(select(CertificateTemplate).where(
        CertificateTemplate.dataspace_id.in_(dataspace_ids)))
    return {template.dataspace_id: design_of(template) for template in templates}


def sample_certificate(space: DataSpace) -> Certificate:
    """A certificate as the template will see one, for checking and previewing it."""
    snapshot = {**rendering.SAMPLE, "serial": f"{space.slug.upper()}-2026-0001",
                "issuer": dict(space.name),
                "verify_url": external_url("certificates.verify", code="sample")}
    return Certificate(id=0, snapshot=snapshot, signature=signing.sign(snapshot)[0])


def _checked_image(upload: Upload, field: str) -> StoredFile:
    kind = filetype.guess(upload.data)
    if kind is None or kind.mime not in IMAGE_TYPES:
        raise DomainError(_l("Upload a PNG or JPEG image."), field=field)
    if len(upload.data) > MAX_IMAGE_BYTES:
        raise DomainError(_l("The image is larger than 1 MB."), field=field)
    stored = StoredFile(sha256=rendering.sha256(upload.data), size=len(upload.data),
                        content_type=kind.mime, data=upload.data)
    db.session.add(stored)
    return stored


def save_template(space: DataSpace, actor: User, *, colour: str, wording: Mapping[str, str],
                  signatory_name: str, signatory_title: Mapping[str, str], html: str, css: str,
                  logo: Upload | None = None, signature: Upload | None = None,
                  remove_logo: bool = False, remove_signature: bool = False
                  ) -> CertificateTemplate:
    """Check everything first, then write: a refused template leaves the saved one as it was."""
    if not COLOUR.match(colour or ""):
        raise DomainError(_l("Enter a colour as # and six hexadecimal digits."), field="colour")
    html, css = (html or "").strip(), (css or "").strip()
    template = template_of(space) or CertificateTemplate(dataspace_id=space.id)
    design = rendering.Design(html=html, css=css, colour=colour, wording=dict(wording),
                              signatory_name=signatory_name, signatory_title=dict(signatory_title))
    rendering.check_template(html, css, sample_certificate(space), design)
    images = {name: _checked_image(upload, name)
              for name, upload in (("logo", logo), ("signature", signature)) if upload}
    template.colour, template.html, template.css = colour, html, css
    template.wording, template.signatory_title = dict(wording), dict(signatory_title)
    template.signatory_name, template.updated_by_id = signatory_name.strip(), actor.id
    db.session.add(template)
    db.session.flush()
    for name, remove in (("logo", remove_logo), ("signature", remove_signature)):
        previous = getattr(template, f"{name}_file_id")
        if name in images or remove:
            setattr(template, f"{name}_file_id", images[name].id if name in images else None)
            if previous is not None:
                db.session.flush()
                db.session.execute(delete(StoredFile).where(StoredFile.id == previous))
    db.session.flush()
    _draw_again(space)
    audit.record(actor.id, AuditAction.CERTIFICATE_TEMPLATE_SAVED, "dataspace", space.id,
                 dataspace_id=space.id, custom_layout=bool(html or css))
    return template


def _draw_again(space: DataSpace) -> None:
    """The certificates its former layout could not draw are drawn again with the new one."""
    programmes = select(Programme.id).where(Programme.dataspace_id == space.id)
    db.session.execute(
        update(Certificate).where(Certificate.programme_id.in_(programmes),
                                  Certificate.render_problem.is_not(None))
        .values(render_problem=None).execution_options(synchronize_session=False))


def preview(space: DataSpace) -> str:
    """The template filled in with a sample certificate, as HTML for the browser."""
    html, stylesheets = rendering.preview(sample_certificate(space), design_of(template_of(space)))
    style = "<style>" + "\n".join(stylesheets) + "</style>"
    return html.replace("</head>", f"{style}</head>", 1) if "</head>" in html else style + html
