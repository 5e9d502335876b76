"""Rules for teaching content. Functions take plain values and flush; callers commit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from app import storage
from app.auth import services as accounts
from app.auth.models import User
from app.curriculum import search
from app.curriculum.models import (
    LICENCES,
    Collection,
    CollectionItem,
    Curriculum,
    CurriculumItem,
    Level,
    Material,
    Module,
    ModuleRevision,
    ModuleStatus,
    ReadingListEntry,
    Topic,
)
from app.curriculum.uploads import CheckedFile
from app.database import free_slug
from app.errors import DomainError
from app.extensions import db
from app.multilingual import MultilingualText
from app.pagination import CountedPage, Pagination, page_of
from app.timeutil import utcnow

#: The fields whose change makes a new revision of a module.
CONTENT_FIELDS = ("title", "summary", "body", "learning_outcomes", "duration_hours")
PAGE_SIZE = 20


# --- topics ------------------------------------------------------------------------------


def list_topics() -> list[Topic]:
    return sorted(db.session.scalars(select(Topic)), key=lambda t: t.name.get_text().casefold())


def save_topic(slug: str, name: Mapping[str, str]) -> Topic:
    """Create or rename a topic of the catalogue (the network's fixed list)."""
    topic = db.session.scalar(select(Topic).where(Topic.slug == slug))
    if topic is None:
        topic = Topic(slug=slug)
        db.session.add(topic)
    topic.name = MultilingualText(name)
    db.session.flush()
    return topic


def topics_by_slug(slugs: Iterable[str]) -> list[Topic]:
    slugs = set(slugs)
    found = list(db.session.scalars(select(Topic).where(Topic.slug.in_(slugs)))) if slugs else []
    if len(found) != len(slugs):
        raise DomainError(_l("Choose topics from the list."), field="topics")
    return found


# --- modules -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ModuleContent:
    """What an author edits in a module."""

    title: Mapping[str, str]
    summary: Mapping[str, str]
    body: Mapping[str, str]
    learning_outcomes: Mapping[str, str]
    level: Level
    duration_hours: Decimal
    licence: str
    topic_slugs: tuple[str, ...]
    dataspace_id: int | None
    #: Instructor accounts who wrote it (besides whoever creates it).
    author_ids: tuple[int, ...] = ()


def get_module(slug: str) -> Module | None:
    return db.session.scalars(
        select(Module)
        .where(Module.slug == slug)
        .options(
            selectinload(Module.topics),
            selectinload(Module.authors),
            selectinload(Module.materials),
            selectinload(Module.dataspace),
        )
    ).first()


def create_module(content: ModuleContent, author: User, *, slug: str | None = None) -> Module:
    module = Module(slug=_free_slug(Module, content.title, slug), revision=1,
                    status=ModuleStatus.DRAFT)
    module.authors.append(author)
    db.session.add(module)
    _apply_content(module, content)
    db.session.flush()
    _snapshot(module, author)
    return module


def update_module(module: Module, content: ModuleContent, editor: User) -> Module:
    """Save new content; a change of the teaching content raises the revision."""
    before = {name: getattr(module, name) for name in CONTENT_FIELDS}
    _apply_content(module, content)
    after = {name: getattr(module, name) for name in CONTENT_FIELDS}
    if before != after:
        module.revision += 1
        _snapshot(module, editor)
    db.session.flush()
    if module.is_published:
        _reindex(module)
    return module


def _apply_content(module: Module, content: ModuleContent) -> None:
    if content.licence not in LICENCES:
        raise DomainError(_l("Choose a licence from the list."), field="licence")
    if not Decimal("0.5") <= content.duration_hours <= Decimal("500"):
        raise DomainError(
            _l("The duration must be between 0.5 and 500 hours."), field="duration_hours"
        )
    module.title = MultilingualText(content.title)
    module.summary = MultilingualText(content.summary)
    module.body = MultilingualText(content.body)
    module.learning_outcomes = MultilingualText(content.learning_outcomes)
    module.level = content.level
    module.duration_hours = Decimal(content.duration_hours).quantize(Decimal("0.1"))
    module.licence = content.licence
    module.topics = topics_by_slug(content.topic_slugs)
    module.dataspace_id = content.dataspace_id
    if content.author_ids:
        module.authors = _authors(content.author_ids, keep=module.authors if module.id is None
                                  else [])


def _authors(user_ids: tuple[int, ...], keep: list[User]) -> list[User]:
    """Instructor accounts only; ``keep`` (the creator) stays an author."""
    allowed = {user.id: user for user in accounts.instructors()}
    if not set(user_ids) <= set(allowed):
        raise DomainError(_l("Authors must be instructor accounts."), field="author_ids")
    chosen = [allowed[user_id] for user_id in dict.fromkeys(user_ids)]
    return [*keep, *(user for user in chosen if user not in keep)]


def _snapshot(module: Module, user: User | None) -> None:
    db.session.add(
        ModuleRevision(
            module_id=module.id,
            revision=module.revision,
            title=module.title,
            summary=module.summary,
            body=module.body,
            learning_outcomes=module.learning_outcomes,
            duration_hours=module.duration_hours,
            created_by_id=user.id if user else None,
        )
    )


def get_revision(module: Module, revision: int) -> ModuleRevision | None:
    return db.session.scalar(
        select(ModuleRevision).where(
            ModuleRevision.module_id == module.id, ModuleRevision.revision == revision
        )
    )


def publish_module(module: Module) -> None:
    if module.is_published:
        raise DomainError(_l("This module is already published."))
    module.status = ModuleStatus.PUBLISHED
    module.published_at = module.published_at or utcnow()
    db.session.flush()
    _reindex(module)


def unpublish_module(module: Module) -> None:
    if not module.is_published:
        raise DomainError(_l("This module is not published."))
    module.status = ModuleStatus.DRAFT
    db.session.flush()
    search.remove_module(module.id)


def _reindex(module: Module) -> None:
    search.index_module(
        module.id,
        {
            "title": module.title,
            "summary": module.summary,
            "body": MultilingualText(
                {
                    lang: f"{module.body.get(lang, '')}\n{module.learning_outcomes.get(lang, '')}"
                    for lang in module.title.languages
                }
            ),
        },
    )


def _free_slug(model, title: Mapping[str, str], wanted: str | None = None) -> str:
    """An address from ``wanted`` when one is asked for (the demo data names its own), else
    from the title; the same rule either way."""
    return free_slug(model.slug, {"en": wanted} if wanted else title, "item")


# --- materials ---------------------------------------------------------------------------


def add_link(module: Module, title: str, url: str) -> Material:
    if not url.lower().startswith(("https://", "http://")):
        raise DomainError(_l("Enter a full web address starting with https://"), field="url")
    material = Material(module=module, title=title, url=url, position=len(module.materials))
    db.session.add(material)
    db.session.flush()
    return material


def add_file(module: Module, title: str, upload: CheckedFile) -> Material:
    stored = storage.store(upload.data, upload.content_type)
    material = Material(
        module=module,
        title=title or upload.name,
        file=stored,
        file_name=upload.name,
        file_size=upload.size,
        content_type=upload.content_type,
        position=len(module.materials),
    )
    db.session.add(material)
    db.session.flush()
    return material


def remove_material(module: Module, material_id: int) -> None:
    material = next((m for m in module.materials if m.id == material_id), None)
    if material is None:
        raise DomainError(_l("This material does not exist."))
    file_id = material.file_id
    module.materials.remove(material)
    db.session.flush()
    storage.discard(file_id)


def material_file(material_id: int) -> tuple[Material, storage.StoredFile] | None:
    material = db.session.get(Material, material_id)
    if material is None or material.file_id is None:
        return None
    return material, storage.get(material.file_id)


# --- the catalogue -----------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueQuery:
    text: str = ""
    topic: str | None = None
    level: Level | None = None
    language: str | None = None
    dataspace_id: int | None = None
    page: int = 1


def catalogue(query: CatalogueQuery, reader_language: str) -> Pagination:
    """Published modules matching the query, best match first, one page at a time.

    Runs the same number of statements whatever the number of modules: a count, a page of
    modules, and one batch for their topics.
    """
    statement = published_modules(query)
    order = [Module.published_at.desc(), Module.id.desc()]
    matched = search.matches(query.text, reader_language) if query.text.strip() else None
    if query.text.strip() and matched is None:
        return CountedPage(page=1, per_page=PAGE_SIZE, items=[], total=0)
    if matched is not None:
        statement = statement.join(matched, matched.c.module_id == Module.id)
        order = [matched.c.score.desc(), *order]

    statement = statement.order_by(*order).options(selectinload(Module.topics))
    if matched is None:
        return page_of(statement, query.page, PAGE_SIZE)
    # A search runs once: the page and the total come from one statement (a window count).
    page = max(query.page, 1)
    rows = db.session.execute(
        statement.add_columns(func.count().over().label("total"))
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    return CountedPage(page=page, per_page=PAGE_SIZE, items=[row[0] for row in rows],
                       total=rows[0].total if rows else 0)


def published_modules(query: CatalogueQuery):
    """The published modules the catalogue's filters (all but the text) select, unordered."""
    statement = select(Module).where(Module.status == ModuleStatus.PUBLISHED)
    if query.topic:
        statement = statement.where(Module.topics.any(Topic.slug == query.topic))
    if query.level:
        statement = statement.where(Module.level == query.level)
    if query.language:
        statement = statement.where(Module.id.in_(search.available_in(query.language)))
    if query.dataspace_id:
        statement = statement.where(Module.dataspace_id == query.dataspace_id)
    return statement


def visible_collections(dataspace_id: int | None = None) -> list[Collection]:
    statement = select(Collection).order_by(Collection.dataspace_id.is_not(None), Collection.id)
    if dataspace_id:
        statement = statement.where(Collection.dataspace_id == dataspace_id)
    return list(db.session.scalars(statement))


# --- collections -------------------------------------------------------------------------


def get_collection(slug: str) -> Collection | None:
    return db.session.scalars(
        select(Collection)
        .where(Collection.slug == slug)
        .options(
            selectinload(Collection.items)
            .selectinload(CollectionItem.module)
            .selectinload(Module.topics)
        )
    ).first()


def save_collection(
    collection: Collection | None, *, title, description, dataspace_id: int | None,
    slug: str | None = None,
) -> Collection:
    return _save_list(Collection, collection, title, description, dataspace_id, slug)


def add_to_collection(collection: Collection, module_slug: str) -> CollectionItem:
    """Collections show the public published modules only."""
    return _add_module(collection, CollectionItem, module_slug, published_only=True)


def remove_from_collection(collection: Collection, item_id: int) -> None:
    _remove_item(collection.items, item_id)


# --- curricula ---------------------------------------------------------------------------


def list_curricula() -> list[Curriculum]:
    return list(
        db.session.scalars(
            select(Curriculum)
            .where(Curriculum.is_template.is_(True))
            .order_by(Curriculum.id)
            .options(selectinload(Curriculum.items).selectinload(CurriculumItem.module))
        )
    )


def get_curriculum(slug: str) -> Curriculum | None:
    return db.session.scalars(
        select(Curriculum)
        .where(Curriculum.slug == slug)
        .options(
            selectinload(Curriculum.items)
            .selectinload(CurriculumItem.module)
            .selectinload(Module.topics)
        )
    ).first()


def save_curriculum(
    curriculum: Curriculum | None, *, title, description, dataspace_id: int | None,
    slug: str | None = None,
) -> Curriculum:
    return _save_list(Curriculum, curriculum, title, description, dataspace_id, slug)


def add_to_curriculum(curriculum: Curriculum, module_slug: str) -> CurriculumItem:
    """Curricula may plan drafts that are still being written."""
    return _add_module(curriculum, CurriculumItem, module_slug, published_only=False)


def remove_from_curriculum(curriculum: Curriculum, item_id: int) -> None:
    _remove_item(curriculum.items, item_id)


def _save_list(model, owner, title, description, dataspace_id: int | None,
               slug: str | None = None):
    """Create or update a collection or curriculum (the two ordered lists of modules)."""
    if owner is None:
        owner = model(slug=_free_slug(model, title, slug))
        db.session.add(owner)
    owner.title = MultilingualText(title)
    owner.description = MultilingualText(description)
    owner.dataspace_id = dataspace_id
    db.session.flush()
    return owner


def _add_module(owner, item_class, module_slug: str, *, published_only: bool):
    """Append a module to a collection's or curriculum's ``items``, once."""
    module = db.session.scalar(select(Module).where(Module.slug == module_slug))
    if module is None or (published_only and not module.is_published):
        raise DomainError(_l("Choose a published module.") if published_only
                          else _l("Choose a module from the list."), field="module")
    if any(existing.module_id == module.id for existing in owner.items):
        raise DomainError(_l("This module is already in the list."), field="module")
    item = item_class(module=module, position=len(owner.items))
    owner.items.append(item)
    db.session.flush()
    return item


def reorder(items: list, item_ids: list[int]) -> None:
    """Put ``items`` (a curriculum's or collection's) in the order of ``item_ids``, which must
    name each of them exactly once."""
    current = {item.id: item for item in items}
    if sorted(item_ids) != sorted(current):
        raise DomainError(_l("The new order must list each item of this list exactly once."))
    for position, item_id in enumerate(item_ids):
        current[item_id].position = position
    items.sort(key=lambda item: item.position)
    db.session.flush()


def _remove_item(items: list, item_id: int) -> None:
    item = next((i for i in items if i.id == item_id), None)
    if item is None:
        raise DomainError(_l("This item is not in the list."))
    items.remove(item)
    for position, remaining in enumerate(items):
        remaining.position = position
    db.session.flush()


def clone_curriculum(
    source: Curriculum, *, title=None, dataspace_id: int | None = None, template: bool = True
) -> Curriculum:
    """A copy to customize (for one programme, say); the original does not change."""
    title = (
        MultilingualText(title)
        if title
        else MultilingualText(
            {
                lang: f"{text} (copy)" if lang == "en" else text
                for lang, text in source.title.items()
            }
        )
    )
    copy = Curriculum(
        slug=_free_slug(Curriculum, title),
        title=title,
        description=source.description,
        dataspace_id=dataspace_id if dataspace_id is not None else source.dataspace_id,
        based_on=source,
        is_template=template,
    )
    copy.items = [
        CurriculumItem(module_id=item.module_id, position=item.position) for item in source.items
    ]
    db.session.add(copy)
    db.session.flush()
    return copy


# --- reading list ------------------------------------------------------------------------


def toggle_saved(user: User, module: Module) -> bool:
    """Save the module to the user's reading list, or remove it; returns whether it is saved."""
    entry = db.session.scalar(
        select(ReadingListEntry).where(
            ReadingListEntry.user_id == user.id, ReadingListEntry.module_id == module.id
        )
    )
    if entry is not None:
        db.session.delete(entry)
        db.session.flush()
        return False
    if not module.is_published:
        raise DomainError(_l("Only published modules can be saved."))
    db.session.add(ReadingListEntry(user_id=user.id, module_id=module.id))
    db.session.flush()
    return True


def is_saved(user: User, module: Module) -> bool:
    return (
        db.session.scalar(
            select(ReadingListEntry.id).where(
                ReadingListEntry.user_id == user.id, ReadingListEntry.module_id == module.id
            )
        )
        is not None
    )


def reading_list(user: User) -> list[ReadingListEntry]:
    return list(
        db.session.scalars(
            select(ReadingListEntry)
            .where(ReadingListEntry.user_id == user.id)
            .order_by(ReadingListEntry.created_at.desc())
            .options(selectinload(ReadingListEntry.module).selectinload(Module.topics))
        )
    )


def modules_by_author(user: User) -> list[Module]:
    return list(
        db.session.scalars(
            select(Module)
            .where(Module.authors.any(User.id == user.id))
            .order_by(Module.updated_at.desc())
        )
    )


def editable_modules(dataspace_ids: set[int] | None) -> list[Module]:
    """Modules of these Data Spaces (``None``: all), drafts included, for staff pages."""
    statement = select(Module).order_by(Module.updated_at.desc()).options(
        selectinload(Module.topics))
    if dataspace_ids is not None:
        statement = statement.where(Module.dataspace_id.in_(dataspace_ids))
    return list(db.session.scalars(statement))


def forget_reader(user, **_event) -> None:
    """``user_erased``: the person's reading list goes."""
    db.session.execute(delete(ReadingListEntry).where(ReadingListEntry.user_id == user.id))
