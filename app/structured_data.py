"""Schema.org JSON-LD for public pages: the pieces every domain's description shares, and the
one way to put a description into a page.

Search engines and course aggregators read a page's ``<script type="application/ld+json">``
instead of guessing from its HTML. Each domain builds its own description as plain dicts
(``app/workshops/structured_data.py``: a programme as a Course; ``app/curriculum/
structured_data.py``: a module as an LRMI LearningResource); the shared template macro
``json_ld`` (``templates/_structured_data.html``) writes it with :func:`script_json`.

Rules every description follows: absolute addresses on the public site (``PUBLIC_URL``, as in
emails and feeds); texts in the reader's language with the usual fallback; a property only
when the records hold data for it (no empty strings, no invented values).

A JSON-LD block is data, not a script: the Content-Security-Policy (``script-src 'self'``)
does not apply to it, and the browser never runs it.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from markupsafe import Markup

from app import markdown
from app.multilingual import MultilingualText
from app.urls import external_url

CONTEXT = "https://schema.org"

#: What could end a ``<script>`` element or open a comment inside it, written as JSON escapes
#: (the JSON means the same; the HTML parser sees no ``</script>``, ``<!--`` or entity).
_UNSAFE_IN_SCRIPT = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                     "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(data: dict) -> Markup:
    """``data`` as JSON that is safe between ``<script>`` and ``</script>``: whatever a title
    holds (``</script><script>…``), it stays one JSON string."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for character, escape in _UNSAFE_IN_SCRIPT.items():
        text = text.replace(character, escape)
    return Markup(text)


def compact(data: dict) -> dict:
    """``data`` without the properties that have no value (``None``, ``""``, ``[]``, ``{}``),
    so that builders can list every property and the output holds only those with data."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def text(value: MultilingualText | None) -> str | None:
    """Multilingual text in the reader's language (``None`` when it has none)."""
    return (value or MultilingualText()).get_text() or None


def plain_markdown(value: MultilingualText | None) -> str | None:
    """Multilingual Markdown as plain text (descriptions are text, not HTML)."""
    source = text(value)
    if source is None:
        return None
    return markdown.render(source).striptags() or None


def instant(moment: datetime | None, zone_name: str) -> str | None:
    """An instant as ISO 8601 with the offset of ``zone_name`` at that moment
    (``2030-03-04T09:00:00-05:00``): the city's clock, and unambiguous."""
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(zone_name)).isoformat(timespec="seconds")


def duration(hours: Decimal | float) -> str:
    """Hours as an ISO 8601 duration: 1.5 → ``PT1H30M``, 2 → ``PT2H``, 0 → ``PT0M``."""
    whole, minutes = divmod(round(Decimal(hours) * 60), 60)
    return "PT" + (f"{whole}H" if whole else "") + (f"{minutes}M" if minutes or not whole else "")


def dataspace_organisation(space) -> dict:
    """A Data Space as the Organization that offers or publishes something: its page is its
    address."""
    return compact({
        "@type": "Organization",
        "@id": external_url("dataspaces.show", slug=space.slug) + "#organization",
        "name": text(space.name),
        "url": external_url("dataspaces.show", slug=space.slug),
    })


def network_organisation() -> dict:
    """The network itself, for what no single Data Space holds."""
    return {"@type": "Organization", "name": _("Data Space Training"),
            "url": external_url("site.index")}


def institution_organisation(institution) -> dict:
    """An institution of the registry (a host, a funder): its own website when known."""
    address = compact({"@type": "PostalAddress", "addressCountry": institution.country_code})
    return compact({
        "@type": "Organization",
        "name": text(institution.name),
        "url": institution.website,
        "address": address if len(address) > 1 else None,
    })


def person(name: str) -> dict:
    return {"@type": "Person", "name": name}
