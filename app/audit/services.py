"""Recording and reading the audit log."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.audit.models import AuditAction, AuditEntry
from app.extensions import db


def record(
    actor_id: int | None,
    action: AuditAction,
    subject_type: str,
    subject_id: int | None,
    *,
    dataspace_id: int | None = None,
    **details,
) -> AuditEntry:
    """Add an entry to the log, in the caller's transaction."""
    entry = AuditEntry(
        actor_id=actor_id,
        action=AuditAction(action).value,
        subject_type=subject_type,
        subject_id=subject_id,
        dataspace_id=dataspace_id,
        details=details,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def forget_person(user, *, email: str, names: tuple[str, ...] = (), **_event) -> None:
    """``user_erased``: the account's email and names leave the entries about it (the one edit
    the log allows: a person's right to erasure). What was done, and when, stays."""
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.subject_type == "user", AuditEntry.subject_id == user.id))
    wanted = {value for value in (email, *names) if value}
    for entry in entries:
        if wanted & set(map(str, entry.details.values())):
            entry.details = {key: "—" if str(value) in wanted else value
                             for key, value in entry.details.items()}


def recent_entries(limit: int = 200, subject_type: str | None = None) -> list[AuditEntry]:
    query = (
        select(AuditEntry)
        .options(joinedload(AuditEntry.actor))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    if subject_type:
        query = query.where(AuditEntry.subject_type == subject_type)
    return list(db.session.scalars(query))


def action_label(action: str) -> str:
    """What a recorded action is called in the interface (an action of an older release that
    no longer exists shows as stored)."""
    try:
        return AuditAction(action).label
    except ValueError:
        return action


#: How the details of an entry are named in the interface.
DETAIL_LABELS = {
    "role": _l("Role"),
    "email": _l("Email"),
    "serial": _l("Serial number"),
    "reason": _l("Reason"),
    "name": _l("Name"),
    "scope": _l("Scope"),
}


def detail_label(key: str) -> str:
    return str(DETAIL_LABELS.get(key, key))
