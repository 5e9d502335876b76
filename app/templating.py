"""Jinja helpers available in every template."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel import dates, numbers
from flask import Flask, request, url_for
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import gettext as _
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from app import markdown
from app.i18n import (
    UI_LANGUAGES,
    country_name,
    language_name,
    text_direction,
    viewer_time_zone,
)
from app.multilingual import MultilingualText, current_language
from app.structured_data import script_json


def ml(value: MultilingualText | None, missing_note: bool = True) -> Markup:
    """Show multilingual text in the reader's language.

    Text shown in another language than the reader's carries its ``lang`` (and ``dir``) and a
    visible note, so readers and translators see at once what still needs translating.
    """
    resolved = (value or MultilingualText()).resolve()
    if resolved.language is None:
        return Markup('<span class="untranslated">—</span>')
    if not resolved.is_fallback or resolved.language == resolved.requested.split("_")[0]:
        return isolate(resolved.text)
    html = Markup('<span lang="{lang}" dir="{dir}">{text}</span>').format(
        lang=resolved.language, dir=resolved.direction, text=resolved.text
    )
    if missing_note:
        note = _(
            "not yet translated into %(language)s; shown in %(original)s",
            language=language_name(resolved.requested, resolved.requested),
            original=language_name(resolved.language, resolved.requested),
        )
        html += Markup(' <small class="untranslated">({})</small>').format(note)
    return html


def isolate(text) -> Markup:
    """Text people wrote (a name, a title) set apart from the page's own direction: an Arabic
    title in an English page, a Latin name in an Arabic one, or a stray right-to-left override
    character, reorders nothing around it."""
    return Markup("<bdi>{}</bdi>").format(text)


def ml_markdown(value: MultilingualText | None) -> Markup:
    """Multilingual Markdown, rendered and sanitized, marked with its language."""
    resolved = (value or MultilingualText()).resolve()
    if resolved.language is None:
        return Markup("")
    html = markdown.render(resolved.text)
    if not resolved.is_fallback or resolved.language == resolved.requested.split("_")[0]:
        return Markup('<div class="prose">{}</div>').format(html)
    return Markup('<div class="prose" lang="{}" dir="{}">{}</div>').format(
        resolved.language, resolved.direction, html
    ) + Markup('<p><small class="untranslated">({})</small></p>').format(_missing_note(resolved))


def _missing_note(resolved) -> str:
    return _(
        "not yet translated into %(language)s; shown in %(original)s",
        language=language_name(resolved.requested, resolved.requested),
        original=language_name(resolved.language, resolved.requested),
    )


def ml_plain(value: MultilingualText | None) -> str:
    """Multilingual text as a plain string (titles, attributes)."""
    return (value or MultilingualText()).get_text()


def in_zone(instant: datetime, zone_name: str, format: str = "medium", what: str = "datetime"):
    """An instant shown as the clock reads in ``zone_name``, in the reader's language."""
    locale = get_locale()
    tz = ZoneInfo(zone_name)
    if what == "time":
        return dates.format_time(instant, format, tzinfo=tz, locale=locale)
    if what == "date":
        return dates.format_date(instant.astimezone(tz).date(), format, locale=locale)
    return dates.format_datetime(instant, format, tzinfo=tz, locale=locale)


def zone_differs(instant: datetime, first: str | None, second: str | None) -> bool:
    """Whether two zones show a different clock at ``instant``."""
    if not first or not second:
        return False
    return (
        instant.astimezone(ZoneInfo(first)).utcoffset()
        != instant.astimezone(ZoneInfo(second)).utcoffset()
    )


def this_page(**changes) -> str:
    """The current page's address with some query values changed: ``this_page(page=2)``.

    The query string is appended as it came, never passed to ``url_for`` as keywords: a
    parameter named ``endpoint``, ``_method`` or like a path part would collide with them.
    """
    if request.endpoint is None:  # no route matched (a 404 page): the home page instead
        path, query = url_for("site.index"), MultiDict()
    else:
        path, query = url_for(request.endpoint, **(request.view_args or {})), request.args.copy()
    for key, value in changes.items():
        query.setlist(key, [value])
    return f"{path}?{urlencode(list(query.items(multi=True)))}" if query else path


def format_number(number) -> str:
    """A number in the reader's locale, with the digits its locale data chooses (Latin for
    Arabic as Babel's CLDR data has it; Arabic-Indic where a locale asks for them)."""
    return numbers.format_decimal(number, locale=get_locale(), numbering_system="default")


def url_for_language(language: str) -> str:
    """The current page in another interface language."""
    return this_page(lang=language)


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        ml=ml,
        ml_plain=ml_plain,
        isolate=isolate,
        ml_markdown=ml_markdown,
        multilingual=MultilingualText,
        zip=lambda first, second: list(zip(first, second, strict=True)),
        markdown=markdown.render,
        json_ld=script_json,
        date=format_date,
        datetime=format_datetime,
        number=format_number,
        country=lambda code: country_name(code, current_language()),
        language=lambda code: language_name(code, current_language()),
    )

    @app.context_processor
    def layout_values():
        locale = str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"])
        return {
            "ui_languages": UI_LANGUAGES,
            "current_locale": locale,
            "text_direction": text_direction(locale),
            "url_for_language": url_for_language,
            "this_page": this_page,
            "viewer_time_zone": viewer_time_zone(),
            "zone_differs": zone_differs,
            "in_zone": in_zone,
        }
