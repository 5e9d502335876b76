"""Demo registry (``app/demo/dataspaces.toml``): seven Data Spaces, their nodes, hosts,
partners and coordination teams, made through the services.

Loading twice changes nothing new: each row is looked up by its stable key (slug, or name within
a Data Space) first; institutions, Data Spaces and nodes are brought back to what the file says.
"""

from __future__ import annotations

from sqlalchemy import select

from app import demo
from app.dataspaces import services
from app.dataspaces.models import (
    DataSpace,
    DataSpaceStatus,
    Institution,
    InstitutionKind,
    Node,
    PartnerRole,
    Region,
)
from app.extensions import db


def load() -> None:
    data = demo.read("dataspaces")
    institutions = {entry["slug"]: _institution(entry) for entry in data["institution"]}
    for entry in data["dataspace"]:
        _dataspace(entry, institutions)


def _institution(entry: dict) -> Institution:
    existing = db.session.scalar(select(Institution).where(Institution.slug == entry["slug"]))
    return services.save_institution(
        existing, slug=entry["slug"], name=entry["name"], kind=InstitutionKind(entry["kind"]),
        country_code=entry.get("country"), website=entry.get("website"))


def _dataspace(entry: dict, institutions: dict[str, Institution]) -> None:
    space = services.save_dataspace(
        db.session.scalar(select(DataSpace).where(DataSpace.slug == entry["slug"])),
        slug=entry["slug"], region=Region(entry["region"]), name=entry["name"],
        description=entry["description"], status=DataSpaceStatus(entry["status"]))
    nodes = {}
    for position, node in enumerate(entry["node"]):
        nodes[node["slug"]] = services.save_node(
            space, db.session.scalar(select(Node).where(Node.dataspace_id == space.id,
                                                        Node.slug == node["slug"])),
            slug=node["slug"], city=node["city"], country_code=node["country"],
            time_zone=node["time_zone"], is_anchor=position == 0,
            host_id=institutions[node["host"]].id)
    partners = {(p.institution_id, p.role) for p in space.partnerships}
    for partner in entry["partner"]:
        key = (institutions[partner["institution"]].id, PartnerRole(partner["role"]))
        if key not in partners:
            services.add_partnership(space, *key)
            partners.add(key)
    members = {member.person_name for member in space.team}
    for member in entry["team"]:
        if member["person"] not in members:
            services.add_team_member(space, person_name=member["person"], title=member["title"],
                                     email=None, node_id=nodes[member["node"]].id)
