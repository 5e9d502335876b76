"""A participant's own data: everything we hold about them, and erasing it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.audit import services as audit
from app.audit.models import AuditAction
from app.auth import services as accounts
from app.auth.models import User
from app.auth.signals import user_erased
from app.curriculum import services as curriculum
from app.enrollment import changes, lists, profiles
from app.enrollment.models import EnrollmentStatus
from app.errors import DomainError
from app.extensions import db


def export(user: User) -> dict:
    """Everything about the person, as plain values (the JSON download of their space)."""
    profile = profiles.profile_of(user)
    return {
        "account": {
            "email": user.email, "name": user.display_name,
            "preferred_language": user.preferred_language,
            "email_verified_at": user.email_verified_at, "created_at": user.created_at,
            "roles": sorted({grant.role.value for grant in user.grants}),
        },
        "profile": None if profile is None else {
            "given_name": profile.given_name, "family_name": profile.family_name,
            "certificate_name": profile.certificate_name, "organization": profile.organization,
            "sector": profile.sector.value, "country": profile.country_code,
            "gender": profile.gender.value if profile.gender else None,
            "gender_self_described": profile.gender_self_described,
            "accessibility_needs": profile.accessibility_needs,
            "consent_at": profile.consent_at,
            "consent_policy_version": profile.consent_policy_version,
        },
        "enrollments": [
            {"programme": e.programme.slug, "status": e.status.value,
             "registered_at": e.created_at, "motivation": e.motivation, "answers": e.answers,
             "decided_at": e.decided_at}
            for e in lists.enrollments_of(user)
        ],
        "sign_ins": [{"started_at": item.created_at, "browser": item.user_agent}
                     for item in accounts.sign_ins_of(user)],
        "reading_list": [entry.module_id for entry in curriculum.reading_list(user)],
    }


def erase(user: User, password: str) -> None:
    """Delete the account: personal data erased, the rest anonymized.

    Seats are released (the waiting list moves on); enrollments stay as anonymous rows so that
    figures (how many attended, from which sector and country) remain right, and certificates
    keep their own frozen copy of the name, so they stay verifiable.
    """
    if not accounts.check_password(user, password):
        raise DomainError(_l("The password is not correct."), field="password")
    for enrollment in lists.enrollments_of(user):
        if enrollment.status in (EnrollmentStatus.CONFIRMED, EnrollmentStatus.OFFERED,
                                 EnrollmentStatus.WAITLISTED, EnrollmentStatus.APPLIED):
            changes.force_cancel(enrollment)
        enrollment.motivation, enrollment.answers, enrollment.internal_note = None, {}, None
    profile = profiles.profile_of(user)
    if profile is not None:
        # Kept for aggregate figures only: sector, country, gender. Nothing names the person.
        profile.given_name, profile.family_name = "—", None
        profile.certificate_name, profile.organization = "—", None
        profile.gender_self_described = profile.accessibility_needs = None
    # Every other domain erases its own rows (reading list, calendar feeds, roles, sign-ins,
    # emails, audit details, the account itself).
    user_erased.send(user, email=user.email, names=(user.display_name,))
    audit.record(user.id, AuditAction.ACCOUNT_ERASED, "user", user.id)
    db.session.flush()

