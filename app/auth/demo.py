"""Demo accounts (development only; listed in the README): one per role, a coordinator for
every Data Space and a few more instructors. Every demo account has the same password."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import select

from app.auth import services
from app.auth.models import Role, RoleGrant, User
from app.dataspaces.models import DataSpace
from app.extensions import db
from app.timeutil import utcnow

DEMO_PASSWORD = "demo-training-2026"

ACCOUNTS = [
    # email, display name, role, Data Space scope, interface language
    ("admin@example.org", "Ada Admin", Role.ADMIN, None, "en"),
    ("coordinator@example.org", "Camila Coordinadora", Role.COORDINATOR, "latin-america", "es"),
    ("instructor@example.org", "Ibrahima Instructor", Role.INSTRUCTOR, None, "fr"),
    ("participant@example.org", "Priya Participant", Role.PARTICIPANT, None, "en"),
    # A coordination team for every other Data Space, and more instructors (invented people).
    ("coordinator.west-africa@example.org", "Awa Sarr", Role.COORDINATOR, "west-africa", "fr"),
    ("coordinator.east-south-africa@example.org", "Grace Wanjiku", Role.COORDINATOR,
     "east-south-africa", "en"),
    ("coordinator.east-asia-pacific@example.org", "Tan Wei Ling", Role.COORDINATOR,
     "east-asia-pacific", "en"),
    ("coordinator.western-europe@example.org", "Clara Vidal i Serra", Role.COORDINATOR,
     "western-europe", "es"),
    ("coordinator.mena@example.org", "رامي حداد", Role.COORDINATOR, "mena", "en"),
    ("coordinator.north-america@example.org", "Jordan Miller", Role.COORDINATOR,
     "north-america", "en"),
    ("kwame.asante@example.org", "Kwame Asante", Role.INSTRUCTOR, None, "en"),
    ("sofia.ramirez@example.org", "Sofía Ramírez", Role.INSTRUCTOR, None, "es"),
    ("yuki.tanaka@example.org", "田中 由紀", Role.INSTRUCTOR, None, "en"),
]


@lru_cache(maxsize=1)
def _password_hash() -> str:
    """Hashed once: argon2 is slow on purpose, and every demo account shares the password."""
    return services.hash_password(DEMO_PASSWORD)


def account(email: str, name: str, language: str | None = None) -> User:
    """A verified demo account with the demo password (made once)."""
    user = services.find_user(email)
    if user is None:
        user = User(email=email, display_name=name, password_hash=_password_hash(),
                    preferred_language=language, email_verified_at=utcnow())
        user.grants.append(RoleGrant(role=Role.PARTICIPANT))
        db.session.add(user)
        db.session.flush()
    return user


def load() -> None:
    spaces = dict(db.session.execute(select(DataSpace.slug, DataSpace.id)).all())
    for email, name, role, scope, language in ACCOUNTS:
        if scope and scope not in spaces:
            continue
        services.grant_role(account(email, name, language), role, spaces.get(scope))
