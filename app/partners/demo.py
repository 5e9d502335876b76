"""Demo expressions of interest (``app/demo/interests.toml``), made through the services and
moved along the pipeline by the demo coordinators. Loading twice changes nothing."""

from __future__ import annotations

from sqlalchemy import select

from app import demo
from app.auth.services import find_user
from app.dataspaces.models import DataSpace, InstitutionKind
from app.extensions import db
from app.partners import services
from app.partners.models import Interest, InterestStatus


def load() -> None:
    spaces = dict(db.session.execute(select(DataSpace.slug, DataSpace.id)).all())
    for entry in demo.read("interests")["interest"]:
        space_id = spaces.get(entry.get("dataspace"))
        if entry.get("dataspace") and space_id is None:
            continue  # the registry demo was not loaded
        if db.session.scalar(select(Interest.id).where(
                Interest.organisation_name == entry["organisation"])) is None:
            _create(entry, space_id, spaces)


def _create(entry: dict, space_id: int | None, spaces: dict[str, int]) -> None:
    interest = services.submit(services.InterestDetails(
        dataspace_id=space_id, organisation_name=entry["organisation"],
        organisation_kind=InstitutionKind(entry["kind"]), country_code=entry.get("country"),
        website=entry.get("website"), contact_name=entry["contact"],
        contact_role=entry.get("role"), contact_email=entry["email"], offers=entry["offers"],
        partner_dataspace_id=spaces.get(entry.get("partner")), message=entry["message"],
        languages=entry["languages"]), entry["language"])
    assignee = find_user(entry["assignee"]) if "assignee" in entry else None
    if assignee is None:
        return
    services.assign(interest, assignee.id, assignee)
    if "note" in entry:
        services.add_note(interest, entry["note"], assignee)
    if "status" in entry:
        services.move(interest, InterestStatus(entry["status"]), assignee)
