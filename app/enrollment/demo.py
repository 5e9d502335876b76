"""Demo participants (``app/demo/people.toml``): invented people of every region, with names
in the scripts they write them in, and their profiles, made through the services. The demo
participant account also gets a seat in an upcoming programme. ``app/site/demo.py`` enrols the
others, past and upcoming."""

from __future__ import annotations

import contextlib

from sqlalchemy import select

from app import demo
from app.auth import demo as auth_demo
from app.auth.models import User
from app.auth.services import find_user
from app.enrollment import profiles, seats
from app.enrollment.models import Gender, Sector
from app.errors import DomainError
from app.extensions import db
from app.workshops.models import Programme


def _profile(entry: dict) -> profiles.ProfileDetails:
    return profiles.ProfileDetails(
        given_name=entry["given_name"], family_name=entry.get("family_name"),
        certificate_name=entry.get("certificate_name"), organization=entry.get("organization"),
        sector=Sector(entry["sector"]), country_code=entry["country"],
        gender=Gender(entry["gender"]) if "gender" in entry else None,
        gender_self_described=None, accessibility_needs=None, consent=True)


def people() -> list[User]:
    """The demo participants, with their accounts and profiles (made once)."""
    found = []
    for entry in demo.read("people")["person"]:
        name = entry.get("certificate_name") or f"{entry['given_name']} {entry['family_name']}"
        user = auth_demo.account(entry["email"], name, entry["language"])
        if profiles.profile_of(user) is None:
            profiles.save_profile(user, _profile(entry))
        found.append(user)
    return found


def load() -> None:
    entry = demo.read("people")["participant"]
    participant = find_user("participant@example.org")
    programme = db.session.scalar(select(Programme).where(Programme.slug == entry["programme"]))
    if participant is None or programme is None:
        return
    if profiles.profile_of(participant) is None:
        profiles.save_profile(participant, _profile(entry))
    if seats.enrollment_of(participant, programme) is None:
        # Registration may have closed since the demo data was made: then there is nothing to do.
        with contextlib.suppress(DomainError):
            seats.enroll(participant, programme)
