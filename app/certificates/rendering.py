"""Certificate PDFs with WeasyPrint: A4 landscape, bilingual, with the verification QR code.

The template renders in a sandboxed Jinja environment that sees plain values only (a Data
Space's own template, edited by its coordinators, can then never reach the app), and the PDF
renderer fetches nothing: the QR code, the logo and the signature are inlined as ``data:`` URLs,
and every other URL is refused. A Data Space's template (:class:`Design`) is checked when it is
saved (:func:`check_template`); should it still fail on a certificate, the default one is used.

Speed: with the network's layout, a certificate is drawn in layers (:func:`render`). What the
certificates of a batch share is laid out once per process; each certificate lays out only its
name and serial, which pikepdf lays over the shared layer, and its QR code is drawn straight
into the page (``bench/certificates.py`` measures it).

Fonts: the renderer sees only the fonts shipped in ``fonts/`` (Noto Sans, Noto Naskh Arabic and
a subset of Noto Sans CJK, OFL), through its own fontconfig file, never the system's: every host
renders the same PDF, and a machine without any font renders it too.
"""

from __future__ import annotations

import base64
import io
import logging
import os
import re
import unicodedata
from collections.abc import Iterable
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pikepdf
import segno
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from jinja2 import TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SecurityError
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcherResponse

from app.certificates import signing
from app.certificates.models import Certificate
from app.certificates.sandbox import BoundedSandbox, TooMuchWork, fill, limit_memory, run_isolated
from app.errors import DomainError
from app.multilingual import RTL_LANGUAGES, MultilingualText

TEMPLATE = Path(__file__).parent / "templates" / "certificates" / "pdf" / "default.html"
STYLESHEET = TEMPLATE.with_suffix(".css")
FONTS = Path(__file__).parent / "fonts"
DEFAULT_COLOUR = "#0b5d66"
#: Unknown fields are errors, not blanks (StrictUndefined): a misspelt field must not print an
#: empty certificate. Bounded in work and size (``sandbox``).
_sandbox = BoundedSandbox()
#: How long a web worker's child may take to fill a layout in, to check it or preview it.
CHECK_SECONDS = 3
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Design:
    """A Data Space's look for its certificates, as plain values (they travel to the
    rendering processes). Empty ``html`` or ``css``: the network's default."""

    html: str = ""
    css: str = ""
    colour: str = DEFAULT_COLOUR
    wording: dict[str, str] = field(default_factory=dict)
    signatory_name: str = ""
    signatory_title: dict[str, str] = field(default_factory=dict)
    logo: str | None = None  # data: URLs
    signature: str | None = None


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
def _fonts() -> FontConfiguration:
    """One font configuration per process, and one parsed stylesheet per source (below):
    building them for each certificate roughly doubles its cost."""
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


def _parse_glyph_arrays_once() -> None:
    from weasyprint.pdf import fonts

    if not isinstance(fonts.ffi, _OpenArrays):
        fonts.ffi = _OpenArrays(fonts.ffi)


@lru_cache(maxsize=16)
def _stylesheet(source: str) -> CSS:
    return CSS(string=source, font_config=_fonts(), url_fetcher=fetch_nothing)


@lru_cache(maxsize=1)
def default_html() -> str:
    return TEMPLATE.read_text()


@lru_cache(maxsize=1)
def default_css() -> str:
    return STYLESHEET.read_text()


@lru_cache(maxsize=16)
def compiled(source: str):
    return _sandbox.from_string(source)


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


def fetch_nothing(url: str, *args, **kwargs):
    """Only inline base64 ``data:`` URLs; no file, no network."""
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


def _qr_code(certificate: Certificate) -> segno.QRCode:
    snapshot = certificate.snapshot
    text = f"{snapshot['verify_url']}#{signing.payload(snapshot, certificate.signature)}"
    # A fixed mask: choosing the best of eight costs ~60 ms for a code this size.
    return segno.make(text, error="l", mask=0, boost_error=False)


