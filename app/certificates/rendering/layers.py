"""Drawing one certificate's PDF with WeasyPrint. With the network's layout it is drawn in
layers: what the certificates of a batch share is laid out once per process; each certificate
lays out only its name and serial, which pikepdf lays over the shared layer, and its QR code is
drawn straight into the page (``bench/certificates.py`` measures it)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import pikepdf
import segno
from weasyprint import CSS, HTML

from app.certificates.models import Certificate
from app.certificates.rendering.fonts import process_fonts
from app.certificates.rendering.layout import Design, fetch_nothing, fill_layer, qr_code, values


def render(certificate: Certificate, design: Design | None = None,
           reader_language: str | None = None) -> bytes:
    """The certificate's PDF. With the network's layout, it is drawn in layers: what the
    certificates of a batch share (frame, programme, signatory), laid out once per process;
    over it, what is this certificate's own (name, serial); and the QR code, drawn straight
    into the page. A batch then lays out a third of each page. A Data Space's own layout or
    stylesheet may move any box, so it is drawn whole."""
    design = design or Design()
    if design.html or design.css:
        return _pdf(*fill_layer(values(certificate, reader_language, design), design))
    context = values(certificate, reader_language, design, qr=False)
    html, stylesheets = fill_layer(context, design, "shared")
    shared = _shared_layer(html, tuple(stylesheets))
    personal = _pdf(*fill_layer(context, design, "personal"))
    return _compose(personal, shared, qr_code(certificate))


def _pdf(html: str, stylesheets: Iterable[str]) -> bytes:
    return _document(html, stylesheets).write_pdf()


def _document(html: str, stylesheets: Iterable[str]):
    return HTML(string=html, url_fetcher=fetch_nothing).render(
        stylesheets=[_stylesheet(source) for source in stylesheets], font_config=process_fonts())


@lru_cache(maxsize=16)
def _stylesheet(source: str) -> CSS:
    return CSS(string=source, font_config=process_fonts(), url_fetcher=fetch_nothing)


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
