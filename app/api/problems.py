"""Errors of the API as RFC 9457 problem details, in the reader's language.

Every refusal under ``/api/`` answers ``application/problem+json``: a ``type`` URI (ours point
to their explanation on the documentation page), a translated ``title`` and ``detail``, the
``status``, the ``instance`` (the path asked for) and, for invalid input, one entry per field.
"""

from __future__ import annotations

import json

from flask import Response, request
from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, Field

from app.errors import MESSAGES
from app.multilingual import current_language

MEDIA_TYPE = "application/problem+json"

#: Our own kinds of problem: their slug (``type`` is the documentation page's anchor) and title.
KINDS = {
    "invalid-input": _l("Some of what you sent is not valid."),
    "malformed-json": _l("The body is not valid JSON."),
    "unsupported-media-type": _l("Send the body as application/json."),
    "unauthenticated": _l("This needs a valid access token."),
    "token-expired": _l("This access token has expired."),
    "token-revoked": _l("This access token was revoked."),
    "insufficient-scope": _l("This access token's scope does not allow this."),
    "forbidden": MESSAGES[403],
    "not-found": _l("There is nothing at this address."),
    "foreign-cursor": _l("This cursor belongs to another query."),
    "conflict": MESSAGES[409],
    "too-many-requests": MESSAGES[429],
}

#: The slug of the problem an HTTP status gives when nothing more specific is known.
BY_STATUS = {400: "invalid-input", 401: "unauthenticated", 403: "forbidden", 404: "not-found",
             409: "conflict", 415: "unsupported-media-type", 422: "invalid-input",
             429: "too-many-requests"}


class FieldProblem(BaseModel):
    field: str = Field(description="The field or parameter, dotted for nested ones.")
    message: str = Field(description="What is wrong with it, in the reader's language.")


class Problem(BaseModel):
    """An RFC 9457 problem details object."""

    type: str = Field(description="A URI naming the kind of problem.")
    title: str = Field(description="What went wrong, in the reader's language.")
    status: int = Field(ge=400, le=599)
    detail: str | None = Field(None, description="This occurrence, in the reader's language.")
    instance: str | None = Field(None, description="The path that was asked for.")
    errors: list[FieldProblem] | None = Field(None, description="Each field that is invalid.")


class ApiProblem(Exception):
    """Raised by the API's views; answered by :func:`response`."""

    def __init__(self, status: int, kind: str | None = None, detail=None,
                 errors: list[dict] | None = None, headers: dict | None = None):
        super().__init__(kind or status)
        self.status = status
        self.kind = kind or BY_STATUS.get(status, "about:blank")
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


def document(status: int, kind: str | None = None, detail=None,
             errors: list[dict] | None = None) -> dict:
    kind = kind or BY_STATUS.get(status)
    title = KINDS.get(kind) if kind else None
    body = {
        "type": f"{request.host_url}api/v1/docs#problem-{kind}" if title else "about:blank",
        "title": str(title or MESSAGES.get(status, MESSAGES[500])),
        "status": status,
        "instance": request.path,
    }
    if detail:
        body["detail"] = str(detail)
    if errors:
        body["errors"] = errors
    return body


def response(status: int, kind: str | None = None, detail=None, errors: list[dict] | None = None,
             headers: dict | None = None) -> Response:
    answer = Response(json.dumps(document(status, kind, detail, errors), ensure_ascii=False),
                      status=status, mimetype=MEDIA_TYPE)
    answer.headers["Content-Language"] = current_language()
    answer.headers.update(headers or {})
    return answer


def from_exception(problem: ApiProblem) -> Response:
    return response(problem.status, problem.kind, problem.detail, problem.errors,
                    problem.headers)


# --- invalid input, field by field ---------------------------------------------------------------

FIELD_MESSAGES = {
    "extra_forbidden": _l("This field is not known."),
    "missing": _l("This field is required."),
    "string_too_long": _l("This text is too long."),
    "string_too_short": _l("This text is too short."),
    "less_than_equal": _l("This number is too large."),
    "less_than": _l("This number is too large."),
    "greater_than_equal": _l("This number is too small."),
    "greater_than": _l("This number is too small."),
    "literal_error": _l("This is not one of the allowed values."),
    "enum": _l("This is not one of the allowed values."),
    "string_pattern_mismatch": _l("This is not in the expected format."),
    "date_from_datetime_parsing": _l("Give a date as year-month-day (2027-01-31)."),
    "date_parsing": _l("Give a date as year-month-day (2027-01-31)."),
}


INVALID_VALUE = _l("This value is not valid.")


def field_problems(errors: list[dict]) -> list[dict]:
    """Pydantic's errors as ``{field, message}``, the message translated (its English one is
    a programmer's text and would reach people through partners' websites)."""
    return [{
        "field": ".".join(str(part) for part in error.get("loc", ())) or "body",
        "message": str(FIELD_MESSAGES.get(error.get("type"), INVALID_VALUE)),
    } for error in errors]


NO_CERTIFICATE = _l("No certificate has this code.")
PERIOD_BACKWARDS = _l("The period cannot end before it starts.")
