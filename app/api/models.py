"""Personal access tokens: how a program acts for a person through the API."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.database import LabelledEnum, UTCDateTime, enum_column
from app.extensions import db
from app.timeutil import utcnow


class TokenScope(LabelledEnum):
    """What a token may do, each scope including the ones before it."""

    READ = "read"
    ENROLLMENT = "enrollment"
    COORDINATOR = "coordinator"

    def allows(self, needed: TokenScope) -> bool:
        order = list(TokenScope)
        return order.index(self) >= order.index(needed)


TokenScope.LABELS = {
    "read": _l("Read only: public data and your own enrollments"),
    "enrollment": _l("Enrollment: also cancel your own enrollments"),
    "coordinator": _l("Coordinator: also rosters, attendance and reports of your Data Spaces"),
}


class AccessToken(db.Model):
    """A token its owner named and scoped. Only a SHA-256 digest of the secret is kept: the
    secret is random (256 bits), so a slow password hash would add nothing but latency."""

    __tablename__ = "access_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    scope: Mapped[TokenScope] = mapped_column(enum_column(TokenScope, "token_scope"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The first characters of the secret, shown so that its owner recognises it.
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(lazy="joined")

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at and self.user.is_active
