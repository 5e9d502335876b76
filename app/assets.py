"""Static files: fingerprinted addresses cached for a year, and compression of every response.

``url_for("static", filename=...)`` gains ``?v=<digest of the file>``, so a changed file has a
new address and browsers may keep each address forever (``immutable``); an address without
the current digest is revalidated instead. A query string rather than a renamed file keeps
the files where they are, with no build step (Flask-Static-Digest needs one). Digests are
read lazily, once per file and modification time, never at start-up.

Pages, styles and scripts leave compressed (Flask-Compress: zstd, brotli or gzip, as the
browser accepts): a participant page weighs a few kilobytes on a slow connection. Flask-WTF's
CSRF token changes with every page (it is timestamped), which is what keeps compression of
pages that carry it from leaking it (BREACH).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app, request
from flask_compress import Compress

compress = Compress()

#: A year: the longest lifetime caches honour.
IMMUTABLE = "public, max-age=31536000, immutable"


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_ALGORITHM", ["zstd", "br", "gzip"])
    compress.init_app(app)
    app.url_defaults(_fingerprint)
    app.after_request(_cache_static)


@lru_cache(maxsize=256)
def _digest(path: str, modified: float) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def digest_of(app: Flask, filename: str) -> str | None:
    path = Path(app.static_folder or "", filename)
    try:
        return _digest(str(path), path.stat().st_mtime)
    except OSError:
        return None


def _fingerprint(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "filename" in values and "v" not in values:

        digest = digest_of(current_app, values["filename"])
        if digest:
            values["v"] = digest


def _cache_static(response):
    if request.endpoint != "static" or response.status_code != 200:
        return response

    current = digest_of(current_app, (request.view_args or {}).get("filename", ""))
    if current and request.args.get("v") == current:
        response.headers["Cache-Control"] = IMMUTABLE
    else:
        response.headers["Cache-Control"] = "no-cache"  # revalidated (ETag) every time
    return response
