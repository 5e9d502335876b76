"""Certificate PDFs with WeasyPrint: A4 landscape, bilingual, with the verification QR code.

The template renders in a sandboxed Jinja environment that sees plain values only (a Data
Space's own template, edited by its coordinators, can then never reach the app), and the PDF
renderer fetches nothing: the QR code is inlined, and every other URL is refused.

Fonts: the renderer sees only the fonts shipped in ``fonts/`` (Noto Sans, Noto Naskh Arabic and
a subset of Noto Sans CJK, OFL), through its own fontconfig file, never the system's: every host
renders the same PDF, and a machine without any font renders it too.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import unicodedata
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import segno
from flask_babel import force_locale
from flask_babel import gettext as _
from jinja2.sandbox import SandboxedEnvironment
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcherResponse

from app.certificates import signing
from app.certificates.models import Certificate
from app.multilingual import RTL_LANGUAGES, MultilingualText

TEMPLATE = Path(__file__).parent / "templates" / "certificates" / "pdf" / "default.html"
STYLESHEET = TEMPLATE.with_suffix(".css")
FONTS = Path(__file__).parent / "fonts"
_sandbox = SandboxedEnvironment(autoescape=True)


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
def _typesetting() -> tuple[FontConfiguration, CSS]:
    """One font configuration and one parsed stylesheet per process: building them for each
    certificate roughly doubles its cost."""
    fonts = font_configuration()
    return fonts, CSS(string=STYLESHEET.read_text(), font_config=fonts)


@lru_cache(maxsize=1)
def _shipped_characters() -> frozenset[int]:
    from fontTools.ttLib import TTFont

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


@lru_cache(maxsize=16)
def _compiled(source: str):
    return _sandbox.from_string(source)


def fetch_nothing(url: str, *args, **kwargs):
    """Only inline base64 ``data:`` URLs (the QR code); no file, no network."""
    header, _, data = url.partition(",")
    if header.startswith("data:") and header.endswith(";base64"):
        return URLFetcherResponse(url[:40], base64.b64decode(data),
                                  {"Content-Type": header[5:-7]})
    raise ValueError(f"certificates fetch nothing ({url[:40]})")


def _languages(certificate: Certificate, reader_language: str | None) -> list[str]:
    """The programme's languages side by side (two at most), else the participant's and
    English."""
    taught = certificate.snapshot["programme"]["languages"]
    if len(taught) >= 2:
        return taught[:2]
    return list(dict.fromkeys([reader_language or taught[0], "en"]))[:2]


def values(certificate: Certificate, reader_language: str | None = None) -> dict:
    """Plain values only: what a template may show."""
    snapshot = certificate.snapshot
    title = MultilingualText(snapshot["programme"]["title"])
    city = MultilingualText(snapshot["place"]["city"])
    parts = []
    for language in _languages(certificate, reader_language):
        with force_locale(language):
            parts.append({
                "language": language,
                "direction": "rtl" if language in RTL_LANGUAGES else "ltr",
                "lead": _("completed the programme"),
                "title": title.get_text(language),
                "details": _("%(city)s, from %(start)s to %(end)s · %(hours)s hours · "
                             "attendance %(rate)s%%", city=city.get_text(language),
                             start=snapshot["dates"]["start"], end=snapshot["dates"]["end"],
                             hours=snapshot["hours"], rate=snapshot["attendance"] or "—"),
            })
    qr_text = f"{snapshot['verify_url']}#{signing.payload(snapshot, certificate.signature)}"
    png = io.BytesIO()  # a PNG lays out ~3x faster than the same code as SVG
    # A fixed mask: choosing the best of eight costs ~60 ms for a code this size. One pixel per
    # module, enlarged by the stylesheet (image-rendering: pixelated): 4x quicker to write.
    segno.make(qr_text, error="l", mask=0, boost_error=False).save(png, kind="png", scale=1,
                                                                    border=1)
    with force_locale(parts[0]["language"]):
        heading = _("Certificate")
    return {
        "name": snapshot["name"], "name_language": script_language(snapshot["name"]),
        "serial": snapshot["serial"],
        "verify_url": snapshot["verify_url"], "issuer": MultilingualText(
            snapshot["issuer"]).get_text(parts[0]["language"]),
        "heading": heading, "parts": parts, "languages": [p["language"] for p in parts],
        "colour": "#0b5d66",
        "qr": "data:image/png;base64," + base64.b64encode(png.getvalue()).decode(),
    }


def render(certificate: Certificate, template_source: str | None = None,
           reader_language: str | None = None) -> bytes:
    source = template_source or TEMPLATE.read_text()
    html = _compiled(source).render(**values(certificate, reader_language))
    fonts, stylesheet = _typesetting()
    return HTML(string=html, url_fetcher=fetch_nothing).write_pdf(
        stylesheets=[stylesheet], font_config=fonts)


def sha256(pdf: bytes) -> str:
    return hashlib.sha256(pdf).hexdigest()



# --- many at once, on every core ------------------------------------------------------------

_pool_app = None  # the app the forked rendering processes use (they never touch the database)


def _prepare() -> None:
    """Load fonts, stylesheet and signer once, before forking: every renderer inherits them
    (building them in each process cost about a second before its first certificate)."""
    from app.certificates import pades

    with _pool_app.app_context():
        _typesetting()
        pades.signer()


def _render_one(job: tuple[int, dict, str, str | None]) -> tuple[int, bytes]:
    from app.certificates import pades

    certificate_id, snapshot, signature, language = job
    transient = Certificate(id=certificate_id, snapshot=snapshot, signature=signature)
    with _pool_app.app_context():
        return certificate_id, pades.sign(render(transient, reader_language=language))


def _forget_connections() -> None:
    """A forked process must not touch the parent's database connections (SQLAlchemy's advice:
    drop them without closing them)."""
    from app.extensions import db

    with _pool_app.app_context():
        db.engine.dispose(close=False)


def render_many(jobs: list[tuple[int, dict, str, str | None]], workers: int):
    """Yield ``(certificate id, signed PDF)`` as each is ready, rendered by ``workers``
    processes. Rendering costs about ten times a page view, so it runs here, in the scheduler
    or command process, never in a web worker."""
    global _pool_app
    if workers <= 1 or len(jobs) < 2:
        from flask import current_app

        _pool_app = current_app._get_current_object()
        yield from map(_render_one, jobs)
        return
    import multiprocessing

    from flask import current_app

    _pool_app = current_app._get_current_object()
    _prepare()
    with multiprocessing.get_context("fork").Pool(workers, initializer=_forget_connections) as pool:
        yield from pool.imap_unordered(_render_one, jobs, chunksize=4)
