"""Personal access tokens: made, listed and revoked by their owner; checked on each API call."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from app.api.models import AccessToken, TokenScope
from app.audit import services as audit
from app.audit.models import AuditAction
from app.auth.models import User
from app.errors import DomainError
from app.extensions import db
from app.timeutil import utcnow

#: The lifetimes a person may choose, in days: a token always expires.
LIFETIMES = (7, 30, 90, 365)
MAX_ACTIVE = 10
PREFIX = "dst_"
#: How stale "last used" may get before a call records it: not a write per request.
USE_RECORDED_EVERY = timedelta(minutes=5)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create(user: User, name: str, scope: TokenScope, days: int) -> tuple[AccessToken, str]:
    """A new token and its secret, which is shown this once and never stored."""
    if days not in LIFETIMES:
        raise DomainError(_l("Choose one of the lifetimes offered."), field="days", status=422)
    if len(active_of(user)) >= MAX_ACTIVE:
        raise DomainError(_l("You have %(count)s active tokens, the most allowed. Revoke one "
                             "you no longer use first.", count=MAX_ACTIVE))
    secret = PREFIX + secrets.token_urlsafe(32)
    token = AccessToken(user_id=user.id, name=name.strip(), scope=scope, token_hash=digest(secret),
                        prefix=secret[:10], expires_at=utcnow() + timedelta(days=days))
    db.session.add(token)
    db.session.flush()
    audit.record(user.id, AuditAction.TOKEN_CREATED, "user", user.id, name=token.name,
                 scope=scope.value)
    return token, secret


def tokens_of(user: User) -> list[AccessToken]:
    return list(db.session.scalars(select(AccessToken).where(AccessToken.user_id == user.id)
                                   .order_by(AccessToken.created_at.desc(),
                                             AccessToken.id.desc())))


def active_of(user: User) -> list[AccessToken]:
    now = utcnow()
    return [token for token in tokens_of(user) if token.revoked_at is None
            and token.expires_at > now]


def revoke(user: User, token_id: int) -> AccessToken:
    """Revoke one of the user's own tokens (someone else's does not exist for them)."""
    token = db.session.get(AccessToken, token_id)
    if token is None or token.user_id != user.id:
        raise DomainError(_l("There is no such token."), status=404)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(user.id, AuditAction.TOKEN_REVOKED, "user", user.id, name=token.name,
                     scope=token.scope.value)
    return token


def find(secret: str) -> AccessToken | None:
    """The token of a secret, usable or not (the caller tells expired from revoked)."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    return db.session.scalar(select(AccessToken).where(AccessToken.token_hash == digest(secret)))


def record_use(token: AccessToken, now: datetime) -> bool:
    """Note that the token was used, at most every few minutes (a conditional UPDATE, so
    that concurrent calls write once)."""
    if token.last_used_at is not None and now - token.last_used_at < USE_RECORDED_EVERY:
        return False
    result = db.session.execute(
        update(AccessToken).where(AccessToken.id == token.id,
                                  (AccessToken.last_used_at.is_(None))
                                  | (AccessToken.last_used_at < now - USE_RECORDED_EVERY))
        .values(last_used_at=now).execution_options(synchronize_session=False))
    return bool(result.rowcount)
