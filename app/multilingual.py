"""Text that exists in several languages.

A :class:`MultilingualText` holds one value per content language (``{"en": ..., "es": ...}``)
and resolves it for the language of the request with a fixed fallback chain:

1. the requested language (``pt_BR`` is looked up as ``pt_BR``, then ``pt``);
2. the network's default content language (English);
3. the first other language that has a value, in :data:`CONTENT_LANGUAGES` order.

Models store it in a JSON column through :class:`MultilingualColumn`; forms edit it with
:class:`app.forms.MultilingualField`; templates show it with the ``ml`` filter, which marks text
shown in another language than the reader's (see ``app/templating.py``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from flask_babel import get_locale
from sqlalchemy.types import JSON, TypeDecorator

#: Languages content can be written in (wider than the UI languages: Arabic content may exist
#: before the interface is translated into Arabic).
CONTENT_LANGUAGES: tuple[str, ...] = ("en", "es", "fr", "pt", "ar")
DEFAULT_CONTENT_LANGUAGE = "en"
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})


@dataclass(frozen=True)
class Resolved:
    """The text chosen for a reader, and in which language it actually is."""

    text: str
    language: str | None
    requested: str

    @property
    def is_fallback(self) -> bool:
        return self.language is not None and self.language != self.requested

    @property
    def direction(self) -> str:
        return "rtl" if self.language in RTL_LANGUAGES else "ltr"


class MultilingualText(Mapping[str, str]):
    """An immutable mapping of language code to text; empty values are dropped."""

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, str] | str | None = None):
        if isinstance(values, str):
            values = {DEFAULT_CONTENT_LANGUAGE: values}
        cleaned = {
            lang: text.strip()
            for lang, text in (values or {}).items()
            if isinstance(text, str) and text.strip()
        }
        self._values = dict(sorted(cleaned.items(), key=lambda item: _language_rank(item[0])))

    def __getitem__(self, language: str) -> str:
        return self._values[language]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self._values == dict(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self._values.items()))

    def __repr__(self) -> str:
        return f"MultilingualText({self._values!r})"

    def __str__(self) -> str:
        return self.resolve().text

    @property
    def languages(self) -> list[str]:
        """Languages that have a value, in the network's order."""
        return list(self._values)

    def resolve(self, language: str | None = None) -> Resolved:
        requested = language or current_language()
        for candidate in fallback_chain(requested):
            if candidate in self._values:
                return Resolved(self._values[candidate], candidate, requested)
        return Resolved("", None, requested)

    def get_text(self, language: str | None = None) -> str:
        return self.resolve(language).text

    def as_dict(self) -> dict[str, str]:
        return dict(self._values)


def _language_rank(language: str) -> tuple[int, str]:
    base = language.split("_")[0]
    rank = CONTENT_LANGUAGES.index(base) if base in CONTENT_LANGUAGES else len(CONTENT_LANGUAGES)
    return rank, language


def fallback_chain(language: str) -> list[str]:
    """``pt_BR`` → ``["pt_BR", "pt", "en", "es", "fr", "ar"]`` (no repeats)."""
    chain = [language, language.split("_")[0], DEFAULT_CONTENT_LANGUAGE, *CONTENT_LANGUAGES]
    return list(dict.fromkeys(chain))


def current_language() -> str:
    """The language of the current request, or the default outside a request."""
    try:
        locale = get_locale()
    except RuntimeError:
        locale = None
    return str(locale) if locale else DEFAULT_CONTENT_LANGUAGE


class MultilingualColumn(TypeDecorator):
    """Stores a :class:`MultilingualText` as a JSON object."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return MultilingualText(value).as_dict()

    def process_result_value(self, value, dialect):
        return MultilingualText(value or {})