def _qr_png(code: segno.QRCode) -> str:
    png = io.BytesIO()  # a PNG lays out ~3x faster than the same code as SVG
    # One pixel per module, enlarged by the stylesheet (image-rendering: pixelated): 4x quicker
    # to write.
    code.save(png, kind="png", scale=1, border=1)
    return "data:image/png;base64," + base64.b64encode(png.getvalue()).decode()


def values(certificate: Certificate, reader_language: str | None = None,
           design: Design | None = None, qr: bool = True) -> dict:
    """Plain values only: what a template may show (listed on the template page). Without
    ``qr``, the QR code is left out (a batch draws it itself)."""
    design = design or Design()
    snapshot = certificate.snapshot
    title = MultilingualText(snapshot["programme"]["title"])
    city = MultilingualText(snapshot["place"]["city"])
    parts = []
    for language in _languages(certificate, reader_language):
        with force_locale(language):
            parts.append({
                "language": language,
                "direction": "rtl" if language in RTL_LANGUAGES else "ltr",
                "lead": design.wording.get(language) or _("completed the programme"),
                "title": title.get_text(language),
                "details": _("%(city)s, from %(start)s to %(end)s · %(hours)s hours · "
                             "attendance %(rate)s%%", city=city.get_text(language),
                             start=snapshot["dates"]["start"], end=snapshot["dates"]["end"],
                             hours=snapshot["hours"], rate=snapshot["attendance"] or "—"),
            })
    first = parts[0]["language"]
    with force_locale(first):
        heading = _("Certificate")
    return {
        "name": snapshot["name"], "name_language": script_language(snapshot["name"]),
        "serial": snapshot["serial"], "verify_url": snapshot["verify_url"],
        "issuer": MultilingualText(snapshot["issuer"]).get_text(first),
        "heading": heading, "parts": parts, "languages": [p["language"] for p in parts],
        "start": snapshot["dates"]["start"], "end": snapshot["dates"]["end"],
        "hours": snapshot["hours"], "colour": design.colour, "logo": design.logo,
        "signature": design.signature, "signatory_name": design.signatory_name,
        "signatory_title": MultilingualText(design.signatory_title).get_text(first)
        if design.signatory_title else "",
        "qr": _qr_png(_qr_code(certificate)) if qr else "",
    }


def filled_in(certificate: Certificate, design: Design | None = None,
              reader_language: str | None = None) -> tuple[str, list[str]]:
    """The certificate's HTML, whole, and its stylesheets' sources."""
    design = design or Design()
    return _fill(values(certificate, reader_language, design), design)


def _fill(context: dict, design: Design, layer: str = "whole") -> tuple[str, list[str]]:
    """From the Data Space's design; the network's default if that fails (it was checked when
    saved: a certificate is never lost to its template)."""
    try:
        html = fill(compiled(design.html or default_html()), {**context, "layer": layer})
        return html, [default_css()] + ([design.css] if design.css else [])
    except Exception:
        log.exception("certificate %s: the Data Space's template failed; default used",
                      context["serial"])
        return fill(compiled(default_html()), {**context, "layer": layer}), [default_css()]


def render(certificate: Certificate, design: Design | None = None,
           reader_language: str | None = None) -> bytes:
    """The certificate's PDF. With the network's layout, it is drawn in layers: what the
    certificates of a batch share (frame, programme, signatory), laid out once per process;
    over it, what is this certificate's own (name, serial); and the QR code, drawn straight
    into the page. A batch then lays out a third of each page. A Data Space's own layout or
    stylesheet may move any box, so it is drawn whole."""
    design = design or Design()
    if design.html or design.css:
        return _pdf(*_fill(values(certificate, reader_language, design), design))
    context = values(certificate, reader_language, design, qr=False)
    html, stylesheets = _fill(context, design, "shared")
    shared = _shared_layer(html, tuple(stylesheets))
    personal = _pdf(*_fill(context, design, "personal"))
    return _compose(personal, shared, _qr_code(certificate))


def _pdf(html: str, stylesheets: Iterable[str]) -> bytes:
    return _document(html, stylesheets).write_pdf()


def _document(html: str, stylesheets: Iterable[str]):
    return HTML(string=html, url_fetcher=fetch_nothing).render(
        stylesheets=[_stylesheet(source) for source in stylesheets], font_config=_fonts())


