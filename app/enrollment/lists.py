"""Enrollments as pages list them."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.enrollment.models import (
    Enrollment,
    EnrollmentStatus,
)
from app.extensions import db
from app.workshops.models import Programme


def enrollments_of(user: User) -> list[Enrollment]:
    return list(db.session.scalars(
        select(Enrollment).where(Enrollment.user_id == user.id)
        .order_by(Enrollment.created_at.desc())
        .options(selectinload(Enrollment.programme).selectinload(Programme.node))))


def status_counts(programme: Programme) -> dict[EnrollmentStatus, int]:
    return dict(db.session.execute(
        select(Enrollment.status, func.count()).where(Enrollment.programme_id == programme.id)
        .group_by(Enrollment.status)).all())


def confirmed_programme_ids(user: User) -> set[int]:
    return set(db.session.scalars(select(Enrollment.programme_id).where(
        Enrollment.user_id == user.id, Enrollment.status == EnrollmentStatus.CONFIRMED)))


def users_enrollments(user_ids: Iterable[int]) -> list[Enrollment]:
    return list(db.session.scalars(select(Enrollment).where(Enrollment.user_id.in_(user_ids))))


def confirmed(programme_id: int) -> list[Enrollment]:
    """The programme's confirmed participants in arrival order, with their accounts and
    profiles (the roster of a session)."""
    return list(db.session.scalars(
        select(Enrollment).where(Enrollment.programme_id == programme_id,
                                 Enrollment.status == EnrollmentStatus.CONFIRMED)
        .order_by(Enrollment.queue_number)
        .options(selectinload(Enrollment.user).selectinload(User.profile))))


def confirmed_ids(programme_id: int) -> set[int]:
    return set(db.session.scalars(select(Enrollment.id).where(
        Enrollment.programme_id == programme_id,
        Enrollment.status == EnrollmentStatus.CONFIRMED)))
