"""A published module as schema.org JSON-LD in the LRMI vocabulary (a ``LearningResource``), so
that catalogues of open educational resources find it, its level, length and licence.

Properties appear only when the module has data for them::

    {"@context": "https://schema.org", "@type": "LearningResource", "@id": "<page>#module",
     "name", "description" (the summary), "url": "<page>", "inLanguage": ["en", "fr"],
     "learningResourceType": "module",
     "educationalLevel": DefinedTerm {name: the level in the reader's language,
         termCode: "introductory" | "intermediate" | "advanced"},
     "timeRequired": ISO 8601 duration ("PT1H30M"),
     "license": the licence's address (Creative Commons; from its SPDX code),
     "teaches": [each learning outcome], "keywords": [each topic],
     "author": [Person {name}],
     "publisher": Organization {name, url}: its Data Space, or the network for the network's own,
     "version": the revision, "isAccessibleForFree": true,
     "datePublished", "dateModified": ISO 8601 instants (UTC)}

The address is the module's own page, so the description is always of its current revision,
also on a page showing an earlier one (``?revision=N``).
"""

from __future__ import annotations

from app.curriculum.models import Module
from app.structured_data import (
    CONTEXT,
    compact,
    dataspace_organisation,
    duration,
    network_organisation,
    person,
    text,
)
from app.urls import external_url


def learning_resource(module: Module) -> dict | None:
    """The module's JSON-LD; ``None`` for a draft (only its editors see the page)."""
    if not module.is_published:
        return None
    page = external_url("curriculum.module", slug=module.slug)
    return compact({
        "@context": CONTEXT,
        "@type": "LearningResource",
        "@id": f"{page}#module",
        "name": text(module.title),
        "description": text(module.summary),
        "url": page,
        "inLanguage": module.languages,
        "learningResourceType": "module",
        "educationalLevel": {"@type": "DefinedTerm", "name": str(module.level.label),
                             "termCode": module.level.value},
        "timeRequired": duration(module.duration_hours),
        "license": module.licence_url,
        "teaches": outcomes(module),
        "keywords": [name for name in (text(topic.name) for topic in module.topics) if name],
        "author": [person(author.display_name) for author in module.authors],
        "publisher": dataspace_organisation(module.dataspace) if module.dataspace
        else network_organisation(),
        "version": module.revision,
        "isAccessibleForFree": True,
        "datePublished": module.published_at and module.published_at.isoformat("T", "seconds"),
        "dateModified": module.updated_at and module.updated_at.isoformat("T", "seconds"),
    })


def outcomes(module: Module) -> list[str]:
    """The learning outcomes, one per line of the text as the page lists them (a leading
    ``-`` or ``*`` is the writer's bullet, not part of the outcome)."""
    lines = (text(module.learning_outcomes) or "").splitlines()
    return [line.strip().lstrip("-* ") for line in lines if line.strip()]