@dataclass(frozen=True)
class _Layer:
    pdf: bytes
    qr_box: tuple[float, float, float, float]  # where the QR code goes, in PDF points


@lru_cache(maxsize=16)
def _shared_layer(html: str, stylesheets: tuple[str, ...]) -> _Layer:
    """Certificates differ by their attendance and language at most: a few of these serve a
    whole batch."""
    document = _document(html, stylesheets)
    page = document.pages[0]
    left, top, right, bottom = (css_px * 0.75 for css_px in page.anchors["qr"])
    height = page.height * 0.75  # PDF points count from the bottom of the page
    return _Layer(document.write_pdf(), (left, height - bottom, right, height - top))


def _compose(personal: bytes, shared: _Layer, code: segno.QRCode) -> bytes:
    with pikepdf.open(io.BytesIO(personal)) as pdf, pikepdf.open(io.BytesIO(shared.pdf)) as under:
        page = pdf.pages[0]
        page.add_underlay(under.pages[0])
        page.add_overlay(_qr_form(pdf, code), pikepdf.Rectangle(*shared.qr_box))
        combined = io.BytesIO()
        pdf.save(combined)
        return combined.getvalue()


_DARK_AS_ZERO = bytes.maketrans(b"\x00\x01", b"10")


def _qr_form(pdf: pikepdf.Pdf, code: segno.QRCode) -> pikepdf.Stream:
    """The QR code as WeasyPrint draws the PNG of a whole render: a grey image of one bit
    per module and a light border of one module, not smoothed, over the unit square."""
    size = len(code.matrix) + 2
    padding = -size % 8  # each row fills whole bytes
    width = (size + padding) // 8
    light = ((1 << size + padding) - 1).to_bytes(width, "big")
    rows = [int(b"1" + bytes(row).translate(_DARK_AS_ZERO) + b"1" * (1 + padding), 2)
            .to_bytes(width, "big") for row in code.matrix]
    image = pikepdf.Stream(pdf, b"".join([light, *rows, light]), Type=pikepdf.Name.XObject,
                           Subtype=pikepdf.Name.Image, Width=size, Height=size,
                           ColorSpace=pikepdf.Name.DeviceGray, BitsPerComponent=1,
                           Interpolate=False)
    return pikepdf.Stream(pdf, b"/Code Do", Type=pikepdf.Name.XObject,
                          Subtype=pikepdf.Name.Form, BBox=[0, 0, 1, 1],
                          Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Code=image)))


# --- checking a template before it is saved -------------------------------------------------

_OUTSIDE_URL = re.compile(r"@import|url\(\s*['\"]?\s*(?!data:)", re.IGNORECASE)


def check_template(html: str, css: str, sample: Certificate, design: Design) -> None:
    """Refuse, with a message its author understands, a template that would not render. It is
    filled in by a child process, within :data:`CHECK_SECONDS` and a memory ceiling."""
    if html:
        run_isolated(_check_filling, html, values(sample, None, design),
                     seconds=CHECK_SECONDS, field="html")
    if _OUTSIDE_URL.search(css):
        raise DomainError(_l("The stylesheet may not load files or web addresses; upload the "
                             "logo and the signature in their own fields."), field="css")


def _check_filling(html: str, context: dict) -> None:
    try:
        fill(_sandbox.from_string(html), context)
    except TemplateSyntaxError as error:
        raise DomainError(_l("Line %(line)d of the template: %(problem)s",
                             line=error.lineno, problem=error.message), field="html") from error
    except UndefinedError as error:
        raise DomainError(_l("The template uses a field that does not exist (%(problem)s).",
                             problem=error.message), field="html") from error
    except TooMuchWork as error:
        raise DomainError(_l("The template asks for more work than a certificate needs "
                             "(%(problem)s).", problem=str(error)), field="html") from error
    except SecurityError as error:
        raise DomainError(_l("The template tries to reach something outside the "
                             "certificate's fields."), field="html") from error
    except MemoryError:
        raise  # the ceiling of the child this runs in: reported as such by run_isolated
    except Exception as error:  # any other failure: the template cannot be used
        raise DomainError(_l("The template cannot be filled in: %(problem)s",
                             problem=str(error)[:200]), field="html") from error


