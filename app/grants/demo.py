"""Demo grants (``app/demo/grants.toml``), made through the services: the 2016-17 training
grant of the domain brief, its targets and the programmes it funds. Loading twice changes
nothing: a grant is made once, while its slug is free."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from app import demo
from app.curriculum.models import Module
from app.dataspaces.models import DataSpace, Institution
from app.extensions import db
from app.grants import services
from app.grants.models import DeliverableStatus, Grant, TargetBound, TargetMeasure
from app.workshops.models import Programme


def load() -> None:
    for entry in demo.read("grants")["grant"]:
        if db.session.scalar(select(Grant.id).where(Grant.slug == entry["slug"])) is None:
            _create(entry)


def _ids(model, slugs: list[str]) -> tuple[int, ...]:
    found = dict(db.session.execute(select(model.slug, model.id).where(model.slug.in_(slugs))).all())
    return tuple(found[slug] for slug in slugs if slug in found)


def _create(entry: dict) -> None:
    spaces = _ids(DataSpace, entry["dataspaces"])
    funders = _ids(Institution, entry["funders"])
    if not spaces or not funders:
        return  # the registry demo was not loaded
    grant = services.save_grant(None, services.GrantDetails(
        title=entry["title"], description=entry.get("description", {}),
        reference=entry.get("reference"), starts_on=entry["starts_on"],
        ends_on=entry["ends_on"], amount=Decimal(entry["amount"]) if "amount" in entry else None,
        currency=entry.get("currency"), dataspace_ids=spaces, funder_ids=funders,
        partner_ids=_ids(Institution, entry.get("partners", [])),
        public=entry.get("public", False)), allowed_dataspace_ids=None, slug=entry["slug"])
    for target in entry.get("target", []):
        made = services.add_target(grant, services.TargetDetails(
            measure=TargetMeasure(target["measure"]), bound=TargetBound(target["bound"]),
            value=target.get("value", 0), programme_kind=target.get("programme_kind"),
            languages=tuple(target.get("languages", ())), label=target.get("label")))
        if "status" in target:
            services.set_deliverable_status(grant, made.id, DeliverableStatus(target["status"]))
    for programme_id in _ids(Programme, entry.get("programmes", [])):
        services.fund_programme(grant, programme_id)
    for module_slug in entry.get("modules", []):
        if db.session.scalar(select(Module.id).where(Module.slug == module_slug)):
            services.fund_module(grant, module_slug)
