"""Reading a PDF back as a person would: its text (pypdf) and its first page as an image
(PDFium, from the pypdfium2 wheel). Both are Python packages: no system tool is needed."""

from __future__ import annotations

import io

import pypdfium2
from PIL import Image
from pypdf import PdfReader


def pdf_text(pdf: bytes) -> str:
    """The text of every page, in reading order as the PDF stores it."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def page_image(pdf: bytes, dpi: int = 150) -> Image.Image:
    """The first page, rasterised at ``dpi``."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return document[0].render(scale=dpi / 72).to_pil()
    finally:
        document.close()
