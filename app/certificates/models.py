"""Issued certificates: a frozen, signed snapshot of what each one certifies."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import LabelledEnum, TimestampMixin, UTCDateTime, enum_column
from app.extensions import db
from app.multilingual import MultilingualColumn, MultilingualText
from app.timeutil import utcnow


class CertificateStatus(LabelledEnum):
    VALID = "valid"
    REVOKED = "revoked"


CertificateStatus.LABELS = {"valid": _l("Valid"), "revoked": _l("Revoked")}


def new_verification_code() -> str:
    """192 random bits, URL-safe: unguessable, so codes cannot be enumerated."""
    return secrets.token_urlsafe(24)


class Certificate(db.Model):
    """A certificate as issued. Its snapshot never changes; a correction issues a new one."""

    __tablename__ = "certificates"
    __table_args__ = (
        # At most one valid certificate per enrollment, enforced by the database itself.
        Index(
            "uq_certificates_one_valid_per_enrollment",
            "enrollment_id",
            unique=True,
            sqlite_where=db.text("status = 'valid'"),
            postgresql_where=db.text("status = 'valid'"),
        ),
        Index("ix_certificates_programme_id", "programme_id"),
        Index("ix_certificates_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(40), unique=True)
    code: Mapped[str] = mapped_column(String(64), unique=True, default=new_verification_code)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id", ondelete="RESTRICT"))
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="RESTRICT"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Everything the certificate states, frozen at issue time (names, title, dates, hours…).
    snapshot: Mapped[dict] = mapped_column(JSON)
    #: Ed25519 signature over the canonical form of the snapshot (base64url), and its key.
    signature: Mapped[str] = mapped_column(String(120))
    key_id: Mapped[str] = mapped_column(String(32))
    status: Mapped[CertificateStatus] = mapped_column(
        enum_column(CertificateStatus, "certificate_status"), default=CertificateStatus.VALID
    )
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoke_reason: Mapped[str | None] = mapped_column(Text)
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))
    #: The PDF, rendered once from the snapshot (outside the issuing transaction).
    pdf_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    #: Why the PDF could not be drawn (``rendering.OVERRAN`` or ``FAILED``); it is tried again
    #: when the Data Space saves its layout.
    render_problem: Mapped[str | None] = mapped_column(String(16))

    programme = relationship("Programme")
    replaced_by: Mapped[Certificate | None] = relationship(remote_side=[id])

    @property
    def is_valid(self) -> bool:
        return self.status == CertificateStatus.VALID


class SerialCounter(db.Model):
    """The last serial number handed out per Data Space and year (``LATIN-AMERICA-2026-0007``)."""

    __tablename__ = "certificate_serial_counters"
    __table_args__ = (UniqueConstraint("dataspace_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataspace_id: Mapped[int] = mapped_column(ForeignKey("dataspaces.id", ondelete="CASCADE"))
    year: Mapped[int]
    last: Mapped[int] = mapped_column(default=0)


class EligibilityOverride(db.Model):
    """A coordinator's decision that someone may receive a certificate despite the rule."""

    __tablename__ = "certificate_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("enrollments.id", ondelete="CASCADE"), unique=True
    )
    reason: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BatchStatus(LabelledEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


BatchStatus.LABELS = {"queued": _l("Waiting to start"), "running": _l("In progress"),
                      "done": _l("Finished"), "failed": _l("Stopped by an error")}


class CertificateBatch(db.Model):
    """"Issue all eligible", run by the scheduler process with its progress on the page."""

    __tablename__ = "certificate_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"),
                                              index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                   ondelete="SET NULL"))
    status: Mapped[BatchStatus] = mapped_column(enum_column(BatchStatus, "batch_status"),
                                                default=BatchStatus.QUEUED)
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The running job's last sign of life (``app.jobs.beat``): a lapsed one is taken over.
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str | None] = mapped_column(String(500))

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


class CertificateTemplate(TimestampMixin, db.Model):
    """How a Data Space's certificates look: its logo, colour, signature and wording, and,
    for those who want more, its own HTML and CSS (rendered in a sandbox)."""

    __tablename__ = "certificate_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    dataspace_id: Mapped[int] = mapped_column(
        ForeignKey("dataspaces.id", ondelete="CASCADE"), unique=True
    )
    colour: Mapped[str] = mapped_column(String(7), default="#0b5d66")
    #: The sentence before the programme's title, per language ("completed the programme").
    wording: Mapped[MultilingualText] = mapped_column(MultilingualColumn(), default=dict)
    signatory_name: Mapped[str] = mapped_column(String(200), default="")
    signatory_title: Mapped[MultilingualText] = mapped_column(MultilingualColumn(), default=dict)
    logo_file_id: Mapped[int | None] = mapped_column(
        ForeignKey("stored_files.id", ondelete="SET NULL"))
    signature_file_id: Mapped[int | None] = mapped_column(
        ForeignKey("stored_files.id", ondelete="SET NULL"))
    #: Empty: the network's default layout.
    html: Mapped[str] = mapped_column(Text, default="")
    css: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
