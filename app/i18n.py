"""The interface languages and how a request's language is chosen."""

from __future__ import annotations

import functools
from zoneinfo import available_timezones

import pycountry
from babel import Locale
from flask import Flask, current_app, has_request_context, request, session
from flask_login import current_user

from app.extensions import babel
from app.multilingual import RTL_LANGUAGES

#: Interface languages, each with its name in its own language (for the switcher).
UI_LANGUAGES: dict[str, str] = {
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "pt": "Português",
    "ar": "العربية",
}
SESSION_KEY = "lang"


def select_locale() -> str:
    """``?lang=xx`` (remembered in the session), then the user's preference, then the browser.

    Outside a request (commands, scheduled jobs) the default locale applies.
    """
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    asked = request.args.get("lang")
    if asked in UI_LANGUAGES:
        session[SESSION_KEY] = asked
        return asked
    remembered = session.get(SESSION_KEY)
    if remembered in UI_LANGUAGES:
        return remembered
    preferred = getattr(current_user, "preferred_language", None)
    if preferred in UI_LANGUAGES:
        return preferred
    return (
        request.accept_languages.best_match(UI_LANGUAGES)
        or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def viewer_time_zone() -> str | None:
    """The reader's own time zone, as their browser reported it (a cookie set by timezone.js)."""
    if not has_request_context():
        return None
    name = request.cookies.get("tz", "")
    return name if name in time_zone_names() else None


@functools.cache
def time_zone_names() -> frozenset[str]:
    """The IANA names tzdata knows: read from disk once (it walks a directory tree, ~10 ms,
    and every page asks through :func:`viewer_time_zone`)."""
    return frozenset(available_timezones())


def text_direction(language: str) -> str:
    return "rtl" if language.split("_")[0] in RTL_LANGUAGES else "ltr"


def language_name(code: str, in_language: str) -> str:
    """``language_name("pt", "es")`` → ``"portugués"``."""
    try:
        return Locale.parse(in_language).languages.get(code, code)
    except (ValueError, TypeError):
        return code


def country_name(code: str, in_language: str) -> str:
    """``country_name("SN", "fr")`` → ``"Sénégal"``."""
    try:
        return Locale.parse(in_language).territories.get(code, code)
    except (ValueError, TypeError):
        return code


def country_codes() -> list[str]:
    """The ISO 3166-1 alpha-2 codes (from pycountry; Babel's CLDR list also holds regions)."""
    return sorted(country.alpha_2 for country in pycountry.countries)


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
