"""What every request must be before a view sees it, and the id that follows it into the logs.

One mechanism for the whole app instead of a check in each view: path numbers are bounded to
what the database holds, bodies that are not web forms are refused, and every request carries
an id that the error page shows and the log repeats.
"""

from __future__ import annotations

import re
import uuid

from flask import Flask, Response, abort, current_app, g, request
from werkzeug.routing import IntegerConverter

#: The largest id or page number a request may name (PostgreSQL's integer).
MAX_NUMBER = 2**31 - 1

#: What browsers send a ``<form>`` as. Flask-WTF would read a JSON body as form data, handing
#: numbers, lists and objects to fields that expect text; such bodies never reach a view.
FORM_ENCODINGS = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
METHODS_WITH_A_BODY = frozenset({"POST", "PUT", "PATCH", "DELETE"})

_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class DatabaseInteger(IntegerConverter):
    """``<int:…>`` that matches only numbers the database can hold: a larger one is a 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_NUMBER, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def request_id() -> str:
    """This request's id (a proxy's ``X-Request-ID`` when it looks like one)."""
    if "request_id" not in g:
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
    return g.request_id


def accept_json_under(app: Flask, prefix: str) -> None:
    """Let a domain read JSON bodies on its own paths (the API), and check them itself."""
    app.extensions.setdefault("json_paths", []).append(prefix)


def refuse_bodies_that_are_not_forms() -> None:
    if request.method not in METHODS_WITH_A_BODY:
        return
    if any(request.path.startswith(prefix)
           for prefix in current_app.extensions.get("json_paths", ())):
        return
    if request.mimetype in FORM_ENCODINGS:
        # A multipart part with an empty name reaches the form as the key None, which no
        # browser sends and which CSRF checking and views cannot read.
        if None in request.form or None in request.files:
            abort(400)
        return
    if not request.mimetype and not request.content_length:
        return  # a body-less POST, as a form with no fields or a plain client sends it
    abort(415)


def tag_response(response: Response) -> Response:
    response.headers["X-Request-ID"] = request_id()
    return response


def init_app(app: Flask) -> None:
    """Register before the domains (the converter applies to the rules they add) and before
    CSRF protection (which reads the body this checks)."""
    app.url_map.converters["int"] = DatabaseInteger
    app.before_request(refuse_bodies_that_are_not_forms)
    app.after_request(tag_response)
