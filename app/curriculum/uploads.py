"""Checking uploaded material files: size, and type from the content itself."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from flask_babel import lazy_gettext as _l
from werkzeug.utils import secure_filename

from app.errors import DomainError

#: Binary formats recognised by their signature: extension → MIME type.
BINARY_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "zip": "application/zip",
}
#: Text formats: UTF-8 without NUL bytes (JSON ones must parse).
TEXT_TYPES = {
    "csv": "text/csv",
    "txt": "text/plain",
    "md": "text/markdown",
    "json": "application/json",
    "ipynb": "application/x-ipynb+json",
}
ALLOWED_EXTENSIONS = sorted({*BINARY_TYPES, *TEXT_TYPES, "jpeg"})


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


def check_upload(filename: str, data: bytes, max_bytes: int) -> CheckedFile:
    """Accept the file only if its content is of an allowed type matching its extension."""
    if not data:
        raise DomainError(_l("The file is empty."), field="file")
    if len(data) > max_bytes:
        raise DomainError(
            _l("The file is larger than %(size)d MB.", size=max_bytes // (1024 * 1024)),
            field="file",
        )
    extension = PurePath(filename).suffix.lower().lstrip(".")
    extension = "jpg" if extension == "jpeg" else extension
    content_type = _detected_type(extension, data)
    if content_type is None:
        raise DomainError(
            _l(
                "This kind of file is not accepted (accepted: %(types)s), or its content does "
                "not match its name.",
                types=", ".join(ALLOWED_EXTENSIONS),
            ),
            field="file",
        )
    return CheckedFile(_safe_name(filename, extension), content_type, data)


def _detected_type(extension: str, data: bytes) -> str | None:
    if extension in BINARY_TYPES:
        kind = filetype.guess(data)
        return BINARY_TYPES[extension] if kind is not None and kind.extension == extension else None
    if extension in TEXT_TYPES:
        if b"\x00" in data:
            return None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None
        if extension in {"json", "ipynb"}:
            try:
                json.loads(text)
            except (ValueError, RecursionError):  # deeply nested on purpose, or broken
                return None
        return TEXT_TYPES[extension]
    return None


def _safe_name(filename: str, extension: str) -> str:
    """A name safe in a Content-Disposition header and on any disk; accents are kept readable."""
    stem = PurePath(filename).stem
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    safe = secure_filename(ascii_stem)[:120] or "material"
    return f"{safe}.{extension}"
