from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import LabelledEnum, UTCDateTime
from app.extensions import db
from app.timeutil import utcnow


class AuditAction(LabelledEnum):
    """Every change the log records (stored as its value)."""

    ROLE_GRANTED = "role.granted"
    ROLE_REVOKED = "role.revoked"
    ACCOUNT_ERASED = "account.erased"
    CERTIFICATE_ISSUED = "certificate.issued"
    CERTIFICATE_REVOKED = "certificate.revoked"
    CERTIFICATE_OVERRIDE = "certificate.override"
    CERTIFICATE_TEMPLATE_SAVED = "certificate.template_saved"
    INTEREST_STATUS = "interest.status"
    INTEREST_ASSIGNED = "interest.assigned"
    INTEREST_PASSED = "interest.passed"
    INTEREST_CONVERTED = "interest.converted"
    INTEREST_ERASED = "interest.erased"
    TOKEN_CREATED = "token.created"
    TOKEN_REVOKED = "token.revoked"
    SURVEY_CHANGED = "survey.changed"


AuditAction.LABELS = {
    "role.granted": _l("Role granted"),
    "role.revoked": _l("Role revoked"),
    "account.erased": _l("Account erased at its owner's request"),
    "certificate.issued": _l("Certificate issued"),
    "certificate.revoked": _l("Certificate revoked"),
    "certificate.override": _l("Certificate exception recorded"),
    "certificate.template_saved": _l("Certificate design saved"),
    "interest.status": _l("Expression of interest moved in the pipeline"),
    "interest.assigned": _l("Expression of interest assigned"),
    "interest.passed": _l("Expression of interest passed to another Data Space"),
    "interest.converted": _l("Expression of interest became a partnership"),
    "interest.erased": _l("Contact details of an expression of interest erased"),
    "token.created": _l("API access token created"),
    "token.revoked": _l("API access token revoked"),
    "survey.changed": _l("Survey changed after answers arrived"),
}


class AuditEntry(db.Model):
    """One recorded change. Rows are only ever added, never edited."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64))
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int | None]
    dataspace_id: Mapped[int | None] = mapped_column(
        ForeignKey("dataspaces.id", ondelete="SET NULL")
    )
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    actor = relationship("User", foreign_keys=[actor_id])
