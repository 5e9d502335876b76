"""People who sign in, and the roles they hold."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import LabelledEnum, TimestampMixin, UTCDateTime, enum_column
from app.dataspaces.models import DataSpace
from app.extensions import db
from app.timeutil import utcnow


class Role(LabelledEnum):
    PARTICIPANT = "participant"
    INSTRUCTOR = "instructor"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


Role.LABELS = {
    "participant": _l("Participant"),
    "instructor": _l("Instructor"),
    "coordinator": _l("Coordinator"),
    "admin": _l("Administrator"),
}


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    preferred_language: Mapped[str | None] = mapped_column(String(8))
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    active: Mapped[bool] = mapped_column(default=True)

    grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login: inactive accounts cannot sign in
        return self.active

    def has_role(self, role: Role) -> bool:
        return any(grant.role == role for grant in self.grants)

    @property
    def is_admin(self) -> bool:
        return self.has_role(Role.ADMIN)

    def coordinated_dataspace_ids(self) -> set[int]:
        return {
            grant.dataspace_id
            for grant in self.grants
            if grant.role == Role.COORDINATOR and grant.dataspace_id is not None
        }


class RoleGrant(TimestampMixin, db.Model):
    """A role held by a user; a coordinator grant is scoped to one Data Space."""

    __tablename__ = "role_grants"
    __table_args__ = (UniqueConstraint("user_id", "role", "dataspace_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    dataspace_id: Mapped[int | None] = mapped_column(
        ForeignKey("dataspaces.id", ondelete="CASCADE")
    )

    user: Mapped[User] = relationship(back_populates="grants")
    dataspace: Mapped[DataSpace | None] = relationship()


class SignIn(db.Model):
    """One signed-in browser. Its session cookie holds a random token, the database only the
    token's hash: ending the sign-in (sign-out, a new password, "sign out everywhere", a role
    removed) ends that session wherever its cookie was copied to."""

    __tablename__ = "sign_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: The browser, as it named itself, so that a person can tell their sign-ins apart.
    user_agent: Mapped[str] = mapped_column(String(200), default="")
