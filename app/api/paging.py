"""Cursor paging: a page ends with a signed cursor naming the last row and the query it
belongs to, so that the next page continues after that row even when rows are added
before it, and a cursor cannot be replayed against another query."""

from __future__ import annotations

import hashlib
import json
from datetime import date

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from app.api.problems import FIELD_MESSAGES, ApiProblem


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="api-cursor")


def fingerprint(filters: dict) -> str:
    """Which query a cursor belongs to: the filters, without the cursor and the page size."""
    canonical = json.dumps(filters, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def encode(filters: dict, last: tuple) -> str:
    return _serializer().dumps({"q": fingerprint(filters), "after": [_plain(v) for v in last]})


def decode(cursor: str | None, filters: dict) -> list | None:
    """The sort key of the row the page starts after, or None for the first page."""
    if not cursor:
        return None
    try:
        content = _serializer().loads(cursor)
    except BadSignature:
        message = str(FIELD_MESSAGES["string_pattern_mismatch"])
        raise ApiProblem(400, "invalid-input",
                         errors=[{"field": "cursor", "message": message}]) from None
    if not isinstance(content, dict) or content.get("q") != fingerprint(filters):
        raise ApiProblem(400, "foreign-cursor")
    return content["after"]


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value
