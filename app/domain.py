"""What services raise when a rule of the domain refuses a change."""

from __future__ import annotations


class DomainError(Exception):
    """A refused change, with a translated message for the person who asked.

    ``field`` names the form field the message belongs to, when there is one.
    """

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
