"""Rules for the Data Space registry. Functions take plain values and flush; callers commit."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload, selectinload

from app.database import free_slug
from app.dataspaces.models import (
    DataSpace,
    DataSpaceStatus,
    Institution,
    InstitutionKind,
    Node,
    PartnerRole,
    Partnership,
    Region,
    TeamMembership,
)
from app.errors import DomainError
from app.extensions import db
from app.multilingual import MultilingualText

#: Words that cannot be slugs because they are paths of their own.
RESERVED_SLUGS = frozenset({"new", "edit", "institutions"})


def list_dataspaces() -> list[DataSpace]:
    """All Data Spaces with their nodes and hosts, in region order, in a fixed number of queries."""
    query = select(DataSpace).options(
        selectinload(DataSpace.nodes).selectinload(Node.host),
    )
    spaces = db.session.scalars(query).all()
    order = list(Region)
    return sorted(spaces, key=lambda space: (order.index(space.region), space.slug))


def get_dataspace(slug: str) -> DataSpace | None:
    query = (
        select(DataSpace)
        .where(DataSpace.slug == slug)
        .options(
            selectinload(DataSpace.nodes).selectinload(Node.host),
            selectinload(DataSpace.partnerships).selectinload(Partnership.institution),
            selectinload(DataSpace.team).selectinload(TeamMembership.node),
        )
    )
    return db.session.scalars(query).first()


def dataspace_id(slug: str) -> int | None:
    return db.session.scalar(select(DataSpace.id).where(DataSpace.slug == slug))


def _check_slug_free(slug: str, *, current: DataSpace | None = None) -> None:
    if slug in RESERVED_SLUGS:
        raise DomainError(_l("This address is reserved; choose another."), field="slug")
    taken = db.session.scalar(select(DataSpace.id).where(DataSpace.slug == slug))
    if taken is not None and (current is None or taken != current.id):
        raise DomainError(_l("Another Data Space already uses this address."), field="slug")


def save_dataspace(
    space: DataSpace | None,
    *,
    slug: str,
    region: Region,
    name: Mapping[str, str],
    description: Mapping[str, str],
    status: DataSpaceStatus,
) -> DataSpace:
    """Create (``space=None``) or update a Data Space."""
    _check_slug_free(slug, current=space)
    if space is None:
        space = DataSpace()
        db.session.add(space)
    space.slug = slug
    space.region = region
    space.name = MultilingualText(name)
    space.description = MultilingualText(description)
    space.status = status
    db.session.flush()
    return space


def save_node(
    space: DataSpace,
    node: Node | None,
    *,
    slug: str,
    city: Mapping[str, str],
    country_code: str,
    time_zone: str,
    is_anchor: bool,
    host_id: int | None,
) -> Node:
    """Create or update a node; making it the anchor takes the flag from the previous anchor."""
    clash = db.session.scalar(
        select(Node.id).where(Node.dataspace_id == space.id, Node.slug == slug)
    )
    if clash is not None and (node is None or clash != node.id):
        raise DomainError(_l("This Data Space already has a node with this address."), field="slug")
    if host_id is not None and db.session.get(Institution, host_id) is None:
        raise DomainError(_l("Choose a host institution from the list."), field="host_id")
    if is_anchor:
        db.session.execute(
            update(Node)
            .where(Node.dataspace_id == space.id, Node.is_anchor.is_(True))
            .values(is_anchor=False)
            .execution_options(synchronize_session="fetch")
        )
    if node is None:
        node = Node(position=len(space.nodes))
        space.nodes.append(node)  # the Data Space's list knows its new node at once
    node.slug = slug
    node.city = MultilingualText(city)
    node.country_code = country_code
    node.time_zone = time_zone
    node.is_anchor = is_anchor
    node.host_id = host_id
    db.session.flush()
    return node


def list_institutions() -> list[Institution]:
    institutions = db.session.scalars(select(Institution)).all()
    return sorted(institutions, key=lambda inst: inst.name.get_text().casefold())


def save_institution(
    institution: Institution | None,
    *,
    name: Mapping[str, str],
    kind: InstitutionKind,
    country_code: str | None,
    website: str | None,
    slug: str | None = None,
) -> Institution:
    """Create (``institution=None``; its address from ``slug`` or else its name) or update."""
    if institution is None:
        institution = Institution(slug=_free_institution_slug({"en": slug} if slug else name))
        db.session.add(institution)
    institution.name = MultilingualText(name)
    institution.kind = kind
    institution.country_code = country_code or None
    institution.website = website or None
    db.session.flush()
    return institution


def _free_institution_slug(name: Mapping[str, str]) -> str:
    return free_slug(Institution.slug, name, "institution")


def add_partnership(space: DataSpace, institution_id: int, role: PartnerRole, *,
                    starts_on: date | None = None,
                    agreement_reference: str | None = None) -> Partnership:
    if db.session.get(Institution, institution_id) is None:
        raise DomainError(_l("Choose an institution from the list."), field="institution_id")
    exists = db.session.scalar(
        select(Partnership.id).where(
            Partnership.dataspace_id == space.id,
            Partnership.institution_id == institution_id,
            Partnership.role == role,
        )
    )
    if exists is not None:
        raise DomainError(_l("This institution already has this role here."), field="role")
    partnership = Partnership(dataspace=space, institution_id=institution_id, role=role,
                              starts_on=starts_on, agreement_reference=agreement_reference or None)
    db.session.add(partnership)
    db.session.flush()
    return partnership


def partners_in_several() -> list[tuple[Institution, list[DataSpace]]]:
    """Institutions that are partners of more than one Data Space, with those Data Spaces (by
    how many, then name): the network as a network. Two queries."""
    in_several = (select(Partnership.institution_id).group_by(Partnership.institution_id)
                  .having(func.count(func.distinct(Partnership.dataspace_id)) > 1))
    rows = db.session.scalars(
        select(Partnership).where(Partnership.institution_id.in_(in_several))
        .options(joinedload(Partnership.institution), joinedload(Partnership.dataspace))).all()
    spaces: dict[Institution, dict[int, DataSpace]] = {}
    for row in rows:
        spaces.setdefault(row.institution, {})[row.dataspace_id] = row.dataspace
    listed = [(institution, sorted(found.values(), key=lambda space: space.slug))
              for institution, found in spaces.items()]
    return sorted(listed, key=lambda item: (-len(item[1]), item[0].name.get_text().casefold()))


def partners_by_role(space: DataSpace) -> dict[PartnerRole, list[Partnership]]:
    """The Data Space's partnerships grouped by role, in the roles' order."""
    grouped = {role: [p for p in space.partnerships if p.role == role] for role in PartnerRole}
    return {role: found for role, found in grouped.items() if found}


def remove_partnership(space: DataSpace, partnership_id: int) -> None:
    partnership = db.session.get(Partnership, partnership_id)
    if partnership is None or partnership.dataspace_id != space.id:
        raise DomainError(_l("This partnership does not exist."))
    db.session.delete(partnership)
    db.session.flush()


def add_team_member(
    space: DataSpace,
    *,
    person_name: str,
    title: Mapping[str, str],
    email: str | None,
    node_id: int | None,
) -> TeamMembership:
    if node_id is not None and node_id not in {node.id for node in space.nodes}:
        raise DomainError(_l("Choose one of this Data Space's nodes."), field="node_id")
    member = TeamMembership(
        dataspace=space,
        person_name=person_name,
        title=MultilingualText(title),
        email=email or None,
        node_id=node_id,
    )
    db.session.add(member)
    db.session.flush()
    return member


def remove_team_member(space: DataSpace, membership_id: int) -> None:
    member = db.session.get(TeamMembership, membership_id)
    if member is None or member.dataspace_id != space.id:
        raise DomainError(_l("This team member does not exist."))
    db.session.delete(member)
    db.session.flush()
