"""Refusals and error pages: translated, with the right status, never a stack trace.

Services raise :class:`DomainError` when a rule of the domain refuses a change; the one
handler below answers it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from app.extensions import db
from app.guards import request_id
from app.urls import safe_next_url


class DomainError(Exception):
    """A refused change, with a translated message for the person who asked.

    ``field`` names the form field the message belongs to, when there is one: form pages
    redisplay the form with it (``app.views.form_error_response``). Anywhere else the one
    handler below answers: it rolls back and shows the message with ``status``
    (409, the change conflicts with the state of things; 422, what was sent is wrong) and a way
    back (``back``, else the page the request came from).
    """

    def __init__(self, message, field: str | None = None, *, status: int = 409,
                 back: str | None = None):
        super().__init__(message)  # not str(): a lazy message is read where it is shown
        self.message = message
        self.field = field
        self.status = status
        self.back = back


MESSAGES = {
    400: _l("The request could not be understood. Please check what you sent and try again."),
    403: _l("You do not have permission to do this."),
    404: _l("This page does not exist."),
    405: _l("This action is not allowed here."),
    413: _l("What you sent is too large."),
    415: _l("This address accepts only what a web form sends. Please use the form on the page."),
    409: _l("This conflicts with the current state. Please reload the page and try again."),
    422: _l("Some of what you entered needs correcting."),
    429: _l("Too many attempts. Please wait a moment and try again."),
    500: _l("Something went wrong on our side. The team has been told; please try again later."),
    503: _l("The service is temporarily unavailable. Please try again shortly."),
}


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _way_back() -> str | None:
    """The page the request came from, when it is one of this site's."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host:
        return None
    return safe_next_url(referrer.path + (f"?{referrer.query}" if referrer.query else ""))


def answer_errors_under(app: Flask, prefix: str, answer) -> None:
    """Let a domain answer the errors of its own paths (the API: problem details)."""
    app.extensions.setdefault("error_answers", {})[prefix] = answer


def _answer_of_path():
    answers = current_app.extensions.get("error_answers", {})
    return next((answer for prefix, answer in answers.items()
                 if request.path.startswith(prefix)), None)


def render_error(status: int, message=None, back: str | None = None):
    answer = _answer_of_path()
    if answer is not None:
        return answer(status, detail=message)
    message = str(message or MESSAGES.get(status, MESSAGES[500]))
    reference = request_id() if status >= 500 else None
    if _wants_json():
        return jsonify(error=message, status=status, request_id=reference), status
    try:
        page = render_template("site/error.html", status=status, message=message,
                               reference=reference, back=back)
    except Exception:
        current_app.logger.exception("Error page failed [request %s]", request_id())
        page = escape(f"{status} {message}") + (f" ({reference})" if reference else "")
    return page, status


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        db.session.rollback()
        return render_error(
            400,
            _l(
                "This form has expired or was not sent from this site. Please reload the "
                "page and try again."
            ),
        )

    @app.errorhandler(DomainError)
    def refused(error: DomainError):
        # The one way a refused change is answered (form pages redisplay their form instead).
        db.session.rollback()
        return render_error(error.status, error.message, back=error.back or _way_back())

    @app.errorhandler(IntegrityError)
    def conflict(_error):
        # Two requests changed the same thing at the same moment (a double click, two
        # devices): the database kept one; the other person is asked to look again.
        db.session.rollback()
        return render_error(409, _l("Someone changed this at the same moment. Please reload "
                                    "the page and try again."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is not None and error.code < 400:  # routing redirects are HTTPExceptions too
            return error
        db.session.rollback()
        if (error.code or 500) >= 500:
            app.logger.error("%s [request %s] %s %s", error, request_id(), request.method,
                             request.path)
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        # Logged here once, with the id the page shows the person, so that support finds it.
        db.session.rollback()
        app.logger.error("Unhandled error [request %s] %s %s", request_id(), request.method,
                         request.path, exc_info=error)
        return render_error(500)
