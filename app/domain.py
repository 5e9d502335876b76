"""What services raise when a rule of the domain refuses a change."""

from __future__ import annotations


class DomainError(Exception):
    """A refused change, with a translated message for the person who asked.

    ``field`` names the form field the message belongs to, when there is one: form pages
    redisplay the form with it (``app.views.form_error_response``). Anywhere else the one
    handler in ``app/errors.py`` answers: it rolls back and shows the message with ``status``
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
