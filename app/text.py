"""Small text helpers."""

from __future__ import annotations

import re
import unicodedata


def slugify(text: str, max_length: int = 80) -> str:
    """``"Université Cheikh Anta Diop"`` → ``"universite-cheikh-anta-diop"``.

    Written here rather than taken from a library: it is four lines and only ever sees names we
    type ourselves; non-Latin names fall back to the caller's default.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")
