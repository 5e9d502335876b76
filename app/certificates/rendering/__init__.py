"""Certificate PDFs with WeasyPrint: A4 landscape, bilingual, with the verification QR code.

The template renders in a sandboxed Jinja environment that sees plain values only (a Data
Space's own template, edited by its coordinators, can then never reach the app), and the PDF
renderer fetches nothing: the QR code, the logo and the signature are inlined as ``data:`` URLs,
and every other URL is refused. A Data Space's template (:class:`Design`) is checked when it is
saved (:func:`check_template`); should it still fail on a certificate, the default one is used.

The rooms:

- ``layout.py``: what a certificate shows, the layouts and their check;
- ``fonts.py``: the shipped fonts, and the one patch of WeasyPrint's internals;
- ``layers.py``: drawing one certificate (in layers, with the network's layout);
- ``pool.py``: drawing many at once in renderer processes under a deadline.

Callers use the names below.
"""

from app.certificates.rendering.fonts import font_configuration, missing_glyphs
from app.certificates.rendering.layers import render
from app.certificates.rendering.layout import (
    DEFAULT_COLOUR,
    SAMPLE,
    STYLESHEET,
    TEMPLATE,
    Design,
    check_template,
    default_css,
    default_html,
    fetch_nothing,
    filled_in,
    preview,
    values,
)
from app.certificates.rendering.pool import FAILED, OVERRAN, RenderJob, render_many

__all__ = [
    "DEFAULT_COLOUR", "FAILED", "OVERRAN", "SAMPLE", "STYLESHEET", "TEMPLATE", "Design",
    "RenderJob", "check_template", "default_css", "default_html", "fetch_nothing", "filled_in",
    "font_configuration", "missing_glyphs", "preview", "render", "render_many", "values",
]