def preview(certificate: Certificate, design: Design) -> tuple[str, list[str]]:
    """The template filled in with a sample, by a child process (as :func:`check_template`)."""
    return run_isolated(filled_in, certificate, design, seconds=CHECK_SECONDS)


# --- many at once, on every core ------------------------------------------------------------

# What the forked rendering processes inherit: the app (they never touch the database) and the
# designs of the Data Spaces (sent once, not with every certificate).
_pool_app = None
_designs: dict[int, Design] = {}


#: A certificate's snapshot as templates see it, for checking, previewing and warming up.
SAMPLE = {
    "serial": "SAMPLE-2026-0001", "code": "sample", "name": "Ana María Pérez",
    "programme": {"title": {"en": "Big Data for Development Summer School",
                            "es": "Escuela de verano de big data para el desarrollo"},
                  "kind": "summer-school", "languages": ["en", "es"]},
    "dates": {"start": "2026-07-06", "end": "2026-07-17"}, "hours": "40",
    "place": {"city": {"en": "Bogotá"}, "country": "CO"}, "modules": [], "attendance": 95,
    "issuer": {"en": "Data Space"}, "issued_at": "2026-07-17T18:00:00+00:00",
    "verify_url": "https://example.org/verify/sample",
}
#: What a process renders once before it forks its renderers, so that they inherit every
#: script's font, WeasyPrint's and pyHanko's lazily loaded parts, and the signer: each renderer
#: otherwise spent about 0.3 s on its first certificate.
_WARM_UP = {**SAMPLE, "name": "Ana María محمد 王小明 김민준",
            "programme": {**SAMPLE["programme"], "languages": ["ar", "en"],
                          "title": {"en": "Warm-up", "ar": "إحماء"}}}


@lru_cache(maxsize=1)
def _prepare() -> None:
    """Once in a process's life (the scheduler is long-lived), before its first fork."""
    from app.certificates import pades

    with _pool_app.app_context():
        pades.sign(render(Certificate(id=0, snapshot=_WARM_UP, signature="")))


#: Why a certificate has no PDF, as stored on it (``Certificate.render_problem``).
OVERRAN, FAILED = "overran", "failed"
#: True in a renderer process: there a failure marks its certificate instead of stopping all.
_in_renderer = False


def _render_one(job: tuple[int, dict, str, str | None, int]
                ) -> tuple[int, bytes | None, str | None]:
    """``(id, signed PDF, None)``, or, in a renderer, ``(id, None, FAILED)`` when it fails."""
    from app.certificates import pades

    certificate_id, snapshot, signature, language, dataspace_id = job
    transient = Certificate(id=certificate_id, snapshot=snapshot, signature=signature)
    with _pool_app.app_context():
        try:
            pdf = pades.sign(render(transient, _designs.get(dataspace_id), language))
        except Exception:
            if not _in_renderer:
                raise
            log.exception("certificate %s: could not be drawn", certificate_id)
            return certificate_id, None, FAILED
    return certificate_id, pdf, None


#: Memory a renderer may take beyond what it inherited (one takes about 75 MB).
RENDERER_MEMORY = 1024 * 1024 * 1024
#: A renderer is replaced after this many certificates: its memory levelled off after about
#: 100 here, but WeasyPrint's and Pango's caches are not ours to bound (a new one: ~50 ms).
CERTIFICATES_PER_RENDERER = 200


def _serve(connection) -> None:
    """A renderer process: draw the certificates the parent sends, one at a time."""
    global _in_renderer
    from app.extensions import db

    _in_renderer = True
    with _pool_app.app_context():  # the parent's connections are not ours: drop, never close
        db.engine.dispose(close=False)
    limit_memory(RENDERER_MEMORY)
    try:
        for job in iter(connection.recv, None):
            connection.send(_render_one(job))
    except (EOFError, KeyboardInterrupt):
        pass
    finally:
        connection.close()
        os._exit(0)  # no atexit handlers: they belong to the parent


@dataclass
class _Renderer:
    process: object
    connection: object
    job: tuple | None = None
    started: float = 0.0
    served: int = 0


