"""What a certificate shows: the values a layout may use, the network's layout or a Data
Space's own (:class:`Design`), filled in by a sandboxed Jinja environment that sees plain values
only, and the check a Data Space's layout passes before it is saved."""

from __future__ import annotations

import base64
import io
import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import segno
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from jinja2 import TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SecurityError
from weasyprint.urls import URLFetcherResponse

from app.certificates import signing
from app.certificates.models import Certificate
from app.certificates.rendering.fonts import script_language
from app.certificates.sandbox import BoundedSandbox, TooMuchWork, fill, run_isolated
from app.errors import DomainError
from app.multilingual import RTL_LANGUAGES, MultilingualText

log = logging.getLogger(__name__)

TEMPLATE = Path(__file__).parent.parent / "templates" / "certificates" / "pdf" / "default.html"
STYLESHEET = TEMPLATE.with_suffix(".css")
DEFAULT_COLOUR = "#0b5d66"

#: Unknown fields are errors, not blanks (StrictUndefined): a misspelt field must not print an
#: empty certificate. Bounded in work and size (``sandbox``).
_sandbox = BoundedSandbox()

#: How long a web worker's child may take to fill a layout in, to check it or preview it.
CHECK_SECONDS = 3


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


@lru_cache(maxsize=1)
def default_html() -> str:
    return TEMPLATE.read_text()


@lru_cache(maxsize=1)
def default_css() -> str:
    return STYLESHEET.read_text()


@lru_cache(maxsize=16)
def compiled(source: str):
    return _sandbox.from_string(source)


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


def qr_code(certificate: Certificate) -> segno.QRCode:
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
        "qr": _qr_png(qr_code(certificate)) if qr else "",
    }


def filled_in(certificate: Certificate, design: Design | None = None,
              reader_language: str | None = None) -> tuple[str, list[str]]:
    """The certificate's HTML, whole, and its stylesheets' sources."""
    design = design or Design()
    return fill_layer(values(certificate, reader_language, design), design)


def fill_layer(context: dict, design: Design, layer: str = "whole") -> tuple[str, list[str]]:
    """From the Data Space's design; the network's default if that fails (it was checked when
    saved: a certificate is never lost to its template)."""
    try:
        html = fill(compiled(design.html or default_html()), {**context, "layer": layer})
        return html, [default_css()] + ([design.css] if design.css else [])
    except Exception:
        log.exception("certificate %s: the Data Space's template failed; default used",
                      context["serial"])
        return fill(compiled(default_html()), {**context, "layer": layer}), [default_css()]


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
