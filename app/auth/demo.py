"""Demo accounts, one per role (development only; listed in the README)."""

from __future__ import annotations

from sqlalchemy import select

from app.auth import services
from app.auth.models import Role
from app.dataspaces.models import DataSpace
from app.extensions import db
from app.timeutil import utcnow

DEMO_PASSWORD = "demo-training-2026"

ACCOUNTS = [
    # email, display name, role, Data Space scope
    ("admin@example.org", "Ada Admin", Role.ADMIN, None),
    ("coordinator@example.org", "Camila Coordinadora", Role.COORDINATOR, "latin-america"),
    ("instructor@example.org", "Ibrahima Instructor", Role.INSTRUCTOR, None),
    ("participant@example.org", "Priya Participant", Role.PARTICIPANT, None),
]


def load() -> None:
    for email, name, role, scope in ACCOUNTS:
        user = services.find_user(email) or services.create_user(
            email, DEMO_PASSWORD, display_name=name, verified_at=utcnow()
        )
        dataspace_id = (
            db.session.scalar(select(DataSpace.id).where(DataSpace.slug == scope))
            if scope
            else None
        )
        services.grant_role(user, role, dataspace_id)
