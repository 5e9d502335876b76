"""The rules of grants: what a grant may hold, the targets it may set, the programmes it may
fund. Functions flush; callers commit."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.curriculum.models import Module
from app.database import free_slug
from app.dataspaces.models import DataSpace, Institution
from app.errors import DomainError
from app.extensions import db
from app.grants.models import (
    DeliverableStatus,
    Grant,
    GrantPartner,
    GrantRole,
    GrantTarget,
    TargetBound,
    TargetMeasure,
)
from app.guards import MAX_NUMBER
from app.multilingual import CONTENT_LANGUAGES, MultilingualText
from app.workshops.models import Programme, ProgrammeKind

#: No target of this network counts higher (10,000 programmes or people per grant is already
#: far beyond any plan): a larger number is a typing mistake.
MAX_TARGET = 100_000
MAX_AMOUNT = Decimal("1000000000000")
CURRENCY = re.compile(r"^[A-Z]{3}$")


def list_grants(dataspace_ids: set[int] | None) -> list[Grant]:
    """Grants covering any of these Data Spaces (``None``: all), newest first."""
    query = select(Grant).order_by(Grant.starts_on.desc(), Grant.id.desc()).options(
        selectinload(Grant.dataspaces),
        selectinload(Grant.partners).selectinload(GrantPartner.institution))
    if dataspace_ids is not None:
        query = query.where(Grant.dataspaces.any(DataSpace.id.in_(dataspace_ids)))
    return list(db.session.scalars(query))


def get_grant(slug: str) -> Grant | None:
    return db.session.scalar(select(Grant).where(Grant.slug == slug).options(
        selectinload(Grant.dataspaces), selectinload(Grant.targets),
        selectinload(Grant.partners).selectinload(GrantPartner.institution),
        selectinload(Grant.programmes).selectinload(Programme.node),
        selectinload(Grant.modules)))


@dataclass(frozen=True)
class GrantDetails:
    """What a coordinator edits in a grant."""

    title: Mapping[str, str]
    description: Mapping[str, str]
    reference: str | None
    starts_on: date
    ends_on: date
    amount: Decimal | None
    currency: str | None
    dataspace_ids: tuple[int, ...]
    funder_ids: tuple[int, ...]
    partner_ids: tuple[int, ...]
    public: bool = False


def save_grant(grant: Grant | None, details: GrantDetails, *,
               allowed_dataspace_ids: set[int] | None, slug: str | None = None) -> Grant:
    """Create (``grant=None``) or update a grant. ``allowed_dataspace_ids``: the Data Spaces the
    person saving it may cover (``None``: any, for admins)."""
    _check_details(details, allowed_dataspace_ids)
    if grant is None:
        grant = Grant(slug=free_slug(Grant.slug, {"en": slug} if slug else details.title,
                                     "grant", frozenset({"new"})))
        db.session.add(grant)
    grant.title = MultilingualText(details.title)
    grant.description = MultilingualText(details.description)
    grant.reference = (details.reference or "").strip() or None
    grant.starts_on, grant.ends_on = details.starts_on, details.ends_on
    grant.amount, grant.currency = details.amount, details.currency or None
    grant.public = details.public
    grant.dataspaces = list(db.session.scalars(
        select(DataSpace).where(DataSpace.id.in_(details.dataspace_ids))))
    grant.partners = [*_partners(grant, details.funder_ids, GrantRole.FUNDER),
                      *_partners(grant, details.partner_ids, GrantRole.IMPLEMENTING)]
    db.session.flush()
    return grant


def _check_details(details: GrantDetails, allowed: set[int] | None) -> None:
    if details.ends_on < details.starts_on:
        raise DomainError(_l("The grant cannot end before it starts."), field="ends_on",
                          status=422)
    if details.amount is not None and (not details.amount.is_finite()
                                       or not Decimal(0) <= details.amount < MAX_AMOUNT):
        raise DomainError(_l("Enter an amount of zero or more."), field="amount", status=422)
    if details.currency and not CURRENCY.match(details.currency):
        raise DomainError(_l("Enter the currency as its three-letter code (USD, EUR, COP…)."),
                          field="currency", status=422)
    if details.amount is not None and not details.currency:
        raise DomainError(_l("Say in which currency the amount is."), field="currency",
                          status=422)
    if not details.dataspace_ids:
        raise DomainError(_l("Choose the Data Spaces the grant covers."), field="dataspace_ids",
                          status=422)
    if allowed is not None and not set(details.dataspace_ids) <= allowed:
        raise DomainError(_l("You may only cover the Data Spaces you coordinate."),
                          field="dataspace_ids", status=422)
    known = set(db.session.scalars(select(Institution.id).where(
        Institution.id.in_([*details.funder_ids, *details.partner_ids]))))
    if not details.funder_ids:
        raise DomainError(_l("Choose at least one funder."), field="funder_ids", status=422)
    if not {*details.funder_ids, *details.partner_ids} <= known:
        raise DomainError(_l("Choose institutions from the list."), field="funder_ids",
                          status=422)


def _partners(grant: Grant, institution_ids: Iterable[int], role: GrantRole):
    kept = {(p.institution_id, p.role): p for p in grant.partners}
    for institution_id in dict.fromkeys(institution_ids):
        yield kept.get((institution_id, role)) or GrantPartner(institution_id=institution_id,
                                                               role=role)


# --- targets ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetDetails:
    measure: TargetMeasure
    bound: TargetBound
    value: int
    programme_kind: str | None = None
    languages: tuple[str, ...] = ()
    label: Mapping[str, str] | None = None


def add_target(grant: Grant, details: TargetDetails) -> GrantTarget:
    _check_target(details)
    deliverable = details.measure == TargetMeasure.DELIVERABLE
    target = GrantTarget(
        grant=grant, measure=details.measure, bound=details.bound,
        value=1 if deliverable else details.value,
        programme_kind=details.programme_kind or None,
        languages_csv=",".join(details.languages) or None,
        label=MultilingualText(details.label or {}),
        status=DeliverableStatus.PLANNED if deliverable else None,
        position=len(grant.targets))
    db.session.add(target)
    db.session.flush()
    return target


def _check_target(details: TargetDetails) -> None:
    measure = details.measure
    if measure == TargetMeasure.WOMEN_SHARE and not 0 <= details.value <= 100:
        raise DomainError(_l("A share is a percentage from 0 to 100."), field="value",
                          status=422)
    if measure != TargetMeasure.DELIVERABLE and not 0 < details.value <= MAX_TARGET:
        raise DomainError(_l("Enter a number from 1 to %(max)s.", max=format_decimal(MAX_TARGET)),
                          field="value", status=422)
    if details.programme_kind and details.programme_kind not in set(ProgrammeKind):
        raise DomainError(_l("Choose a kind of programme from the list."),
                          field="programme_kind", status=422)
    if measure == TargetMeasure.LANGUAGES and (
            not details.languages or not set(details.languages) <= set(CONTENT_LANGUAGES)):
        raise DomainError(_l("Choose the languages the programmes must be taught in."),
                          field="languages", status=422)
    if measure == TargetMeasure.DELIVERABLE and not (details.label or {}).get("en", "").strip():
        raise DomainError(_l("Name the deliverable (in English at least)."), field="label",
                          status=422)


def _target_of(grant: Grant, target_id: int) -> GrantTarget:
    target = next((t for t in grant.targets if t.id == target_id), None)
    if target is None:
        raise DomainError(_l("This target does not exist."), status=404)
    return target


def set_deliverable_status(grant: Grant, target_id: int, status: DeliverableStatus) -> None:
    target = _target_of(grant, target_id)
    if target.measure != TargetMeasure.DELIVERABLE:
        raise DomainError(_l("Only a named deliverable has a status."), status=422)
    target.status = status
    db.session.flush()


def remove_target(grant: Grant, target_id: int) -> None:
    grant.targets.remove(_target_of(grant, target_id))
    db.session.flush()


# --- the programmes a grant funds --------------------------------------------------------------


def fund_programme(grant: Grant, programme_id: int) -> None:
    programme = db.session.get(Programme, programme_id) if 0 < programme_id <= MAX_NUMBER \
        else None
    if programme is None:
        raise DomainError(_l("Choose a programme from the list."), field="programme",
                          status=422)
    if programme.dataspace_id not in grant.dataspace_ids:
        raise DomainError(_l("This programme is not held by a Data Space the grant covers."),
                          field="programme", status=422)
    if programme not in grant.programmes:
        grant.programmes.append(programme)
    db.session.flush()


def stop_funding(grant: Grant, programme_id: int) -> None:
    programme = next((p for p in grant.programmes if p.id == programme_id), None)
    if programme is None:
        raise DomainError(_l("The grant does not fund this programme."), status=404)
    grant.programmes.remove(programme)
    db.session.flush()


def fund_module(grant: Grant, module_slug: str) -> None:
    """A knowledge module the grant paid for (the content of its platform deliverable)."""
    module = db.session.scalar(select(Module).where(Module.slug == (module_slug or "")[:80]))
    if module is None:
        raise DomainError(_l("Choose a module from the list."), field="module", status=422)
    if module.dataspace_id is not None and module.dataspace_id not in grant.dataspace_ids:
        raise DomainError(_l("This module belongs to a Data Space the grant does not cover."),
                          field="module", status=422)
    if module not in grant.modules:
        grant.modules.append(module)
    db.session.flush()


def stop_funding_module(grant: Grant, module_id: int) -> None:
    module = next((m for m in grant.modules if m.id == module_id), None)
    if module is None:
        raise DomainError(_l("The grant does not fund this module."), status=404)
    grant.modules.remove(module)
    db.session.flush()


def fundable_modules(grant: Grant) -> list[Module]:
    """Network-wide modules and those of the grant's Data Spaces it does not fund yet."""
    funded = {m.id for m in grant.modules}
    return [m for m in db.session.scalars(select(Module).where(
        (Module.dataspace_id.is_(None)) | Module.dataspace_id.in_(grant.dataspace_ids))
        .order_by(Module.slug)) if m.id not in funded]


def fundable_programmes(grant: Grant) -> list[Programme]:
    """Programmes of the grant's Data Spaces it does not fund yet, for the form's list."""
    funded = {p.id for p in grant.programmes}
    return [p for p in db.session.scalars(
        select(Programme).where(Programme.dataspace_id.in_(grant.dataspace_ids))
        .order_by(Programme.start_date.desc())) if p.id not in funded]
