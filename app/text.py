"""Small text helpers."""

from __future__ import annotations

import re
import unicodedata

from app.multilingual import MultilingualText


def slugify(text: str, max_length: int = 80) -> str:
    """``"Université Cheikh Anta Diop"`` → ``"universite-cheikh-anta-diop"``.

    Written here rather than taken from a library: it is four lines and only ever sees names we
    type ourselves; non-Latin names fall back to the caller's default.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")


def slug_base(title, fallback: str, reserved: frozenset[str] = frozenset()) -> str:
    """The slug a record with this multilingual ``title`` starts from: its English text, else
    any of its languages, else ``fallback``; 70 characters at most. A ``reserved`` word (a path
    of its own, such as ``new``) gets ``-<fallback>`` after it."""
    text = MultilingualText(title)
    base = (slugify(text.get_text("en")) or slugify(next(iter(text.values()), ""))
            or fallback)[:70]
    return f"{base}-{fallback}" if base in reserved else base
