"""Accounts: creating them, checking passwords, granting roles."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.auth.models import Role, RoleGrant, User
from app.domain import DomainError
from app.extensions import db

_hasher = PasswordHasher()
# Verified against when no account matches, so that unknown emails take as long as known ones.
_DUMMY_HASH = _hasher.hash("not a real password")

MIN_PASSWORD_LENGTH = 10


def normalize_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalize_email(email)))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(user: User | None, password: str) -> bool:
    """True when ``password`` is the user's; takes the same time whether or not the user exists."""
    stored = user.password_hash if user is not None and user.password_hash else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
    if user is not None and _hasher.check_needs_rehash(stored):
        user.password_hash = hash_password(password)
    return user is not None and user.password_hash is not None


def authenticate(email: str, password: str) -> User | None:
    user = find_user(email)
    if check_password(user, password) and user.is_active:
        return user
    return None


def create_user(email: str, password: str, *, display_name: str = "", verified_at=None) -> User:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            _l("Use at least %(count)d characters.", count=MIN_PASSWORD_LENGTH), field="password"
        )
    if find_user(email) is not None:
        raise DomainError(_l("An account with this email already exists."), field="email")
    user = User(
        email=normalize_email(email),
        display_name=display_name,
        password_hash=hash_password(password),
        email_verified_at=verified_at,
    )
    db.session.add(user)
    db.session.flush()
    return user


def grant_role(user: User, role: Role, dataspace_id: int | None = None) -> RoleGrant:
    for grant in user.grants:
        if grant.role == role and grant.dataspace_id == dataspace_id:
            return grant
    grant = RoleGrant(role=role, dataspace_id=dataspace_id)
    user.grants.append(grant)
    db.session.flush()
    return grant
