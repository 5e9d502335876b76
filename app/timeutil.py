"""One clock for the whole app.

Every "now" goes through :func:`utcnow` so that tests can freeze time with
:func:`frozen_time` and the code never produces a naive datetime.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime

_frozen: datetime | None = None


def utcnow() -> datetime:
    """The current time, aware, in UTC (or the frozen instant in tests)."""
    return _frozen if _frozen is not None else datetime.now(UTC)


@contextlib.contextmanager
def frozen_time(instant: datetime) -> Iterator[None]:
    """Make :func:`utcnow` return ``instant`` inside the block."""
    global _frozen
    if instant.tzinfo is None:
        raise ValueError("frozen_time needs an aware datetime")
    previous, _frozen = _frozen, instant.astimezone(UTC)
    try:
        yield
    finally:
        _frozen = previous
