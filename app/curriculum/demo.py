"""Demo teaching content (``app/demo/curriculum.toml`` and ``app/demo/modules/``): topics,
modules, curriculum templates and collections, made through the services.

The modules are written by the demo instructor (``instructor@example.org``). Without that account
(in production, where no demo accounts exist) only the topics are loaded: demo modules need an
author, and the curricula and collections need the modules. All text is invented; institutions
are described generically. Loading twice changes nothing: topics are looked up by slug, and a
module, curriculum or collection is created only while its slug is free.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from app import demo
from app.auth.services import find_user
from app.curriculum import services
from app.curriculum.models import Collection, Curriculum, Level, Module
from app.dataspaces.models import DataSpace
from app.extensions import db

INSTRUCTOR_EMAIL = "instructor@example.org"


def load() -> None:
    data = demo.read("curriculum")
    for topic in data["topic"]:
        services.save_topic(topic["slug"], topic["name"])
    author = find_user(INSTRUCTOR_EMAIL)
    if author is None:
        return  # demo modules need an author; without the demo accounts only the topics
    spaces = dict(db.session.execute(select(DataSpace.slug, DataSpace.id)).all())
    _load_modules(author, spaces)
    _load_lists(Curriculum, data["curriculum"], spaces, services.save_curriculum,
                services.add_to_curriculum, published=False)
    _load_lists(Collection, data["collection"], spaces, services.save_collection,
                services.add_to_collection, published=True)


def _existing_slugs(model) -> set[str]:
    return set(db.session.scalars(select(model.slug)))


def _load_modules(author, spaces: dict[str, int]) -> None:
    existing = _existing_slugs(Module)
    for entry in demo.modules():
        if entry["slug"] in existing:
            continue
        module = services.create_module(
            services.ModuleContent(
                title=entry["title"], summary=entry["summary"], body=entry["body"],
                learning_outcomes=entry["outcomes"], level=Level(entry["level"]),
                duration_hours=Decimal(entry["hours"]), licence=entry["licence"],
                topic_slugs=tuple(entry["topics"]), dataspace_id=spaces.get(entry.get("dataspace"))),
            author, slug=entry["slug"])
        if entry["publish"]:
            services.publish_module(module)


def _modules_ready(slugs: list[str], *, published: bool) -> bool:
    found = {m.slug: m for m in db.session.scalars(select(Module).where(Module.slug.in_(slugs)))}
    return all(slug in found and (found[slug].is_published or not published) for slug in slugs)


def _load_lists(model, entries: list[dict], spaces: dict[str, int], save, add, *,
                published: bool) -> None:
    """Curricula or collections: each made once, with its modules in teaching order."""
    existing = _existing_slugs(model)
    for entry in entries:
        if entry["slug"] in existing or not _modules_ready(entry["modules"], published=published):
            continue
        owner = save(None, title=entry["title"], description=entry["description"],
                     dataspace_id=spaces.get(entry.get("dataspace")), slug=entry["slug"])
        for module_slug in entry["modules"]:
            add(owner, module_slug)
