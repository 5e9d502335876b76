"""What a PDF really draws: the glyphs its embedded fonts hold for each character.

A text layer keeps the characters even where the page shows empty boxes (a font without the
glyph draws ``.notdef``), so extracting text proves nothing about what a reader sees. This reads
each embedded font program back with fontTools and follows every character of the ToUnicode
map to the glyph drawn for it.
"""

from __future__ import annotations

import io
import re

from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont
from pypdf import PdfReader

_PAIR = re.compile(r"<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]+>|\d+)")


def _section(cmap: str, name: str) -> list[tuple[int, str]]:
    pairs = []
    for block in re.findall(rf"begin{name}(.*?)end{name}", cmap, re.S):
        pairs += [(int(code, 16), value) for code, value in _PAIR.findall(block)]
    return pairs


def _glyph_ids(font) -> dict[int, int] | None:
    """Code -> glyph id, or ``None`` where codes are glyph ids (Identity)."""
    encoding = font["/Encoding"]
    if not hasattr(encoding, "get_object") or not hasattr(encoding.get_object(), "get_data"):
        return None
    cmap = encoding.get_object().get_data().decode("latin-1")
    return {code: int(cid) for code, cid in _section(cmap, "cidchar")}


def drawn_characters(pdf: bytes) -> dict[str, set[str]]:
    """Every character the PDF draws, mapped to how: ``"glyph"`` (a real outline),
    ``"notdef"`` (an empty box) or ``"blank"`` (a glyph without outline)."""
    drawn: dict[str, set[str]] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in _fonts(page["/Resources"]):
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
            ttfont = TTFont(io.BytesIO(program.get_object().get_data()))
            glyphs, order = ttfont.getGlyphSet(), ttfont.getGlyphOrder()
            to_gid = _glyph_ids(font)
            to_unicode = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            for code, text in _section(to_unicode, "bfchar"):
                gid = code if to_gid is None else to_gid[code]
                chars = bytes.fromhex(text.strip("<>")).decode("utf-16-be")
                for char in chars:
                    drawn.setdefault(char, set()).add(_kind(glyphs, order, gid))
    return drawn


def _fonts(resources) -> list:
    """The fonts of a page or form, and of the forms it draws (a layer drawn under the page is
    one)."""
    fonts = [font.get_object() for font in resources.get("/Font", {}).values()]
    for form in resources.get("/XObject", {}).values():
        form = form.get_object()
        if form.get("/Subtype") == "/Form" and "/Resources" in form:
            fonts += _fonts(form["/Resources"].get_object())
    return fonts


def _kind(glyphs, order, gid: int) -> str:
    if gid == 0:
        return "notdef"
    pen = BoundsPen(glyphs)
    glyphs[order[gid]].draw(pen)
    return "glyph" if pen.bounds else "blank"


def unprintable(pdf: bytes, text: str) -> list[str]:
    """The characters of ``text`` that the PDF shows as boxes or not at all."""
    drawn = drawn_characters(pdf)
    bad = []
    for char in dict.fromkeys(text):
        kinds = drawn.get(char, {"missing"})
        if "notdef" in kinds or (not char.isspace() and kinds != {"glyph"}):
            bad.append(char)
    return bad