class _Renderers:
    """Forked renderer processes under a deadline. One still drawing a certificate when the
    deadline passes is killed and replaced, whatever it is doing (deep in C code, or inside a
    handler that would swallow an exception): no layout can hold a renderer. The certificates
    of a Data Space whose layout overran are not tried again in this run, so one layout costs
    the others one deadline at most."""

    def __init__(self, workers: int, deadline: float):
        import multiprocessing

        self.context = multiprocessing.get_context("fork")
        self.workers, self.deadline = workers, deadline
        self.overran: set[int] = set()

    def _start(self) -> _Renderer:
        ours, theirs = self.context.Pipe()
        process = self.context.Process(target=_serve, args=(theirs,), daemon=True)
        process.start()
        theirs.close()
        return _Renderer(process, ours)

    @staticmethod
    def _stop(renderer: _Renderer, kill: bool = False) -> None:
        if not kill:
            with suppress(OSError):
                renderer.connection.send(None)
            renderer.process.join(timeout=5)
        renderer.process.kill()  # no-op once it has exited
        renderer.process.join()
        renderer.connection.close()

    def run(self, jobs: list[tuple]):
        import time
        from collections import deque
        from multiprocessing.connection import wait

        pending = deque(jobs)
        idle = [self._start() for _ in range(min(self.workers, len(jobs)))]
        busy: dict[object, _Renderer] = {}
        try:
            while pending or busy:
                while idle and pending:
                    job = pending.popleft()
                    if job[-1] in self.overran:
                        yield job[0], None, OVERRAN
                        continue
                    renderer = idle.pop()
                    renderer.job, renderer.started = job, time.monotonic()
                    renderer.connection.send(job)
                    busy[renderer.connection] = renderer
                if not busy:
                    continue
                first_deadline = min(r.started for r in busy.values()) + self.deadline
                for connection in wait(list(busy), max(0.0, first_deadline - time.monotonic())):
                    renderer = busy.pop(connection)
                    renderer.served += 1
                    try:
                        result = connection.recv()
                    except EOFError:  # it died (its memory ceiling): the certificate failed
                        result = (renderer.job[0], None, FAILED)
                        renderer.served = CERTIFICATES_PER_RENDERER
                    if renderer.served >= CERTIFICATES_PER_RENDERER:  # a fresh one
                        self._stop(renderer)
                        renderer = self._start()
                    idle.append(renderer)
                    yield result
                now = time.monotonic()
                for connection, renderer in list(busy.items()):
                    if now - renderer.started >= self.deadline:
                        del busy[connection]
                        log.warning("certificate %s: not drawn within %s s; renderer killed",
                                    renderer.job[0], self.deadline)
                        self.overran.add(renderer.job[-1])
                        self._stop(renderer, kill=True)
                        idle.append(self._start())
                        yield renderer.job[0], None, OVERRAN
        finally:
            for renderer in idle:
                self._stop(renderer)
            for renderer in busy.values():
                self._stop(renderer, kill=True)


def _custom(design: Design | None) -> bool:
    return design is not None and bool(design.html or design.css)


def render_many(jobs: list[tuple[int, dict, str, str | None, int]], workers: int,
                designs: dict[int, Design] | None = None):
    """Yield ``(certificate id, signed PDF or None, problem or None)`` as each is ready; each
    job ends with its Data Space, whose design ``designs`` holds. Rendering costs about ten
    times a page view, so it runs here, in the scheduler or command process, never in a web
    worker. A Data Space's own layout is always drawn by renderer processes under a deadline
    (``CERTIFICATE_RENDER_SECONDS``, :class:`_Renderers`); the network's layout, when there is
    one core to use or one certificate to draw, in this process."""
    from flask import current_app

    global _pool_app, _designs
    _pool_app, _designs = current_app._get_current_object(), designs or {}
    custom = any(_custom(design) for design in _designs.values())
    if not custom and (workers <= 1 or len(jobs) < 2):
        yield from map(_render_one, jobs)
        return
    _prepare()
    renderers = _Renderers(max(workers, 1), current_app.config["CERTIFICATE_RENDER_SECONDS"])
    yield from renderers.run(jobs)
