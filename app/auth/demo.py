"""Demo accounts (development only; listed in the README), from ``app/demo/accounts.toml``: one
per role, a coordinator for every Data Space and a few more instructors, all with the same
password."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import select

from app import demo
from app.auth import services
from app.auth.models import Role, RoleGrant, User
from app.dataspaces.models import DataSpace
from app.extensions import db
from app.timeutil import utcnow


@lru_cache(maxsize=1)
def _password_hash() -> str:
    """Hashed once: argon2 is slow on purpose, and every demo account shares the password."""
    return services.hash_password(demo.read("accounts")["password"])


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
    for entry in demo.read("accounts")["account"]:
        scope = entry.get("dataspace")
        if scope and scope not in spaces:
            continue
        user = account(entry["email"], entry["name"], entry.get("language"))
        services.grant_role(user, Role(entry["role"]), spaces.get(scope))
