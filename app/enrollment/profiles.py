"""The participant's profile: what certificates, reports and coordinators know of them, and
their consent to the data-processing notice."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import User
from app.enrollment.models import (
    Gender,
    ParticipantProfile,
    Sector,
)
from app.errors import DomainError
from app.extensions import db
from app.timeutil import utcnow

#: The version of the data-processing notice people consent to.
POLICY_VERSION = "2026-11"


@dataclass(frozen=True)
class ProfileDetails:
    given_name: str
    family_name: str | None
    certificate_name: str | None
    organization: str | None
    sector: Sector
    country_code: str
    gender: Gender | None
    gender_self_described: str | None
    accessibility_needs: str | None
    consent: bool


def profile_of(user: User) -> ParticipantProfile | None:
    return db.session.scalar(
        select(ParticipantProfile).where(ParticipantProfile.user_id == user.id))


def save_profile(user: User, details: ProfileDetails) -> ParticipantProfile:
    if not details.consent:
        raise DomainError(_l("We need your consent to process your data before you enrol."),
                          field="consent")
    given = details.given_name.strip()
    if not given:
        raise DomainError(_l("Tell us your name."), field="given_name")
    family = (details.family_name or "").strip() or None
    profile = profile_of(user) or ParticipantProfile(user_id=user.id)
    profile.given_name, profile.family_name = given, family
    profile.certificate_name = (details.certificate_name or "").strip() or " ".join(
        part for part in (given, family) if part)
    profile.organization = (details.organization or "").strip() or None
    profile.sector, profile.country_code = details.sector, details.country_code
    profile.gender = details.gender
    profile.gender_self_described = (
        (details.gender_self_described or "").strip() or None
        if details.gender == Gender.SELF_DESCRIBED else None)
    profile.accessibility_needs = (details.accessibility_needs or "").strip() or None
    if profile.consent_policy_version != POLICY_VERSION:
        profile.consent_at, profile.consent_policy_version = utcnow(), POLICY_VERSION
    db.session.add(profile)
    if not user.display_name:
        user.display_name = profile.certificate_name
    db.session.flush()
    return profile
