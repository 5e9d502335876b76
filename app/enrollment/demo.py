"""Demo enrollments: the demo participant has a profile and a seat in an upcoming programme."""

from __future__ import annotations

import contextlib

from sqlalchemy import select

from app.auth.services import find_user
from app.domain import DomainError
from app.enrollment import services
from app.enrollment.models import Sector
from app.extensions import db
from app.workshops.models import Programme

PROGRAMME = "online-workshop-on-mobile-phone-data-for-official-statistics"


def load() -> None:
    participant = find_user("participant@example.org")
    programme = db.session.scalar(select(Programme).where(Programme.slug == PROGRAMME))
    if participant is None or programme is None:
        return
    if services.profile_of(participant) is None:
        services.save_profile(participant, services.ProfileDetails(
            given_name="Priya", family_name="Participant", certificate_name=None,
            organization="National statistics office", sector=Sector.STATISTICS_OFFICE,
            country_code="CO", gender=None, gender_self_described=None,
            accessibility_needs=None, consent=True))
    if services.enrollment_of(participant, programme) is None:
        # Registration may have closed since the demo data was made: then there is nothing to do.
        with contextlib.suppress(DomainError):
            services.enroll(participant, programme)
