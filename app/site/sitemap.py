"""``/sitemap.xml`` and ``/robots.txt``: the public pages, for search engines.

The sitemap lists what anyone may open without an account: the home page, the Data Spaces,
the programme catalogue and every public programme, the knowledge catalogue with every
published module and every collection, the progress pages grants have published, and the
network's "work with us" page. Curricula, drafts and everything behind a sign-in stay out.

Which records are public is decided here in SQL, by the same rules the pages apply to an
anonymous reader (``app.auth.permissions``: a programme in a public state, a published
module, a published grant), so the sitemap reads one statement per kind of record, whatever
their number. Each page is listed once with its interface languages as alternates
(``?lang=xx``, see ``app.i18n``) and the page without it as ``x-default``. Addresses are on
the public site (``PUBLIC_URL``), as in emails and feeds. One sitemap file holds up to 50,000
addresses; the network is far from needing an index of several.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.curriculum.models import Collection, Module, ModuleStatus
from app.dataspaces.models import DataSpace
from app.extensions import db
from app.grants.models import Grant
from app.i18n import UI_LANGUAGES
from app.urls import external_url
from app.workshops.models import PUBLIC_STATES, Programme

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


@dataclass(frozen=True)
class Page:
    """One public page: its address and, when known, when what it shows last changed."""

    loc: str
    lastmod: datetime | None = None


def public_pages() -> list[Page]:
    """Every public page, in the order of the site's menu."""
    spaces = _rows(select(DataSpace.slug, DataSpace.updated_at).order_by(DataSpace.slug))
    programmes = _rows(
        select(Programme.slug, Programme.updated_at)
        .where(Programme.state.in_(PUBLIC_STATES))
        .order_by(Programme.start_date.desc(), Programme.id.desc()))
    modules = _rows(
        select(Module.slug, Module.updated_at)
        .where(Module.status == ModuleStatus.PUBLISHED)
        .order_by(Module.published_at.desc(), Module.id.desc()))
    collections = _rows(select(Collection.slug, Collection.updated_at).order_by(Collection.id))
    grants = _rows(select(Grant.slug, Grant.updated_at).where(Grant.public).order_by(Grant.id))
    return [
        Page(external_url("site.index")),
        *_listing("dataspaces.index", "dataspaces.show", spaces),
        *_listing("workshops.catalogue", "workshops.programme", programmes),
        *_listing("curriculum.catalogue", "curriculum.module", modules),
        *_records("curriculum.collection", collections),
        *_records("grants.public_progress", grants),
        Page(external_url("partners.network_form")),
    ]


def _rows(statement) -> list[tuple[str, datetime]]:
    return list(db.session.execute(statement).all())


def _listing(index: str, endpoint: str, rows) -> list[Page]:
    """A list page, changed when the latest of its records changed, then each record."""
    latest = max((changed for _slug, changed in rows), default=None)
    return [Page(external_url(index), latest), *_records(endpoint, rows)]


def _records(endpoint: str, rows) -> list[Page]:
    return [Page(external_url(endpoint, slug=slug), changed) for slug, changed in rows]


def sitemap_xml(pages: list[Page]) -> bytes:
    """The sitemaps.org ``urlset``, with an ``xhtml:link`` alternate per interface language."""
    ET.register_namespace("", SITEMAP_NS)
    ET.register_namespace("xhtml", XHTML_NS)
    root = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for page in pages:
        url = ET.SubElement(root, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = page.loc
        if page.lastmod is not None:
            ET.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = page.lastmod.isoformat(
                timespec="seconds")
        for language, href in alternates(page.loc):
            ET.SubElement(url, f"{{{XHTML_NS}}}link",
                          {"rel": "alternate", "hreflang": language, "href": href})
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def alternates(loc: str) -> list[tuple[str, str]]:
    """The page in each interface language, and as it answers with no language chosen."""
    return [*((code, f"{loc}?lang={code}") for code in UI_LANGUAGES), ("x-default", loc)]


def robots_txt() -> str:
    """Every crawler may read everything public (what is not public answers with a sign-in);
    the sitemap says where it all is."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {external_url('site.sitemap_xml')}\n"
