"""The fonts certificates are drawn with: only those shipped in ``fonts/`` (Noto Sans, Noto
Naskh Arabic and a subset of Noto Sans CJK, OFL), through their own fontconfig file, never the
system's, so every host draws the same PDF and a machine without any font draws it too."""

from __future__ import annotations

import logging
import os
import re
import unicodedata
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import weasyprint
from fontTools.ttLib import TTFont
from weasyprint.pdf import fonts as weasyprint_subsetting
from weasyprint.text.fonts import FontConfiguration

log = logging.getLogger(__name__)

FONTS = Path(__file__).parent.parent / "fonts"


@contextmanager
def shipped_fonts_only():
    """Fontconfig reads ``FONTCONFIG_FILE`` when WeasyPrint builds a font configuration."""
    previous = os.environ.get("FONTCONFIG_FILE")
    os.environ["FONTCONFIG_FILE"] = str(FONTS / "fonts.conf")
    try:
        yield
    finally:
        if previous is None:
            del os.environ["FONTCONFIG_FILE"]
        else:
            os.environ["FONTCONFIG_FILE"] = previous


def font_configuration() -> FontConfiguration:
    with shipped_fonts_only():
        return FontConfiguration()


@lru_cache(maxsize=1)
def process_fonts() -> FontConfiguration:
    """One font configuration per process (and one parsed stylesheet per source, in
    ``layers.py``): building them for each certificate roughly doubles its cost."""
    _parse_glyph_arrays_once()
    return font_configuration()


class _OpenArrays:
    """WeasyPrint's cffi handle for subsetting fonts, with every ``hb_codepoint_t[<n>]`` read
    as ``hb_codepoint_t[]``: the same array (its length comes from its items), but a type that
    cffi parses once. WeasyPrint names the length, and cffi parses each new length with
    pycparser, 6 ms each; the lengths follow the glyphs of each name, so most certificates
    brought a new one."""

    def __init__(self, ffi):
        self._ffi = ffi

    def new(self, cdecl, init=None):
        if init is not None and re.fullmatch(r"hb_codepoint_t\[\d+\]", cdecl):
            cdecl = "hb_codepoint_t[]"
        return self._ffi.new(cdecl, init)

    def __getattr__(self, name):
        return getattr(self._ffi, name)
#: The WeasyPrint releases whose font subsetting :class:`_OpenArrays` was read against. Any
#: other release draws certificates without the patch: the same PDFs, about a third slower
#: (``bench/certificates.py``), until someone reads its ``weasyprint/pdf/fonts.py`` again.
PATCHED_WEASYPRINT = ("68.",)


def _parse_glyph_arrays_once(version: str = weasyprint.__version__) -> bool:
    """Patch WeasyPrint's font subsetting, on a release it was written for; say whether it is
    patched."""
    if not version.startswith(PATCHED_WEASYPRINT) or not hasattr(weasyprint_subsetting, "ffi"):
        log.info("WeasyPrint %s: certificates are drawn without the font subsetting patch",
                 version)
        return False
    if not isinstance(weasyprint_subsetting.ffi, _OpenArrays):
        weasyprint_subsetting.ffi = _OpenArrays(weasyprint_subsetting.ffi)
    return True


@lru_cache(maxsize=1)
def _shipped_characters() -> frozenset[int]:
    covered: set[int] = set()
    for path in FONTS.glob("*.[ot]tf"):
        covered.update(TTFont(path, lazy=True).getBestCmap())
    return frozenset(covered)


def missing_glyphs(text: str) -> list[str]:
    """The characters of ``text`` that no shipped font can draw (they would print as boxes)."""
    shipped = _shipped_characters()
    return sorted({c for c in text if ord(c) not in shipped
                   and unicodedata.category(c) not in ("Cc", "Cf")})


def script_language(name: str) -> str:
    """A language tag for a name, from its script, so that the layout picks fitting forms."""
    if any(0xAC00 <= ord(c) <= 0xD7A3 or 0x1100 <= ord(c) <= 0x11FF for c in name):
        return "ko"
    if any(0x3040 <= ord(c) <= 0x30FF for c in name):
        return "ja"
    if any(0x4E00 <= ord(c) <= 0x9FFF or 0x3400 <= ord(c) <= 0x4DBF for c in name):
        return "zh-Hans"
    if any(0x0600 <= ord(c) <= 0x06FF for c in name):
        return "ar"
    return "und"
