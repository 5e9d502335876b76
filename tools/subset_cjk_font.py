"""Build ``app/certificates/fonts/NotoSansCJKsc-Bold-names.otf``, the CJK font certificates ship.

    apt-get install fonts-noto-cjk
    .venv/bin/python tools/subset_cjk_font.py [/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc]

The whole family is 89 MB installed; names need far less. The subset keeps every Han character
of GB 2312, Big5 level 1 and JIS X 0208 (Chinese, Taiwanese and Japanese names), every Hangul
syllable, kana, CJK punctuation, full-width forms and ASCII (the spaces between
words of a name take the font of the words around them): ~23,000 glyphs, 3.8 MB. It drops the
layout features (regional glyph forms would add 2.4 MB): names are set horizontally, one
character after another. Characters outside the subset show as boxes; the certificates page warns
about such names before issuing (``app.certificates.rendering.missing_glyphs``).
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

SOURCE = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
TARGET = Path(__file__).parents[1] / "app/certificates/fonts/NotoSansCJKsc-Bold-names.otf"
SIMPLIFIED_CHINESE = 2  # index of "Noto Sans CJK SC" in the collection


def _encodable(codec: str, first: int, last: int, low: int, high: int) -> set[str]:
    found = set()
    for lead in range(first, last + 1):
        for trail in range(low, high + 1):
            with contextlib.suppress(UnicodeDecodeError):
                found.update(bytes([lead, trail]).decode(codec))
    return found


def characters() -> set[str]:
    chars = (
        _encodable("gb2312", 0xA1, 0xF7, 0xA1, 0xFE)
        | _encodable("big5", 0xA4, 0xC6, 0x40, 0xFE)
        | _encodable("euc_jp", 0xA1, 0xF4, 0xA1, 0xFE)
        | _encodable("euc_kr", 0xA1, 0xFE, 0xA1, 0xFE)
    )
    blocks = [(0x20, 0x7F), (0xA0, 0xA1), (0x3000, 0x3100), (0x31F0, 0x3200), (0xAC00, 0xD7A4),
              (0xFF00, 0xFFF0)]
    chars.update(chr(c) for start, end in blocks for c in range(start, end))
    return chars


def main() -> None:
    font = TTCollection(sys.argv[1] if len(sys.argv) > 1 else SOURCE).fonts[SIMPLIFIED_CHINESE]
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in characters()])
    subsetter.subset(font)
    font.save(TARGET)
    print(f"{TARGET}: {len(font.getGlyphOrder())} glyphs, {TARGET.stat().st_size} bytes")


if __name__ == "__main__":
    main()
